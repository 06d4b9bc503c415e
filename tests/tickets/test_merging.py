import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from tickets import actions, merging
from tickets.models import Status


@pytest.fixture
def pair(make_ticket):
    source = make_ticket(
        "企业号激活第三步一直收不到手机验证码",
        candidate_number="106146000000011",
        contact_phone="13900002222",
    )
    target = make_ticket("华为手机装不了企业微信", candidate_name="李四")
    return source, target


@pytest.mark.django_db
def test_merge_moves_text_and_events_keeps_contacts_and_closes_with_a_link(pair, desk):
    source, target = pair
    actions.perform("comment", actor=desk, ticket=source, note="考生来电两次")
    merging.ticket_merge(actor=desk, source=source, into=target)
    source.refresh_from_db()
    target.refresh_from_db()
    assert source.status == Status.CLOSED and source.merged_into_id == target.pk
    assert (target.candidate_number, target.contact_phone) == ("106146000000011", "13900002222")
    assert target.candidate_name == "李四"
    notes = list(target.events.values_list("note", flat=True))
    assert "考生来电两次" in notes and source.text in notes
    assert [(e.kind, e.data["into"]) for e in source.events.all()] == [("merged", target.pk)]


@pytest.mark.django_db
def test_no_id_number_typed_into_a_merge_note_is_stored(pair, desk):
    source, target = pair
    merging.ticket_merge(
        actor=desk, source=source, into=target, note="同一考生，身份证 11010519491231002X"
    )
    (on_target,) = target.events.filter(kind="merged")
    (on_source,) = source.events.filter(kind="merged")
    assert on_target.data["from"] == source.pk and on_target.actor == desk
    assert "11010519491231002X" not in on_target.data["note"] + on_source.note
    assert on_target.data["note"].endswith("002X") and on_source.note.endswith("002X")


@pytest.mark.django_db
def test_merge_from_the_page_redirects_to_the_target(client, pair, desk):
    source, target = pair
    client.force_login(desk)
    response = client.post(f"/tickets/{source.pk}/merge/", {"into": target.pk})
    assert response.url == f"/tickets/{target.pk}/"
    html = client.get(f"/tickets/{source.pk}/").content.decode()
    assert f'href="/tickets/{target.pk}/"' in html


@pytest.mark.django_db
def test_merge_into_itself_or_a_closed_ticket_is_refused(pair, desk):
    source, target = pair
    with pytest.raises(ValidationError):
        merging.ticket_merge(actor=desk, source=source, into=source)
    actions.perform("close", actor=desk, ticket=target)
    with pytest.raises(ValidationError):
        merging.ticket_merge(actor=desk, source=source, into=target)


@pytest.mark.django_db
def test_a_teacher_cannot_merge_across_colleges(make_ticket, teacher_a, college_a, college_b):
    mine = make_ticket("统一认证密码忘了怎么重置", college=college_a)
    mine2 = make_ticket("华为手机装不了企业微信", college=college_a)
    theirs = make_ticket("华为手机装不了企业微信", college=college_b)
    with pytest.raises(PermissionDenied):
        merging.ticket_merge(actor=teacher_a, source=mine, into=theirs)
    api = APIClient()
    api.force_authenticate(teacher_a)
    response = api.post(f"/api/tickets/{mine.pk}/merge/", {"into": theirs.pk}, format="json")
    assert response.status_code == 404  # another college's ticket does not exist for them
    ok = api.post(f"/api/tickets/{mine.pk}/merge/", {"into": mine2.pk}, format="json")
    assert ok.json() == {"id": mine2.pk, "merged": mine.pk}


@pytest.mark.django_db
def test_api_merge_refusal_is_400(pair, desk):
    source, _ = pair
    api = APIClient()
    api.force_authenticate(desk)
    assert (
        api.post(f"/api/tickets/{source.pk}/merge/", {"into": source.pk}, format="json").status_code
        == 400
    )
