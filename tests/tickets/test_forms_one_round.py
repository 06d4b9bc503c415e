"""Forms report every error at once and never cut a paste (issue 11, item 9)."""

import pytest

from tickets.models import Ticket
from tickets.validation import TEXT_MAX_LENGTH


@pytest.mark.django_db
class TestIntake:
    def test_every_field_error_in_one_round(self, client, desk):
        client.force_login(desk)
        response = client.post(
            "/tickets/new/",
            {
                "text": "验证码收不到",
                "channel": "phone",
                "candidate_number": "12345",
                "contact_phone": "12ab",
                "contact_email": "not-an-email",
            },
        )
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert {"candidate_number", "contact_phone", "contact_email"} <= set(errors)
        assert not Ticket.objects.exists()

    def test_a_paste_over_the_limit_is_refused_saying_the_limit(self, client, desk):
        client.force_login(desk)
        page = client.get("/tickets/new/").content.decode()
        textarea = page.split('id="id_text"')[0].rsplit("<textarea", 1)[1]
        assert "maxlength" not in textarea  # the browser would cut the paste silently
        response = client.post(
            "/tickets/new/", {"text": "验" * (TEXT_MAX_LENGTH + 1), "channel": "phone"}
        )
        html = response.content.decode()
        assert f"上限 {TEXT_MAX_LENGTH} 字" in html and not Ticket.objects.exists()


@pytest.mark.django_db
def test_reply_text_has_the_same_limit(client, desk, make_ticket):
    t = make_ticket()
    client.force_login(desk)
    response = client.post(
        f"/tickets/{t.pk}/answer/", {"reply_text": "答" * (TEXT_MAX_LENGTH + 1)}, follow=True
    )
    assert f"上限 {TEXT_MAX_LENGTH} 字" in response.content.decode()
    t.refresh_from_db()
    assert t.status == "new"
