import pytest

from guide.triage import knowledge


@pytest.fixture(autouse=True)
def _fresh_engine(monkeypatch):
    # every call compares with the database, so each test sees its own data
    monkeypatch.setattr(knowledge, "RECHECK_SECONDS", 0.0)
    knowledge.invalidate()
    yield
    knowledge.invalidate()
