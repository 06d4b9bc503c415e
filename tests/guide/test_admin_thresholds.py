"""The engine's thresholds are set in the admin (guide.models.TriageSettings)
and reach every process with the knowledge, with no restart (issue 10, items
3 and 5)."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from guide import knowledge_store
from guide.models import TriageSettings
from guide.triage import knowledge
from guide.triage.engine import Thresholds, suggest, suggest_with

FIVE_DAYS = "企业微信激活五天了还没进群"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _recheck_every_call(monkeypatch):
    # this process compares with the database on every call
    monkeypatch.setattr(knowledge, "RECHECK_SECONDS", 0.0)


def another_process(monkeypatch):
    """Another web or worker process's engine, with the database as its source."""
    holder = knowledge._Holder()
    holder.load, holder.version = knowledge_store.load, knowledge_store.version
    monkeypatch.setattr(knowledge, "RECHECK_SECONDS", 3600.0)
    return holder


def post_thresholds(client, **values):
    data = {"waited_long_days": 7, "deadline_near_days": 2, "review_below": 0.85}
    data.update(values, _save="1")
    return client.post(reverse("admin:guide_triagesettings_add"), data)


def test_a_threshold_changed_in_the_admin_changes_the_route_in_another_process(
    client, admin, monkeypatch
):
    other = another_process(monkeypatch)
    before = other.get()
    assert suggest_with(FIVE_DAYS, before).route == "guide_answer"  # 5 days < 7
    stamp = knowledge_store.version()

    client.force_login(admin)
    assert post_thresholds(client, waited_long_days=3).status_code == 302
    assert TriageSettings.objects.get().waited_long_days == 3

    assert knowledge_store.version() != stamp
    assert other.get() is before  # within RECHECK_SECONDS the cached knowledge stands
    other.recheck()  # RECHECK_SECONDS later
    after = other.get()
    assert after.thresholds.waited_long_days == 3
    assert suggest_with(FIVE_DAYS, after).route == "refer_college"


def test_the_settings_are_the_defaults_until_the_admin_saves(client, admin, settings):
    settings.TRIAGE_WAITED_LONG_DAYS = 4
    settings.TRIAGE_REVIEW_BELOW = 0.5
    assert not TriageSettings.objects.exists()
    limits = knowledge_store.thresholds()
    assert (limits.waited_long_days, limits.deadline_near_days, limits.review_below) == (
        4,
        2,
        0.5,
    )
    assert suggest(FIVE_DAYS).route == "refer_college"
    client.force_login(admin)
    form = client.get(reverse("admin:guide_triagesettings_changelist"), follow=True)
    assert form.context["adminform"].form["waited_long_days"].value() == 4


def test_the_review_threshold_decides_needs_review(client, admin):
    client.force_login(admin)
    post_thresholds(client, review_below=0)
    assert not suggest("企业号").needs_review
    client.post(
        reverse("admin:guide_triagesettings_change", args=[1]),
        {"waited_long_days": 7, "deadline_near_days": 2, "review_below": 1, "_save": "1"},
    )
    assert TriageSettings.objects.get().review_below == 1
    assert suggest("统一认证密码忘了怎么找回").needs_review


@pytest.mark.parametrize(
    "field, value",
    [
        ("waited_long_days", 0),
        ("waited_long_days", -3),
        ("deadline_near_days", 0),
        ("deadline_near_days", "two"),
        ("review_below", 1.5),
        ("review_below", -0.1),
    ],
)
def test_bad_threshold_values_are_refused(client, admin, field, value):
    client.force_login(admin)
    response = post_thresholds(client, **{field: value})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    assert not TriageSettings.objects.exists()


def test_the_database_refuses_an_out_of_range_threshold_too():
    with pytest.raises(IntegrityError), transaction.atomic():
        TriageSettings.objects.create(review_below=2)


def test_there_is_one_row(client, admin):
    client.force_login(admin)
    post_thresholds(client, waited_long_days=5)
    assert TriageSettings.objects.count() == 1
    response = client.get(reverse("admin:guide_triagesettings_changelist"))
    assert response.url == reverse("admin:guide_triagesettings_change", args=[1])
    assert client.get(reverse("admin:guide_triagesettings_add")).status_code == 403


def test_the_ticket_page_says_please_check_by_the_admins_threshold(client, admin, make_ticket):
    ticket = make_ticket()
    ticket.suggested_confidence = 0.95
    ticket.save()
    assert not ticket.suggestion_needs_review  # the default 0.93
    client.force_login(admin)
    post_thresholds(client, review_below=0.97)
    assert ticket.suggestion_needs_review


def test_without_the_settings_the_defaults_are_the_engines(settings):
    # the defaults are written once, in the engine: a deployment that sets no
    # TRIAGE_* gets exactly what the engine measured them to be
    settings.TRIAGE_WAITED_LONG_DAYS = None
    settings.TRIAGE_DEADLINE_NEAR_DAYS = None
    settings.TRIAGE_REVIEW_BELOW = None
    limits = knowledge_store.thresholds()
    assert limits == Thresholds()
    assert suggest(FIVE_DAYS).route == "guide_answer"  # 5 days < the engine's 7
