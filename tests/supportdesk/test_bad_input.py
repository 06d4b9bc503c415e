"""Bad input answers 400/404, never 500 (issue 12, item 4)."""

import pytest
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, desk):
    token = Token.objects.create(user=desk)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


def test_deeply_nested_json_is_a_400(api):
    body = "[" * 30_000 + "]" * 30_000  # within the 64 KB body limit
    response = api.post("/api/tickets/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "JSON 嵌套过深。"


def test_moderately_nested_json_beyond_the_limit_is_a_400_too(api):
    body = '{"text": "企业微信收不到验证码", "channel": "phone", "x": ' + "[" * 30 + "]" * 30 + "}"
    response = api.post("/api/tickets/", body, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("week", ["0001-W01", "9999-W52", "1999-W52"])
def test_report_weeks_at_the_date_limits_are_a_400(client, desk, week):
    client.force_login(desk)
    response = client.get("/reports/", {"week": week})
    assert response.status_code == 400


@pytest.mark.parametrize("bounds", [("0001-01-01", "0001-01-07"), ("9999-12-25", "9999-12-31")])
def test_report_ranges_at_the_date_limits_are_a_400(client, desk, bounds):
    client.force_login(desk)
    response = client.get("/reports/", {"from": bounds[0], "to": bounds[1]})
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/tickets/", "/reports/", "/api/tickets/"])
def test_a_nul_in_a_query_parameter_is_a_400(client, desk, path):
    client.force_login(desk)
    response = client.get(path, {"college": "\x00"})
    assert response.status_code == 400


def test_a_nul_in_a_form_field_is_a_400(client, desk):
    client.force_login(desk)
    response = client.post("/tickets/new/", {"text": "收不到验证码", "college": "sice\x00"})
    assert response.status_code == 400


def test_the_api_answers_json_for_a_non_numeric_ticket_id(api):
    response = api.get("/api/tickets/abc/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "未找到。"}


def test_pages_keep_their_html_404(client, desk):
    client.force_login(desk)
    response = client.get("/tickets/abc/")
    assert response.status_code == 404 and "text/html" in response["Content-Type"]


def test_a_page_number_past_any_offset_shows_the_first_page(client, desk):
    client.force_login(desk)
    response = client.get("/tickets/", {"page": "9" * 40})
    assert response.status_code == 200


def test_a_huge_page_size_is_capped(client, desk):
    client.force_login(desk)
    response = client.get("/tickets/", {"per_page": "9" * 40})
    assert response.status_code == 200
