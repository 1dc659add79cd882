"""Home lists sort by publication date (disclosure_pages.portal.NEWEST): an index on it for the
portal's latest items of every unit and one of the flagged items' dates for its highlights
(else the database walks every item's date until it happens on ten flagged ones), and on
PostgreSQL the newest-first forms of both, which it needs to read `DESC NULLS LAST` from an
index (see 0009)."""

from django.db import migrations, models

from cms.postgresql import postgresql_indexes

POSTGRESQL_INDEXES = {
    "item_newest": "disclosure_pages_disclosureitem (publish_date DESC NULLS LAST, page_ptr_id DESC)",
    "item_on_portal_newest": (
        "disclosure_pages_disclosureitem (publish_date DESC NULLS LAST, page_ptr_id DESC) "
        "WHERE on_portal"
    ),
}


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure_pages", "0009_postgresql_newest_first_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="disclosureitem",
            index=models.Index(fields=["publish_date"], name="item_date"),
        ),
        migrations.RemoveIndex(model_name="disclosureitem", name="item_on_portal"),
        migrations.AddIndex(
            model_name="disclosureitem",
            index=models.Index(
                condition=models.Q(("on_portal", True)),
                fields=["publish_date"],
                name="item_on_portal_date",
            ),
        ),
        postgresql_indexes(POSTGRESQL_INDEXES),
    ]
