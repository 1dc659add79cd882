"""An index on wagtailcore_page (url_path).

A site's root routes a public URL by loading the pages its path names in one query on
`url_path` (unit_sites/routing.py) instead of Wagtail's two queries per path segment. Wagtail
owns the table, hence raw SQL (portable to SQLite and PostgreSQL)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("unit_sites", "0002_page_depth_path_index"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS gongkai_page_url_path ON wagtailcore_page (url_path)",
            "DROP INDEX IF EXISTS gongkai_page_url_path",
        )
    ]
