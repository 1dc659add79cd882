"""Helpers that build disclosure content in the demo units (slugs set explicitly: the
factories' slugify drops Chinese)."""

import itertools

from disclosure_pages.models import CatalogueClassPage

_counter = itertools.count(1)


def column(unit_slug, class_code):
    """A unit's catalogue column for one Art. 7 class (e.g. "zcfg")."""
    return CatalogueClassPage.objects.get(url_path__endswith=f"/{unit_slug}/gkml/{class_code}/")


def add_item(model, unit_slug, *, publish=True, user=None, **fields):
    """Create an item of a typed page model in its class column of the unit's catalogue."""
    fields.setdefault("title", f"测试信息{next(_counter)}")
    fields.setdefault("slug", f"item-{next(_counter)}")
    page = model(**fields)
    page.live = publish and page.live  # a new Page is live by default; a draft must not be
    column(unit_slug, model.catalogue_class_code or "gzdt").add_child(instance=page)
    revision = page.save_revision(user=user)
    if publish:
        revision.publish(user=user)
        page.refresh_from_db()
    return page
