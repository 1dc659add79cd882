"""Atom feeds of a unit's catalogue and of each class column (Art. 12: other terminals)."""

import re

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.utils.feedgenerator import Atom1Feed

FEED_LENGTH = 50
# What XML 1.0 cannot carry (Django's XML writer refuses control characters with an error).
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value):
    """Strings without the characters XML 1.0 cannot carry; anything else unchanged."""
    if isinstance(value, str):
        return XML_INVALID.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(xml_text(item) for item in value)
    return value


class XmlSafeAtom1Feed(Atom1Feed):
    """Atom that drops control characters instead of failing: one item whose title holds a
    stray control character (pasted from an old system) must not take the feed down."""

    def __init__(self, *args, **kwargs):
        super().__init__(
            *(xml_text(value) for value in args),
            **{name: xml_text(value) for name, value in kwargs.items()},
        )

    def add_item(self, *args, **kwargs):
        super().add_item(
            *(xml_text(value) for value in args),
            **{name: xml_text(value) for name, value in kwargs.items()},
        )


class CatalogueFeed(Feed):
    """The latest live, public items of a catalogue page (all the unit's items on the
    catalogue, one class on a column). Served by the page's `feed/` route."""

    feed_type = XmlSafeAtom1Feed

    def get_object(self, request, page):
        self.request = request
        self.unit = page.get_unit()
        return page

    def title(self, page):
        return f"{self.unit.title} · {page.title}"

    def subtitle(self, page):
        return page.search_description or None

    def link(self, page):
        return page.get_full_url(self.request)

    def feed_url(self, page):
        return page.get_full_url(self.request) + page.reverse_subpage("feed")

    def author_name(self, page):
        return self.unit.title

    def items(self, page):
        return (
            page.feed_items()
            .select_related("catalogue_class", "key_kind")
            .order_by(F("first_published_at").desc(nulls_last=True), "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at

    def item_author_name(self, item):
        return item.issuer

    def item_categories(self, item):
        return [name for name in (item.catalogue_class_name, item.key_kind_name) if name]
