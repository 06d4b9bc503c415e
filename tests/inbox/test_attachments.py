"""Attachments of a mail: a download for whoever sees the ticket, never shown inline."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from inbox.models import Attachment, ChannelMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment(make_ticket):
    ticket = make_ticket(channel="email", contact_email="zhangsan@example.com")
    message = ChannelMessage.objects.create(
        source="email", external_id="<a@example.com>", ticket=ticket, outcome="created"
    )
    item = Attachment(
        message=message, ticket=ticket, filename="截图.html", content_type="text/html", size=27
    )
    item.file.save("attachment.bin", ContentFile(b"<script>alert(1)</script>"), save=False)
    item.save()
    return item


def test_desk_downloads_it_as_a_file_never_rendered(client, desk, attachment):
    client.force_login(desk)
    response = client.get(reverse("inbox:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"


def test_it_is_listed_on_the_ticket_page(client, desk, attachment):
    client.force_login(desk)
    page = client.get(attachment.ticket.get_absolute_url()).content.decode()
    assert reverse("inbox:attachment", args=[attachment.pk]) in page
    assert "截图.html" in page


def test_a_teacher_of_another_college_gets_404(client, teacher_a, attachment):
    client.force_login(teacher_a)
    assert client.get(reverse("inbox:attachment", args=[attachment.pk])).status_code == 404
