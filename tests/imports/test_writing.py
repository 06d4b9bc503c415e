"""Writing batches: tickets with their triage snapshot and event, nothing twice."""

import pytest

from tests.imports.samples import ROWS, TRIAGED
from tickets.models import EventKind, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def test_every_row_is_triaged_and_logged_with_a_created_event(write_csv, run_file):
    run_file(write_csv(ROWS))

    tickets = Ticket.objects.order_by("text")
    assert {t.text: (t.suggested_category, t.suggested_route) for t in tickets} == TRIAGED
    assert {t.text: (t.category, t.route) for t in tickets} == TRIAGED  # accepted as suggested
    events = TicketEvent.objects.order_by("ticket__text")
    assert [(e.ticket.text, e.kind) for e in events] == [
        (t.text, EventKind.CREATED) for t in tickets
    ]
    assert [e.data["suggestion"]["category"] for e in events] == [
        TRIAGED[t.text][0] for t in tickets
    ]


def test_reimporting_the_same_file_adds_nothing(write_csv, run_file):
    path = write_csv(ROWS)
    run_file(path)
    again = run_file(path)

    assert (again.created_count, again.duplicate_count) == (0, 3)
    assert Ticket.objects.count() == 3
    assert TicketEvent.objects.count() == 3
