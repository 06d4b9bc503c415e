import pytest
from rest_framework.test import APIClient

from guide.models import LabelledExample
from tests.base import make_user
from tickets import actions
from tickets.models import Status, Ticket


@pytest.fixture
def other_desk(db):
    return make_user("dave", "desk")


@pytest.mark.django_db
def test_every_save_raises_the_version(make_ticket, desk):
    t = make_ticket()
    assert t.version == 1
    actions.perform("answer", actor=desk, ticket=t, reply_text="请重发")
    t.refresh_from_db()
    assert t.version == 2 and t.events.latest("id").data["version"] == 2


@pytest.mark.django_db
def test_a_stale_form_is_refused_with_what_changed_and_nothing_applied(
    client, make_ticket, desk, other_desk
):
    t = make_ticket()
    seen = t.version
    actions.perform("answer", actor=other_desk, ticket=t, reply_text="请重发")
    client.force_login(desk)
    response = client.post(
        f"/tickets/{t.pk}/close/", {"note": "重复", "version": seen}, follow=True
    )
    html = response.content.decode()
    assert "工单已被他人更新" in html and "dave 已答复" in html
    t.refresh_from_db()
    assert t.status == Status.ANSWERED and not t.events.filter(kind="closed").exists()
    # with the current version it goes through
    client.post(f"/tickets/{t.pk}/close/", {"note": "重复", "version": t.version})
    assert Ticket.objects.get(pk=t.pk).status == Status.CLOSED


@pytest.mark.django_db
def test_every_action_form_on_the_page_carries_the_version(client, make_ticket, desk):
    t = make_ticket()
    client.force_login(desk)
    html = client.get(f"/tickets/{t.pk}/").content.decode()
    forms = html.count('method="post" action="/tickets/')
    assert forms >= 5
    assert html.count(f'name="version" value="{t.version}"') >= forms


@pytest.mark.django_db
def test_two_contradictory_corrections_from_stale_forms_leave_only_the_first(
    client, make_ticket, desk, other_desk
):
    t = make_ticket("华为 mate 70 装不了企业号")
    # two corrections that both change what triage suggested, whatever it was
    first, second = [c for c in ("harmonyos", "wecom_activate", "unfollow") if c != t.category][:2]
    seen = t.version
    client.force_login(other_desk)
    client.post(
        f"/tickets/{t.pk}/correct/",
        {"category": first, "route": "guide_answer", "version": seen},
    )
    client.force_login(desk)
    client.post(
        f"/tickets/{t.pk}/correct/",
        {"category": second, "route": "guide_answer", "version": seen},
    )
    t.refresh_from_db()
    assert (t.category, t.route) == (first, "guide_answer")
    examples = LabelledExample.objects.filter(ticket_id=t.pk)
    assert list(examples.values_list("category", flat=True)) == [first]


@pytest.mark.django_db
def test_api_merge_with_a_stale_version_is_409(make_ticket, desk, other_desk):
    source = make_ticket("统一认证密码忘了怎么重置")
    target = make_ticket("华为手机装不了企业微信")
    seen = source.version
    actions.perform("comment", actor=other_desk, ticket=source, note="注意")  # no row change
    actions.perform("assign_me", actor=other_desk, ticket=source)
    api = APIClient()
    api.force_authenticate(desk)
    url = f"/api/tickets/{source.pk}/merge/"
    response = api.post(url, {"into": target.pk, "version": seen}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["version"] == seen + 1 and any("指派" in c for c in body["changes"])
    assert Ticket.objects.get(pk=source.pk).merged_into_id is None
    ok = api.post(url, {"into": target.pk, "version": seen + 1}, format="json")
    assert ok.status_code == 200


@pytest.mark.django_db
def test_api_actions_and_patch_with_a_stale_version_are_409(make_ticket, desk, other_desk):
    t = make_ticket()
    api = APIClient()
    api.force_authenticate(desk)
    seen = api.get(f"/api/tickets/{t.pk}/").json()["version"]
    route = t.route
    actions.perform("assign_me", actor=other_desk, ticket=t)
    url = f"/api/tickets/{t.pk}/"
    closing = api.post(url + "actions/", {"action": "close", "version": seen}, format="json")
    assert closing.status_code == 409 and "工单已被他人更新" in closing.json()["detail"]
    other_route = "manual" if route != "manual" else "escalate"
    patch = api.patch(url, {"route": other_route, "version": seen}, format="json")
    assert patch.status_code == 409
    t.refresh_from_db()
    assert (t.status, t.route, t.version) == (Status.NEW, route, seen + 1)  # nothing applied
    fresh = api.post(url + "actions/", {"action": "close", "version": seen + 1}, format="json")
    assert fresh.status_code == 200
