from django.db import migrations

# Chinese words are one or two characters (鸿蒙, 群聊, 换号): too short for the
# trigram index, so such a search scanned the table. This GIN expression index
# holds every character and every pair of adjacent characters of the lower-cased
# text; a search asks for the pairs of its term (`@>`), then ILIKE confirms the
# order. Maintained by PostgreSQL itself on every write; SQLite scans instead.

# plpgsql over an array of characters: some 25 µs for a typical message (a
# set-returning SQL version took 400 µs, which is also what every write pays).
GRAMS = """
CREATE OR REPLACE FUNCTION supportdesk_grams(t text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  c text[] := regexp_split_to_array(lower(t), '');
  grams text[] := c;
BEGIN
  IF t = '' THEN RETURN '{}'; END IF;
  FOR i IN 1 .. cardinality(c) - 1 LOOP
    grams := grams || (c[i] || c[i + 1]);
  END LOOP;
  RETURN grams;
END
$$
"""

# What a term must find: its pairs, or the character itself when it is one.
QUERY_GRAMS = """
CREATE OR REPLACE FUNCTION supportdesk_query_grams(t text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  c text[] := regexp_split_to_array(lower(t), '');
  grams text[] := '{}';
BEGIN
  IF cardinality(c) < 2 THEN RETURN c; END IF;
  FOR i IN 1 .. cardinality(c) - 1 LOOP
    grams := grams || (c[i] || c[i + 1]);
  END LOOP;
  RETURN grams;
END
$$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(GRAMS)
    schema_editor.execute(QUERY_GRAMS)
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS ticket_text_grams ON tickets_ticket "
        "USING gin (supportdesk_grams(text))"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS ticket_text_grams")
    schema_editor.execute("DROP FUNCTION IF EXISTS supportdesk_query_grams(text)")
    schema_editor.execute("DROP FUNCTION IF EXISTS supportdesk_grams(text)")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0006_alter_ticketevent_kind")]
    operations = [migrations.RunPython(forwards, backwards)]
