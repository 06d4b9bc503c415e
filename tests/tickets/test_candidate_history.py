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


def _open_duplicate_of(make_ticket, number, text="统一身份认证激活不了"):
    # The intake folds a same-category ticket into the open one: the duplicate
    # comes from a correction afterwards.
    from tickets.models import Ticket

    first = make_ticket(text, candidate_number=number)
    second = make_ticket("华为手机装不了企业微信", candidate_number=number)
    Ticket.objects.filter(pk=second.pk).update(category=first.category)
    return first, Ticket.objects.get(pk=second.pk)


@pytest.mark.django_db
def test_the_ticket_page_finds_open_duplicates_in_the_history_it_shows(client, desk, make_ticket):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first, second = _open_duplicate_of(make_ticket, NUMBER)
    client.force_login(desk)
    client.get(second.get_absolute_url())
    with CaptureQueriesContext(connection) as captured:
        html = client.get(second.get_absolute_url()).content.decode()
    warning = html.split("该考生已有同类未结工单：")[1].split("</li>")[0]
    assert f'href="/tickets/{first.pk}/"' in warning
    # The history (same number, phone or email) already holds them: no query of their own.
    matching = [q["sql"] for q in captured.captured_queries if f"'{NUMBER}'" in q["sql"]]
    assert len(matching) == 1, matching


@pytest.mark.django_db
def test_a_duplicate_beyond_the_shown_history_is_still_found(client, desk, make_ticket):
    from tickets import actions, selectors

    first, second = _open_duplicate_of(make_ticket, NUMBER)
    for i in range(selectors.HISTORY_SHOWN):
        newer = make_ticket(f"统一认证密码忘了怎么重置 {i}", candidate_number=NUMBER)
        actions.perform("close", actor=desk, ticket=newer)
    client.force_login(desk)
    html = client.get(second.get_absolute_url()).content.decode()
    warning = html.split("该考生已有同类未结工单：")[1].split("</li>")[0]
    assert f'href="/tickets/{first.pk}/"' in warning


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_history_of_a_ticket_with_an_email_is_read_through_indexes(desk, make_ticket):
    # Number, phone or email (without case): with no index on the email the
    # OR read the whole table (1.3 s at a million tickets).
    from django.db import connection

    from tests.services import require_postgres
    from tickets import selectors

    require_postgres()
    t = make_ticket("统一身份认证激活不了", candidate_number=NUMBER, contact_email="Ks@Example.cn")
    same = make_ticket("华为手机装不了企业微信", contact_email="ks@example.CN")
    history = selectors.candidate_history(desk, t)
    assert [other.pk for other in history] == [same.pk]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned anyway
        plan = history.query.chain().get_compiler("default").as_sql()
        cursor.execute("EXPLAIN " + plan[0], plan[1])
        text = "\n".join(row[0] for row in cursor.fetchall())
    assert "ticket_email_upper_idx" in text, text
