"""Who sees reports is the rules of reports.permissions, asked the same way by
the pages, the nav and the report scope; no report module checks roles itself."""

import ast
from pathlib import Path

import pytest

from reports.permissions import SEE, SEE_ALL

REPORTS = Path(__file__).resolve().parents[2] / "reports"
ROLE_CHECKS = {"is_desk", "has_role", "is_teacher", "REPORT_VIEWER", "DESK", "COLLEGE_TEACHER"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who, sees, sees_all",
    [
        ("desk", True, True),
        ("admin", True, True),
        ("viewer", True, True),
        ("teacher_a", True, False),
        ("nobody", False, False),
    ],
)
def test_each_role_sees_what_the_rules_say(request, who, sees, sees_all):
    user = request.getfixturevalue(who)
    assert (user.has_perm(SEE), user.has_perm(SEE_ALL)) == (sees, sees_all)


def test_no_report_module_but_the_rules_checks_a_role():
    found = []
    for path in sorted(REPORTS.rglob("*.py")):
        if path.name == "permissions.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "tickets.roles":
                found += [f"{path.name}: {a.name}" for a in node.names if a.name in ROLE_CHECKS]
            elif isinstance(node, ast.Attribute) and node.attr in ROLE_CHECKS:
                found.append(f"{path.name}:{node.lineno} {node.attr}")
    assert found == []
