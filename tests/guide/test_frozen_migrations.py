"""The guide's data migrations carry their own data: a later change to
guide/content.py or to the knowledge files never changes what they load."""

import ast
import importlib

import pytest

from guide.migrations import _frozen_guide_v1 as frozen

MIGRATIONS = ("0002_load_guide", "0004_fill_triage_knowledge", "0005_refresh_triage_knowledge")


@pytest.mark.parametrize("name", MIGRATIONS)
def test_a_data_migration_reads_no_live_guide_code(name, monkeypatch):
    import guide.content

    monkeypatch.setattr(guide.content, "CATEGORIES", [])
    module = importlib.import_module(f"guide.migrations.{name}")
    tree = ast.parse(open(module.__file__, encoding="utf-8").read())
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not imported & {"guide", "guide.content", "guide.loading", "guide.triage"}
    assert frozen.KNOWLEDGE and frozen.CATEGORIES  # the copy does not follow the live module


def test_a_fresh_database_has_the_frozen_guide(db):
    from guide.models import FaqCategory

    loaded = dict(FaqCategory.objects.values_list("code", "answer"))
    assert loaded == {row[0]: row[6] for row in frozen.CATEGORIES}
