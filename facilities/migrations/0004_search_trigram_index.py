"""Accent-insensitive search: `Facility.search_text` holds the folded name and tax code, and on
PostgreSQL a trigram GIN index makes `search_text LIKE '%…%'` an index scan. SQLite (the demo
default) has no such index type and simply scans."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS facility_search_trgm_idx "
    "ON facilities_facility USING gin (search_text gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS facility_search_trgm_idx"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("facilities", "0003_facility_name_index")]

    operations = [migrations.RunPython(run(CREATE), run(DROP), elidable=False)]
