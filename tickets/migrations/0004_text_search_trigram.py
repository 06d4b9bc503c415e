from django.db import migrations

# Search over the candidate's words (ILIKE '%...%') at a million rows needs a
# trigram index; PostgreSQL only, SQLite (development) scans.


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS ticket_text_trgm ON tickets_ticket USING gin (text gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS ticket_number_trgm ON tickets_ticket "
        "USING gin (candidate_number gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS ticket_text_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS ticket_number_trgm")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0003_role_groups")]
    operations = [migrations.RunPython(forwards, backwards)]
