"""A GIN index on `title || body` of Wagtail's search index entries, on PostgreSQL.

Wagtail's PostgreSQL database backend matches `(title || body) @@ query`; its own GIN indexes
are on `title` and `body` apart, which that expression cannot use, so every search read all
index entries (100,000 items: about 160 ms per query, three queries per search page). Other
databases have no such column type: PostgreSQL's alone. (Wagtail's table: raw SQL.)"""

from django.db import migrations

from cms.postgresql import postgresql_indexes

INDEXES = {"gongkai_search_title_body": "wagtailsearch_indexentry USING GIN ((title || body))"}


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_seed_synonyms"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [postgresql_indexes(INDEXES)]
