import pytest

from tickets.models import Status

NUMBER = "106145000012345"


@pytest.mark.django_db
def test_ticket_page_lists_the_candidates_other_tickets_newest_first(client, desk, make_ticket):
    older = make_ticket("统一身份认证激活不了", candidate_number=NUMBER)
    by_phone = make_ticket("华为手机装不了企业微信", contact_phone="13800001111")
    newer = make_ticket(
        "企业号激活第三步一直收不到手机验证码", candidate_number=NUMBER, contact_phone="13800001111"
    )
    stranger = make_ticket(
        "企业号激活第三步一直收不到手机验证码", candidate_number="106145000099999"
    )
    client.force_login(desk)
    html = client.get(newer.get_absolute_url()).content.decode()
    section = html.split('id="candidate-history"')[1].split("</section>")[0]
    assert f"#{by_phone.pk}" in section and f"#{older.pk}" in section
    assert section.index(f"#{by_phone.pk}") < section.index(f"#{older.pk}")
    assert f"#{stranger.pk}" not in section
    assert str(Status(older.status).label) in section


@pytest.mark.django_db
def test_a_teacher_sees_only_their_colleges_history(
    client, make_ticket, teacher_a, college_a, college_b
):
    mine = make_ticket("统一身份认证激活不了", candidate_number=NUMBER, college=college_a)
    other = make_ticket("统一认证密码忘了怎么重置", candidate_number=NUMBER, college=college_b)
    current = make_ticket("华为手机装不了企业微信", candidate_number=NUMBER, college=college_a)
    client.force_login(teacher_a)
    html = client.get(current.get_absolute_url()).content.decode()
    assert f">#{mine.pk}<" in html and f">#{other.pk}<" not in html


@pytest.mark.django_db
def test_api_filters_by_candidate_number(desk, make_ticket):
    from rest_framework.test import APIClient

    a = make_ticket("统一身份认证激活不了", candidate_number=NUMBER)
    make_ticket("统一身份认证激活不了", candidate_number="106145000099999")
    api = APIClient()
    api.force_authenticate(desk)
    data = api.get("/api/tickets/", {"candidate_number": NUMBER}).json()
    assert [row["id"] for row in data["results"]] == [a.pk]


@pytest.mark.django_db
def test_two_contradictory_corrections_leave_one_example_the_latest(make_ticket, desk):
    from guide.models import LabelledExample
    from tickets import actions

    t = make_ticket("华为 mate 70 装不了企业号")
    actions.perform("correct", actor=desk, ticket=t, category="harmonyos", route="guide_answer")
    actions.perform("correct", actor=desk, ticket=t, category="other", route="manual")
    actions.perform("correct", actor=desk, ticket=t, category="harmonyos", route="manual")
    examples = LabelledExample.objects.filter(ticket_id=t.pk)
    assert list(examples.values_list("category", "route")) == [("harmonyos", "manual")]
