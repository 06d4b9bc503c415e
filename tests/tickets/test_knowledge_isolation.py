"""A desk correction lives as long as the test that recorded it.

The engine's per-process index outlives a test's rolled-back transaction; the
autouse fixture in tests/conftest.py drops it around every test. In file order
(`-p no:randomly`) the second test failed before that fixture: it still got
the first test's correction on a database that never held it."""

import pytest

from guide.triage import suggest

TEXT = "我们学院的老师让我找服务台，说的是群的事情，一直没人拉我"


@pytest.mark.django_db
def test_a_records_a_correction(make_ticket, desk):
    from guide.triage import knowledge
    from tickets import actions

    t = make_ticket(text=TEXT)
    actions.perform("correct", actor=desk, ticket=t, category="harmonyos", route="manual")
    knowledge.invalidate()
    assert suggest(TEXT).category == "harmonyos"


@pytest.mark.django_db
def test_b_a_clean_database_knows_nothing_of_it():
    assert suggest(TEXT).category != "harmonyos"
