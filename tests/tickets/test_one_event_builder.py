"""Every timeline event is built by tickets/events.py (record, values/insert):
the masking of typed text, the actor rule and the "created" event's shape are
written once. No other module -- app code, commands, bench scripts, test
fixtures -- constructs a TicketEvent, creates one through a manager or inserts
the table's rows itself."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILDER = ROOT / "tickets" / "events.py"
CREATING = {"create", "bulk_create", "get_or_create", "update_or_create"}


def dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return dotted(node.func) + "()"
    return "?"


def event_writes(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = dotted(node.func)
        parts = name.split(".")
        if parts[-1] == "TicketEvent":  # TicketEvent(...)
            found.append((node.lineno, name))
        elif parts[-1] in CREATING and ("TicketEvent" in parts or parts[-2:-1] == ["events"]):
            found.append((node.lineno, name))  # TicketEvent.objects.create, ticket.events.create
        elif parts[-1] == "RawInsert" and any(
            dotted(arg).split(".")[-1] == "TicketEvent" for arg in node.args
        ):
            found.append((node.lineno, name + "(TicketEvent)"))
    return sorted(found)


def python_files():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0].startswith(".") or "migrations" in relative.parts:
            continue
        yield path


def test_the_checker_sees_each_way_of_writing_an_event():
    source = """
TicketEvent(ticket=t, kind="x").save()
TicketEvent.objects.create(ticket=t)
models.TicketEvent.objects.bulk_create([])
ticket.events.create(kind="x")
RawInsert(TicketEvent)([])
TicketEvent.objects.filter(ticket=t).update(ticket=u)
"""
    assert [line for line, _name in event_writes(ast.parse(source))] == [2, 3, 4, 5, 6]


def test_no_module_but_tickets_events_writes_a_ticket_event():
    offenders = [
        f"{path.relative_to(ROOT)}:{line} {name}"
        for path in python_files()
        if path != BUILDER
        for line, name in event_writes(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == []
    assert event_writes(ast.parse(BUILDER.read_text(encoding="utf-8")))  # it does write them
