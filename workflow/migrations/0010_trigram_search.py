"""Trigram indexes for the staff search of requests by part of a reference or phone (PostgreSQL only).

pg_trgm is a trusted extension (PostgreSQL 13+): the database owner can create it. SQLite, the
embedded default, searches the same way without an index.
"""

from django.db import migrations

INDEXES = {
    "request_reference_trgm": "reference",
    "request_phone_trgm": "phone",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "cctv_workflow_footagerequest" USING gin ("{column}" gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("cctv_workflow", "0009_current_step")]

    operations = [migrations.RunPython(create, drop)]
