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
    # Unordered: on a tiny table the planner would rather walk the created_at index.
    qs = TicketFilter({"q": "群聊"}, queryset=Ticket.objects.all()).qs.order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned anyway
        # Unordered: with the statistics other tests leave, walking the
        # created_at index in list order can look cheaper for a tiny table.
        plan = qs.order_by().explain()
    assert "ticket_text_grams" in plan
