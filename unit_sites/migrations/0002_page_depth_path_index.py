"""An index on wagtailcore_page (depth, path).

A page's children are `depth = d + 1 AND path BETWEEN p0000 AND pZZZZ`; with only the unique
index on path, the database walks every descendant in that range (100,000 items under a unit)
to find its handful of workspaces. Every public page's navigation asks for a unit's children,
so the index is worth its space. Wagtail owns the table, hence raw SQL (portable to SQLite and
PostgreSQL)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("unit_sites", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS gongkai_page_depth_path ON wagtailcore_page (depth, path)",
            "DROP INDEX IF EXISTS gongkai_page_depth_path",
        )
    ]
