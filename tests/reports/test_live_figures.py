"""Live figures (a period nobody stored) are computed once per window for
everyone, and say when they were computed."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.reports.conftest import at, make_ticket
from tests.reports.test_views import kpi

pytestmark = pytest.mark.django_db
URL = reverse("reports:report")


def computed_label(html: str) -> str:
    start = html.index("实时计算") + len("实时计算")
    return html[start : html.index("</p>", start)].strip()


def test_a_second_view_within_the_window_reuses_the_figures(
    client, viewer, week47, settings, django_assert_max_num_queries
):
    settings.REPORT_LIVE_SECONDS = 60
    client.force_login(viewer)
    first = client.get(URL, {"week": "2026-W47"}).content.decode()
    make_ticket(created_at=at(2026, 11, 18, 9), college="sice")

    with django_assert_max_num_queries(12):  # a live build alone is ~30
        again = client.get(URL, {"week": "2026-W47"}).content.decode()

    assert kpi(again, "new") == kpi(first, "new") == "5"
    assert computed_label(again) == computed_label(first)  # the page says how old they are
    # One college's figures are kept apart from the university's.
    one = client.get(URL, {"week": "2026-W47", "college": "see"}).content.decode()
    assert kpi(one, "new") != "5"


def test_with_no_window_every_view_computes_again(client, viewer, week47, settings):
    settings.REPORT_LIVE_SECONDS = 0
    client.force_login(viewer)
    assert kpi(client.get(URL, {"week": "2026-W47"}).content.decode(), "new") == "5"
    make_ticket(created_at=at(2026, 11, 18, 9), college="sice")
    assert kpi(client.get(URL, {"week": "2026-W47"}).content.decode(), "new") == "6"


def test_with_the_cache_down_the_report_is_computed_live(
    client, viewer, week47, settings, monkeypatch
):
    settings.REPORT_LIVE_SECONDS = 60

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    client.force_login(viewer)
    response = client.get(URL, {"week": "2026-W47"})
    assert response.status_code == 200 and kpi(response.content.decode(), "new") == "5"
