import json

import pytest
from rest_framework.test import APIClient

from tickets.models import Ticket


def token_client(user):
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.get_or_create(user=user)[0].key)
    return client


@pytest.mark.django_db
class TestCreate:
    def test_created_with_the_suggestion(self, desk, college_a):
        response = token_client(desk).post(
            "/api/tickets/",
            {
                "text": "企业号激活第三步一直收不到验证码",
                "channel": "wechat",
                "candidate_number": "106146000000077",
                "college": "sice",
                "contact": {"phone": "13812345678", "wechat": "wx_abc"},
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert set(body) == {"id", "category", "route", "confidence", "reply", "status"}
        t = Ticket.objects.get(pk=body["id"])
        assert (t.college, t.contact_phone, t.contact_wechat, body["status"]) == (
            college_a,
            "13812345678",
            "wx_abc",
            "new",
        )

    @pytest.mark.parametrize(
        "contact, field, value",
        [
            ("13812345678", "contact_phone", "13812345678"),
            ("kaosheng@example.com", "contact_email", "kaosheng@example.com"),
            ("wx_kaosheng", "contact_wechat", "wx_kaosheng"),
        ],
    )
    def test_contact_as_one_string(self, desk, contact, field, value):
        response = token_client(desk).post(
            "/api/tickets/",
            {"text": "验证码收不到", "channel": "qq", "contact": contact},
            format="json",
        )
        assert response.status_code == 201, response.content
        assert getattr(Ticket.objects.get(pk=response.json()["id"]), field) == value

    def test_bad_input_is_400_with_field_errors_and_nothing_saved(self, desk):
        response = token_client(desk).post(
            "/api/tickets/",
            {
                "text": "",
                "channel": "fax",
                "candidate_number": "123",
                "college": "nowhere",
                "contact": {"phone": "call me"},
            },
            format="json",
        )
        assert response.status_code == 400
        assert {"text", "channel", "candidate_number", "college", "contact"} <= set(response.json())
        assert Ticket.objects.count() == 0

    def test_unknown_field_is_refused(self, desk):
        response = token_client(desk).post(
            "/api/tickets/",
            {"text": "验证码", "channel": "qq", "id_card": "510000200001010000"},
            format="json",
        )
        assert response.status_code == 400 and "id_card" in response.json()
        assert Ticket.objects.count() == 0

    def test_oversized_body_is_refused(self, desk):
        body = json.dumps({"text": "验" * 40000, "channel": "qq"})
        response = token_client(desk).post("/api/tickets/", body, content_type="application/json")
        assert response.status_code == 413 and "64 KB" in response.json()["detail"]

    def test_malformed_json_is_400(self, desk):
        response = token_client(desk).post(
            "/api/tickets/", "{not json", content_type="application/json"
        )
        assert response.status_code == 400

    def test_no_token_is_401_and_teacher_cannot_log(self, teacher_a):
        assert (
            APIClient()
            .post("/api/tickets/", {"text": "x", "channel": "qq"}, format="json")
            .status_code
            == 401
        )
        assert (
            token_client(teacher_a)
            .post("/api/tickets/", {"text": "x", "channel": "qq"}, format="json")
            .status_code
            == 403
        )


@pytest.mark.django_db
class TestRead:
    def test_teacher_reads_only_their_college(self, make_ticket, teacher_a, college_a, college_b):
        mine = make_ticket(college=college_a)
        other = make_ticket(college=college_b)
        client = token_client(teacher_a)
        assert [t["id"] for t in client.get("/api/tickets/").json()["results"]] == [mine.pk]
        assert client.get(f"/api/tickets/{other.pk}/").status_code == 404
        assert client.get(f"/api/tickets/{mine.pk}/").status_code == 200

    def test_list_filters_paginates_and_masks(self, make_ticket, desk, college_a):
        for i in range(3):
            make_ticket(
                college=college_a,
                contact_phone="13812345678",
                candidate_number=f"10614600000010{i}",
            )
        make_ticket(text="密码忘了", channel="email")
        client = token_client(desk)
        page = client.get("/api/tickets/?college=sice&page_size=2").json()
        assert len(page["results"]) == 2 and page["next"]
        assert page["results"][0]["contact_phone"] == "138****5678"
        rest = client.get(page["next"]).json()
        assert len(rest["results"]) == 1 and rest["next"] is None
        assert client.get("/api/tickets/?status=bogus").status_code == 400

    def test_detail_has_the_snapshot(self, make_ticket, desk):
        t = make_ticket()
        data = token_client(desk).get(f"/api/tickets/{t.pk}/").json()
        assert data["suggestion"]["category"] == t.suggested_category


@pytest.mark.django_db
class TestTriageAndSchema:
    def test_triage_saves_nothing(self, desk):
        response = token_client(desk).post(
            "/api/triage/", {"text": "鸿蒙手机关注不了企业号"}, format="json"
        )
        assert response.status_code == 200
        assert set(response.json()) >= {"category", "route", "confidence", "reply", "evidence"}
        assert Ticket.objects.count() == 0
        assert token_client(desk).post("/api/triage/", {}, format="json").status_code == 400

    def test_schema(self, client, desk):
        client.force_login(desk)  # the schema is for signed-in callers
        response = client.get("/api/schema/")
        assert response.status_code == 200 and b"/api/tickets/" in response.content
