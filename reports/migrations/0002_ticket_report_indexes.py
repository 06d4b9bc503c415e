from django.db import migrations

# The weekly report counts tickets answered / resolved in a week and reopen
# events in a week. Without these indexes each of those is a full scan of the
# ticket table (seconds at a million rows). They live here, not in tickets'
# models, because only the report asks these questions; partial, so tickets
# still open cost nothing. Plain SQL both SQLite and PostgreSQL understand.
INDEXES = [
    (
        "report_ticket_resolved_idx",
        "tickets_ticket (resolved_at) WHERE resolved_at IS NOT NULL",
    ),
    (
        "report_ticket_answered_idx",
        "tickets_ticket (first_answered_at) WHERE first_answered_at IS NOT NULL",
    ),
    ("report_event_kind_idx", "tickets_ticketevent (kind, created_at)"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_weekly_report"),
        ("tickets", "0002_seed_colleges"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {spec}",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, spec in INDEXES
    ]
