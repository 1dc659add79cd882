"""What only PostgreSQL gets: indexes the other databases cannot express (descending with
NULLS LAST, GIN over an expression), created by migrations of the apps that need them."""

from django.db import migrations


def postgresql_indexes(indexes):
    """A migration operation that creates these indexes on PostgreSQL (and drops them when
    reversed), and does nothing elsewhere. `indexes`: {name: "table (columns…)"}, or with a
    method: "table USING GIN (…)"."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for name, definition in indexes.items():
                schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for name in indexes:
                schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop)
