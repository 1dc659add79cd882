"""What disclosure items add to unit home pages (Art. 10): every unit shows its latest items;
the portal shows the latest items of all units and the key and hot items marked for it."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from unit_sites.models import descendants

from .catalogue import public_items
from .models import DisclosureItem

HOME_LENGTH = 10
# Newest by the publication date the lists show (and the catalogue sorts by): an import of
# old documents does not push them to the top, as their first publication here would.
NEWEST = (F("publish_date").desc(nulls_last=True), "-pk")


def is_portal(unit):
    return unit.depth == 2


# What a home page list shows of an item (home_items.html): rows without their bodies.
HOME_FIELDS = ("title", "url_path", "path", "depth", "publish_date", "unit")


def latest_items(unit):
    """The portal: every unit's items; any other unit: its own items."""
    items = (
        descendants(public_items(), unit) if is_portal(unit) else public_items().filter(unit=unit)
    )
    return items.only(*HOME_FIELDS).order_by(*NEWEST)[:HOME_LENGTH]


def portal_highlights(portal):
    """Key and hot items (on_portal) of every unit below the portal. The flag is read from the
    live row: a draft revision that sets it shows nothing until it is published."""
    # A partial index of the flagged items (models.base) makes this fast on SQLite and
    # PostgreSQL alike, however few or many are flagged.
    items = descendants(public_items(), portal).filter(on_portal=True)
    return items.only(*HOME_FIELDS).order_by(*NEWEST)[:HOME_LENGTH]


def home_sections(unit, request):
    template = "disclosure_pages/includes/home_items.html"
    sections = []
    if is_portal(unit):
        sections.append(
            {
                "template": template,
                "key": "highlights",
                "heading": _("Key and hot information"),
                "items": list(DisclosureItem.attach_unit(*portal_highlights(unit))),
                "show_unit": True,
            }
        )
    sections.append(
        {
            "template": template,
            "key": "latest",
            "heading": _("Latest information"),
            "items": list(DisclosureItem.attach_unit(*latest_items(unit))),
            "show_unit": is_portal(unit),
        }
    )
    return sections
