"""Chinese search for the Wagtail admin: page search, choosers, listings, documents, images,
snippets.

The admin calls the default backend's `autocomplete()` (or `search()` with the raw string when
a model has no autocomplete field). Wagtail's database backends keep a run of Chinese as one
token and autocomplete matches prefixes of the raw titles, so 低保, 年度报告 or 行政处罚 found
nothing unless they began a title. Here a query with Chinese in it, or shaped like a 文号 or
索引号, is read as the public search reads it (`search.query.parse`: jieba with the platform
dictionary, synonyms, 文号/索引号 normalisation) and matched against the model's short text
columns (title, 文号, 发布机构 …):

- every part of the query must occur (AND), a part as any of its alternatives (synonyms: 低保
  finds 最低生活保障), an alternative as all of its words, each literally (a substring, as the
  public search's bigram phrases match);
- a 文号 in any bracket style or a 索引号 (whole or `2026-42`) is looked up on the normalised
  columns (`search.engine._doc_number_hits`); an exact or contiguous hit is the whole answer.

The matches are handed back to the backend as a `MatchAll` search over the narrowed queryset,
so the admin gets the backend's own results object (slicing, facets, counts) and every filter
the admin applied (permissions, the user's units, live, content type) still holds.

Latin-only queries go to Wagtail unchanged.
"""

import operator
from functools import reduce

from django.db import models
from django.db.models import Q, QuerySet
from wagtail.search.query import MATCH_ALL, Phrase, PlainText

from . import docnumbers
from .query import parse
from .segmentation import HAN_RUN

LIMIT = 1000  # matches handed back at most (the admin lists 20 a page)


def query_text(query):
    """The raw text of what the admin passed (a string, or parse_query_string's PlainText or
    Phrase), or None for compiled queries (the public search's own)."""
    if isinstance(query, str):
        return query
    if isinstance(query, PlainText | Phrase):
        return query.query_string
    return None


def wants_chinese_search(text):
    if not text or not text.strip():
        return False
    return bool(
        HAN_RUN.search(text)
        or docnumbers.looks_like_doc_number(text)
        or docnumbers.parse_index_number(text)
    )


def text_columns(model, fields=None):
    """The model's searchable plain character columns (title, 文号, 发布机构 …): short texts a
    substring test can read quickly. `fields` (the admin's own restriction) narrows them."""
    names = []
    for search_field in [
        *model.get_searchable_search_fields(),
        *model.get_autocomplete_search_fields(),
    ]:
        name = search_field.field_name
        if fields and name not in fields:
            continue
        try:
            column = model._meta.get_field(name)
        except Exception:
            continue
        if isinstance(column, models.CharField) and name not in names:
            names.append(name)
    return names


def _any(conditions):
    return reduce(operator.or_, conditions) if conditions else Q(pk__in=[])


def _all(conditions):
    return reduce(operator.and_, conditions) if conditions else Q()


def words_condition(parsed, columns):
    """Q: every part of the query occurs in one of the columns."""

    def occurs(variant):
        return _any([Q(**{f"{column}__icontains": variant}) for column in columns])

    return _all(
        [
            _any(
                [
                    _all([_any([occurs(variant) for variant in word]) for word in alt.words])
                    for alt in part.alternatives
                ]
            )
            for part in parsed.parts
        ]
    )


def matching_pks(text, queryset, fields=None):
    """The pks of the queryset's rows that the admin query matches (at most LIMIT), numbers
    first; None when the query is not one for the Chinese reading."""
    from .engine import _doc_number_hits  # the public search's 文号/索引号 look-up

    if not wants_chinese_search(text):
        return None
    parsed = parse(text)
    if not parsed:
        return None
    hits = _doc_number_hits(parsed, queryset, LIMIT)
    if hits and max(hits.values()) >= 2:
        return sorted(hits, key=lambda pk: -hits[pk])
    columns = text_columns(queryset.model, fields)
    found = []
    if columns and parsed.parts:
        found = list(
            queryset.order_by()
            .filter(words_condition(parsed, columns))
            .values_list("pk", flat=True)[:LIMIT]
        )
    return list(dict.fromkeys([*hits, *found]))


class ChineseAdminSearchMixin:
    """Mixed into the default backend's class (search.backends.database)."""

    def _chinese(self, query, model_or_queryset, fields):
        text = query_text(query)
        if text is None:
            return None
        if isinstance(model_or_queryset, QuerySet):
            queryset = model_or_queryset
        else:
            queryset = model_or_queryset.objects.all()
        pks = matching_pks(text, queryset, fields)
        if pks is None:
            return None
        # order_by_relevance=False keeps the admin's ordering (or the model's own).
        return super().search(MATCH_ALL, queryset.filter(pk__in=pks), order_by_relevance=False)

    def autocomplete(self, query, model_or_queryset, fields=None, **kwargs):
        found = self._chinese(query, model_or_queryset, fields)
        if found is not None:
            return found
        return super().autocomplete(query, model_or_queryset, fields=fields, **kwargs)

    def search(self, query, model_or_queryset, fields=None, **kwargs):
        # Only the raw strings of the admin: the public search passes compiled query objects.
        if isinstance(query, str):
            found = self._chinese(query, model_or_queryset, fields)
            if found is not None:
                return found
        return super().search(query, model_or_queryset, fields=fields, **kwargs)
