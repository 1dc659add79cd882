"""What the public search searches, read from settings.GONGKAI_SEARCH.

search/ is infrastructure and imports no page type: the project's settings name the model
citizens search, how results are faceted and scoped, and where the dictionary's words come
from (by app label, resolved when first needed).
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

DEFAULTS = {
    # The page model the public search returns (its subclasses included).
    "MODEL": "wagtailcore.Page",
    # The page model a `?unit=<slug>` names; results are that unit's own (FILTER_FIELD).
    "UNIT_MODEL": None,
    "UNIT_FIELD": None,
    # facet name -> (lookup on MODEL, field of the related object used in URLs).
    # A lookup ending in "__year" groups a date by year.
    "FACETS": {},
    # Model field holding the normalised document number (search.docnumbers.normalise).
    "DOC_NUMBER_FIELD": None,
    # Model field holding the 索引号.
    "INDEX_NUMBER_FIELD": None,
    # (model label, [field, ...]) whose values are words of the segmenter's dictionary.
    "DICTIONARY": [],
    # Tokens stored in the database index: "bigrams" (default), "words", "words+bigrams".
    "INDEX_MODE": "bigrams",
    # Candidates re-ranked per query, and the most results a query lists.
    "CANDIDATES": 100,
    # Page size of the search page.
    "PER_PAGE": 10,
    # Matches read per query on SQLite: facets and total are exact up to this many, beyond it
    # they describe the best matches and the total is estimated.
    "EXACT_COUNTS": 1000,
}


@dataclass(frozen=True)
class SearchConfig:
    model_label: str
    unit_model_label: str | None
    unit_field: str | None
    facets: dict
    doc_number_field: str | None
    index_number_field: str | None
    dictionary: list
    index_mode: str
    candidates: int
    per_page: int
    exact_counts: int

    @property
    def model(self):
        return apps.get_model(self.model_label)

    @property
    def unit_model(self):
        return apps.get_model(self.unit_model_label) if self.unit_model_label else None

    def dictionary_sources(self):
        return [(apps.get_model(label), fields) for label, fields in self.dictionary]


def _build(raw):
    raw = {**DEFAULTS, **raw}
    return SearchConfig(
        model_label=raw["MODEL"],
        unit_model_label=raw["UNIT_MODEL"],
        unit_field=raw["UNIT_FIELD"],
        facets=dict(raw["FACETS"]),
        doc_number_field=raw["DOC_NUMBER_FIELD"],
        index_number_field=raw["INDEX_NUMBER_FIELD"],
        dictionary=list(raw["DICTIONARY"]),
        index_mode=raw["INDEX_MODE"],
        candidates=int(raw["CANDIDATES"]),
        per_page=int(raw["PER_PAGE"]),
        exact_counts=int(raw["EXACT_COUNTS"]),
    )


_config = None


def search_config():
    """The configuration, read once (and again when tests change the setting)."""
    global _config
    if _config is None:
        _config = _build(getattr(settings, "GONGKAI_SEARCH", {}))
    return _config


@receiver(setting_changed)
def _reset(setting, **kwargs):
    global _config
    if setting == "GONGKAI_SEARCH":
        _config = None
