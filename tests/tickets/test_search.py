"""Search over the candidate's words: one- and two-character Chinese terms and
mixed terms find the same tickets on SQLite and PostgreSQL, and on PostgreSQL
the short terms use an index instead of scanning the table."""

import pytest
from django.db import connection

from tests.services import require_postgres
from tickets.filters import TicketFilter
from tickets.models import Ticket


def _found(q):
    return set(
        TicketFilter({"q": q}, queryset=Ticket.objects.all()).qs.values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_short_chinese_and_mixed_terms(make_ticket):
    harmony = make_ticket(text="鸿蒙NEXT手机装不了企业微信")
    group = make_ticket(text="激活后一直没有拉群聊")
    swap = make_ticket(text="我换号了，原来的手机号不用了")
    assert _found("鸿蒙") == {harmony.pk}
    assert _found("群聊") == {group.pk}
    assert _found("群") == {group.pk}
    assert _found("号") == {swap.pk}
    assert _found("蒙next") == {harmony.pk}
    assert _found("企业微信") == {harmony.pk}
    # The pairs of 聊群 all occur nowhere in this order: nothing is found.
    assert _found("聊群") == set()
    assert _found("手机") == {harmony.pk, swap.pk}


@pytest.mark.postgres
@pytest.mark.django_db
def test_two_character_search_uses_the_grams_index(make_ticket):
    require_postgres()
    make_ticket(text="鸿蒙手机装不了企业微信")
    # Unordered: with the statistics other tests leave, walking the created_at
    # index in list order can look cheaper for a tiny table.
    qs = TicketFilter({"q": "群聊"}, queryset=Ticket.objects.all()).qs.order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned anyway
        # The trigram index cannot narrow a two-character LIKE (it reads all of
        # itself), yet after other tests have grown it the planner can still
        # cost it below the pairs index on a tiny table. Set aside for this
        # plan only: the drop is rolled back with the test's transaction.
        cursor.execute("DROP INDEX ticket_text_trgm")
        plan = qs.explain()
    assert "ticket_text_grams" in plan


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_term_of_three_characters_or_more_is_left_to_the_trigram_index(make_ticket):
    require_postgres()
    hit = make_ticket(text="点了半天没反应，激活页面卡住")
    make_ticket(text="半天点了没用")
    f = TicketFilter({"q": "点了半天", "status": ""}, queryset=Ticket.objects.all())
    assert set(f.qs.values_list("pk", flat=True)) == {hit.pk}
    sql = str(f.qs.query)
    assert "supportdesk_grams" not in sql and "点了半天" in sql
    short = TicketFilter({"q": "群聊", "status": ""}, queryset=Ticket.objects.all())
    assert "supportdesk_grams" in str(short.qs.query)


def _lookups(qs):
    found, nodes = set(), [qs.query.where]
    while nodes:
        node = nodes.pop()
        nodes.extend(getattr(node, "children", ()))
        if hasattr(node, "lookup_name"):
            found.add(node.lookup_name)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("matches", "tickets", "page", "count"),
    [
        # rare: the pairs index for the page and for the bulk bar's count
        (1_000, 1_000_000, "grams_contains", "grams_contains"),
        # in 1-4 % of tickets: the page reads the newest tickets until it is
        # full; counting 1,001 of them by a scan would read ~50,000 rows
        (20_000, 1_000_000, "ilike_contains", "grams_contains"),
        # common: a scan finds 1,001 within ~10,000 rows
        (100_000, 1_000_000, "ilike_contains", "ilike_contains"),
        # common in a small table: the pairs index either way
        (100, 1_000, "grams_contains", "grams_contains"),
    ],
)
def test_page_and_count_ask_a_term_by_its_expected_matches(
    monkeypatch, matches, tickets, page, count
):
    from tickets import filters

    asked = []

    def expected(value):
        asked.append(value)
        return matches, tickets

    monkeypatch.setattr(filters, "expected_matches", expected)
    f = TicketFilter({"q": "群聊", "status": ""}, queryset=Ticket.objects.all())
    assert f.is_valid()
    assert page in _lookups(f.qs)
    assert count in _lookups(f.count_qs)
    assert asked == ["群聊"]  # estimated once for both


@pytest.mark.django_db
def test_the_count_queryset_finds_what_the_page_finds(make_ticket):
    make_ticket(text="激活后一直没有拉群聊")
    make_ticket(text="群聊拉不进去")
    make_ticket(text="收不到验证码")
    f = TicketFilter({"q": "群聊", "status": ""}, queryset=Ticket.objects.all())
    assert f.is_valid()
    assert set(f.count_qs.values_list("pk", flat=True)) == set(f.qs.values_list("pk", flat=True))
    assert f.count_qs.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_terms_share_is_planned_in_one_round_trip(make_ticket):
    from django.test.utils import CaptureQueriesContext

    from tickets.filters import expected_matches

    require_postgres()
    make_ticket(text="鸿蒙手机装不了企业微信")
    with CaptureQueriesContext(connection) as captured:
        matches, tickets = expected_matches("点了半天")
    assert len(captured) == 1
    assert 0 <= matches <= tickets


def test_only_a_term_without_case_counts_as_caseless():
    from tickets.lookups import caseless

    assert caseless("鸿蒙") and caseless("收不到验证码，") and caseless("2026")
    assert not caseless("蒙next") and not caseless("NEXT")
    assert not caseless("ⓐ")  # a circled letter has case
    assert not caseless("\u0307")  # a combining mark: part of what İ lowercases to


@pytest.mark.django_db
def test_a_caseless_term_is_matched_with_like_and_finds_the_same(make_ticket):
    harmony = make_ticket(text="鸿蒙NEXT手机装不了企业微信")
    make_ticket(text="激活后一直没有拉群聊")

    def sql(q):
        return str(TicketFilter({"q": q}, queryset=Ticket.objects.all()).qs.query)

    if connection.vendor == "postgresql":
        assert " LIKE " in sql("鸿蒙") and "ILIKE" not in sql("鸿蒙")
        assert "ILIKE" in sql("蒙next")  # a term with case: case-insensitive as before
    assert _found("鸿蒙") == {harmony.pk}
    assert _found("蒙next") == {harmony.pk}
