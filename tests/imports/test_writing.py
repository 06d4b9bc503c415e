"""Writing batches: tickets with their triage snapshot and event, nothing twice."""

import pytest

from guide.triage import suggest
from tests.imports.samples import ROWS
from tickets.models import EventKind, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def test_every_row_is_triaged_and_logged_with_a_created_event(write_csv, run_file):
    run_file(write_csv(ROWS))

    for ticket in Ticket.objects.all():
        expected = suggest(ticket.text)
        assert (ticket.suggested_category, ticket.suggested_route) == (
            expected.category,
            expected.route,
        )
        assert (ticket.category, ticket.route) == (expected.category, expected.route)
        event = TicketEvent.objects.get(ticket=ticket)
        assert event.kind == EventKind.CREATED
        assert event.data["suggestion"]["category"] == expected.category


def test_reimporting_the_same_file_adds_nothing(write_csv, run_file):
    path = write_csv(ROWS)
    run_file(path)
    again = run_file(path)

    assert (again.created_count, again.duplicate_count) == (0, 3)
    assert Ticket.objects.count() == 3
    assert TicketEvent.objects.count() == 3
