"""Search fields whose text is segmented for the database backends.

Use in a model's `search_fields` instead of `index.SearchField`:

    SegmentedSearchField("title", boost=5)

The field name stays the model's own (so "title" still fills the title column of the SQLite
index and per-field boosts work on PostgreSQL and Elasticsearch); only the value handed to the
backend changes. Elasticsearch analyses Chinese itself (search.elasticsearch), so there the
raw text is indexed.
"""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.html import strip_tags
from wagtail.search import index

from .segmentation import cut_for_index

_segments = None


def backend_segments_text():
    """True unless the default backend analyses Chinese itself (Elasticsearch/OpenSearch)."""
    global _segments
    if _segments is None:
        backend = settings.WAGTAILSEARCH_BACKENDS.get("default", {}).get("BACKEND", "")
        _segments = "elasticsearch" not in backend and "opensearch" not in backend
    return _segments


@receiver(setting_changed)
def _reset(setting, **kwargs):
    global _segments
    if setting == "WAGTAILSEARCH_BACKENDS":
        _segments = None


def flatten(value):
    """The plain text of a field value: strings, lists of strings (StreamField), rich text."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "\n".join(flatten(item) for item in value)
    if isinstance(value, dict):
        return "\n".join(flatten(item) for item in value.values())
    text = str(value)
    return strip_tags(text) if "<" in text else text


class SegmentedSearchField(index.SearchField):
    def get_raw_value(self, obj):
        """The field's plain text: a column's value (a StreamField's searchable content), or
        what a method or property of that name returns."""
        try:
            field = obj._meta.get_field(self.field_name)
        except FieldDoesNotExist:
            value = getattr(obj, self.field_name, None)
            return flatten(value() if callable(value) else value)
        value = field.value_from_object(obj)
        if hasattr(field, "get_searchable_content"):
            value = field.get_searchable_content(value)
        return flatten(value)

    def get_value(self, obj):
        text = self.get_raw_value(obj)
        return cut_for_index(text) if backend_segments_text() else text
