"""Data migrations carry the data they load.

A migration that imports live app code (guide.content, tickets.colleges, a
loader) does something different after every change to that code, and breaks
a fresh install once the code is refactored. A data migration (one with
RunPython) may import Django, the standard library and its own app's
migrations package (frozen copies, which import no app code either). Schema
migrations are left alone: Django itself writes references to a field's
validators there."""

import ast
from pathlib import Path

from tests.supportdesk.test_import_cycles import ROOT, app_packages

# Migrations still importing live code, each being frozen by another change.
# Remove an entry as soon as its migration is frozen.
KNOWN_LIVE: set[str] = set()


def live_imports(path: Path, apps: list[str]) -> list[str]:
    source = path.read_text(encoding="utf-8")
    helper = path.name.startswith("_") and path.name != "__init__.py"  # a frozen copy
    if "RunPython" not in source and not helper:
        return []
    own = f"{path.parent.parent.name}.migrations"
    found = []
    for node in ast.walk(ast.parse(source)):
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
        "operations = [migrations.RunPython(seed)]\n"
    )
    assert live_imports(migration, ["tickets"]) == ["tickets.colleges"]


def test_a_schema_migration_may_name_a_validator(tmp_path):
    migration = tmp_path / "tickets" / "migrations" / "0009_x.py"
    migration.parent.mkdir(parents=True)
    migration.write_text("import guide.validators\nfrom django.db import migrations\n")
    assert live_imports(migration, ["guide", "tickets"]) == []


def test_no_migration_imports_live_app_code():
    apps = app_packages()
    offenders = {}
    for app in apps:
        for path in sorted((ROOT / app / "migrations").glob("*.py")):
            name = str(path.relative_to(ROOT))
            if name not in KNOWN_LIVE and (found := live_imports(path, apps)):
                offenders[name] = found
    assert offenders == {}
