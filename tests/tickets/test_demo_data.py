import pytest
from django.core.management import call_command

from tickets.models import Status, Ticket, TicketEvent


@pytest.mark.django_db
def test_demo_data_is_varied_and_idempotent(capsys, client):
    call_command("demo_data")
    out = capsys.readouterr().out
    assert "demo-2026" in out and "teacher" in out
    count, events = Ticket.objects.count(), TicketEvent.objects.count()
    assert 180 <= count <= 220
    assert Ticket.objects.values("category").distinct().count() >= 12
    assert Ticket.objects.values("college").distinct().count() >= 10
    assert set(Ticket.objects.values_list("status", flat=True)) >= {
        Status.NEW,
        Status.ANSWERED,
        Status.ESCALATED,
        Status.REFERRED,
        Status.RESOLVED,
    }
    assert Ticket.objects.filter(college__code="sice", status=Status.REFERRED).exists()

    call_command("demo_data")
    assert (Ticket.objects.count(), TicketEvent.objects.count()) == (count, events)

    response = client.post(
        "/accounts/login/", {"username": "teacher", "password": "demo-2026"}, follow=True
    )
    page = response.content.decode()
    assert "信息与通信工程学院的工单" in page and "tickets/" in response.redirect_chain[-1][0]
