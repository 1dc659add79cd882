"""Indexes in the order the public lists are read, newest first, on PostgreSQL.

Listings sort by `publish_date DESC NULLS LAST` (a catalogue) and the portal by
`first_published_at DESC NULLS LAST`. PostgreSQL reads an ascending index backwards as DESC
NULLS *FIRST*, so it cannot use the plain indexes for these and sorts every matching row (a
catalogue of 10,000 items, the portal's 100,000) for each request. SQLite sorts NULLs first, so
reading its ascending indexes backwards already gives NULLS LAST, and it rejects NULLS LAST in
an index: these are PostgreSQL's alone. (wagtailcore_page is Wagtail's table: raw SQL.)"""

from django.db import migrations

from cms.postgresql import postgresql_indexes

INDEXES = {
    "gongkai_page_newest": "wagtailcore_page (first_published_at DESC NULLS LAST, id DESC)",
    "item_unit_newest": (
        "disclosure_pages_disclosureitem (unit_id, publish_date DESC NULLS LAST, page_ptr_id DESC)"
    ),
    "item_unit_class_newest": (
        "disclosure_pages_disclosureitem "
        "(unit_id, catalogue_class_id, publish_date DESC NULLS LAST, page_ptr_id DESC)"
    ),
}


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure_pages", "0008_drop_unused_portal_date_index"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [postgresql_indexes(INDEXES)]
