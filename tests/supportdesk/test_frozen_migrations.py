"""Data migrations carry the data they load.

A migration that imports live app code (guide.content, tickets.colleges, a
loader) does something different after every change to that code, and breaks
a fresh install once the code is refactored. Migrations may import Django, the
standard library and their own app's migrations package (frozen copies)."""

import ast
from pathlib import Path

from tests.supportdesk.test_import_cycles import ROOT, app_packages

# Migrations still importing live code, each being frozen by another change.
# Remove an entry as soon as its migration is frozen.
KNOWN_LIVE = {
    # being frozen with the guide content of their day (issue 13, item 4)
    "guide/migrations/0002_load_guide.py",
    "guide/migrations/0004_fill_triage_knowledge.py",
    "guide/migrations/0005_refresh_triage_knowledge.py",
}


def live_imports(path: Path, apps: list[str]) -> list[str]:
    own = f"{path.parent.parent.name}.migrations"
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        else:
            continue
        for name in names:
            if name.split(".")[0] in apps and not (name == own or name.startswith(own + ".")):
                found.append(name)
    return found


def test_a_migration_importing_app_code_is_found(tmp_path):
    migration = tmp_path / "tickets" / "migrations" / "0009_x.py"
    migration.parent.mkdir(parents=True)
    migration.write_text(
        "from django.db import migrations\n"
        "from tickets.migrations import _frozen\n"
        "def seed(apps, schema_editor):\n    from tickets.colleges import COLLEGES\n"
    )
    assert live_imports(migration, ["tickets"]) == ["tickets.colleges"]


def test_no_migration_imports_live_app_code():
    apps = app_packages()
    offenders = {}
    for app in apps:
        for path in sorted((ROOT / app / "migrations").glob("*.py")):
            name = str(path.relative_to(ROOT))
            if name not in KNOWN_LIVE and (found := live_imports(path, apps)):
                offenders[name] = found
    assert offenders == {}
