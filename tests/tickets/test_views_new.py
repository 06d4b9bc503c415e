import pytest

from guide.models import LabelledExample
from tickets.models import Status, Ticket

URL = "/tickets/new/"


@pytest.mark.django_db
class TestIntake:
    def test_accepting_the_suggestion(self, client, desk):
        client.force_login(desk)
        response = client.post(
            URL,
            {
                "text": "企业号激活第三步收不到验证码",
                "channel": "wechat",
                "candidate_number": "106146000000055",
                "contact_phone": "13900001111",
                "category": "harmonyos",
                "accept": "1",
            },
        )
        t = Ticket.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/tickets/{t.pk}/"
        assert (t.category, t.route) == (t.suggested_category, t.suggested_route)
        assert t.assignee == desk and t.status == Status.NEW
        assert LabelledExample.objects.count() == 0

    def test_override_is_recorded_as_a_correction(self, client, desk):
        client.force_login(desk)
        client.post(
            URL,
            {
                "text": "我想问下复试分数线",
                "channel": "phone",
                "category": "harmonyos",
                "route": "manual",
            },
        )
        t = Ticket.objects.get()
        if (t.suggested_category, t.suggested_route) != ("harmonyos", "manual"):
            assert t.events.filter(kind="corrected").exists()
            assert LabelledExample.objects.filter(ticket_id=t.pk).exists()
        assert (t.category, t.route) == ("harmonyos", "manual")

    def test_bad_input_shows_errors_and_keeps_the_words(self, client, desk):
        client.force_login(desk)
        response = client.post(
            URL, {"text": "验证码收不到", "channel": "phone", "candidate_number": "12ab"}
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "考生号应为15位数字" in page and "验证码收不到" in page
        assert Ticket.objects.count() == 0

    def test_same_candidate_same_problem_goes_to_the_open_ticket(self, client, desk, make_ticket):
        text = "企业号激活第三步一直收不到手机验证码"
        first = make_ticket(text=text, candidate_number="106146000000066")
        client.force_login(desk)
        data = client.post(
            "/tickets/suggest/", {"text": text, "candidate_number": "106146000000066"}
        ).json()
        assert first.pk in [d["id"] for d in data["duplicates"]]
        response = client.post(
            URL,
            {
                "text": text + "，还是不行",
                "channel": "phone",
                "candidate_number": "106146000000066",
                "accept": "1",
            },
            follow=True,
        )
        assert f'href="/tickets/{first.pk}/"' in response.content.decode()
        assert Ticket.objects.count() == 1
        assert first.events.filter(kind="message", note__endswith="还是不行").exists()

    def test_live_suggestion_saves_nothing(self, client, desk):
        client.force_login(desk)
        data = client.post("/tickets/suggest/", {"text": "鸿蒙手机关注不了企业号"}).json()
        assert set(data["suggestion"]) >= {"category", "route", "confidence", "evidence", "reply"}
        assert Ticket.objects.count() == 0

    def test_only_desk_staff_log_tickets(self, client, teacher_a):
        client.force_login(teacher_a)
        assert client.get(URL).status_code == 403
        assert client.post("/tickets/suggest/", {"text": "x"}).status_code == 403
