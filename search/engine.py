"""The public search: one function used by the search page and the API.

    outcome = run_search("社保 2024", queryset, filters={"year": "2024"})

1. The query is parsed (search.query): words, synonyms, 文号/索引号 shape.
2. Candidates come from the search backend: on SQLite straight from the FTS5 table (one query
   for the best matches anywhere, one for matches in titles, one count), elsewhere through
   Wagtail's `backend.search()` with the same query compiled to Wagtail query objects.
3. A query shaped like a 文号 or 索引号 is also looked up on the normalised number columns;
   exact and partial hits rank first.
4. Candidates are re-ranked in Python by where each part of the query occurs: the model's own
   `search_fields` boosts (title above 文号 and 发布机构 above 内容概述 above body), then the
   backend's relevance. SQLite's backend ignores field boosts (it has one body column), so
   this step is what makes titles count; on PostgreSQL and Elasticsearch it agrees with them.
5. Facet counts are taken over every match, not only the listed ones.
"""

import datetime
import json
import math
import re
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import connections, models, router
from django.db.models import CharField, Count, F, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Substr
from django.db.models.lookups import Lookup
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from . import docnumbers
from .conf import search_config
from .index import backend_segments_text
from .query import (
    FieldText,
    _fts_string,
    _wagtail_leaf,
    fallback_bigrams,
    fts5_leaf,
    parse,
    relaxed_variants,
    to_fts5,
    to_fts5_relaxed,
    to_wagtail,
    to_wagtail_relaxed,
)
from .segmentation import is_han

REST_BOOST = 1.0  # where a word matched outside the fields we look at (the body)
RELEVANCE_WEIGHT = 0.3  # share of the backend's own relevance in the final score
PHRASE_BONUS = 0.3  # share of a field's weight added when the query's words stand together
SYNONYM_FACTOR = 0.95  # a synonym's match counts a little less than the words typed
# Relaxing (Elasticsearch's minimum_should_match): when fewer than RELAX_BELOW documents have
# every word, documents with most of the words' weight (a word weighs its length) join them.
RELAX_BELOW = 10
MIN_SHOULD_MATCH = 0.5
BIGRAM_CREDIT = 0.8  # a word found only as its bigrams (一网、通办) counts this much
MAX_RELAXED_LEAVES = 24  # hit look-ups per relaxed query
RELAXED_RELEVANCE = 0.8  # backend relevance of a relaxed match, relative to the full matches


class Like(Lookup):
    """`column LIKE pattern` (no escaping: patterns are built from letters and digits)."""

    lookup_name = "gongkai_like"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs}", [*lhs_params, *rhs_params]


@dataclass
class Facet:
    name: str
    values: list  # [(key, label, count)]
    selected: str | None = None


@dataclass
class SearchOutcome:
    query: object  # ParsedQuery
    pks: list = field(default_factory=list)  # ranked, at most CANDIDATES
    total: int = 0  # every match (may be more than len(pks))
    facets: list = field(default_factory=list)
    doc_number_hits: set = field(default_factory=set)
    estimated: bool = False  # total estimated (more matches than are read)


# --- candidates ---------------------------------------------------------------------------------


def _sqlite_backend(backend, queryset):
    # Check the database first: on PostgreSQL the SQLite backend's module cannot even be
    # imported (its index model only exists on SQLite).
    if connections[router.db_for_read(queryset.model)].vendor != "sqlite":
        return False
    try:
        from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend
    except (ImportError, LookupError):  # pragma: no cover
        return False
    return isinstance(backend, SQLiteSearchBackend)


TITLE_WEIGHT = 10.0  # bm25 column weight of titles: title matches come first among candidates


class SQLiteMatches:
    """The best matches straight from the FTS5 table, with their bm25 scores, and how many
    there are; the queryset's filters are then checked for those rows only.

    Wagtail's SQLite backend scores each result with a correlated sub-query over the whole
    match and filters through `pk IN (queryset)`, which reads every public page; joining the
    FTS table to the index entries reads an entry row (with its text) per match. Both take
    seconds or hundreds of milliseconds at 100,000 pages. Here: count the matches in the FTS
    table alone, keep the best `keep` by bm25 (SQLite keeps a top-k while it scores), and
    look up the entries (content type, object id) of those rows only."""

    def __init__(self, queryset, match, keep):
        from modelsearch.utils import get_descendants_content_types_pks
        from wagtail.search.models import IndexEntry, SQLiteFTSIndexEntry

        fts = SQLiteFTSIndexEntry._meta.db_table
        content_types = set(get_descendants_content_types_pks(queryset.model))
        expression = f"{{title body}} : ({match})"
        with connections[queryset.db].cursor() as cursor:
            # columns of the FTS table: autocomplete, body, title
            cursor.execute(
                f"SELECT rowid, bm25({fts}, 0.0, 1.0, {TITLE_WEIGHT}) AS score FROM {fts} "
                f"WHERE {fts} MATCH %s ORDER BY score LIMIT %s",
                [expression, keep],
            )
            by_entry = dict(cursor.fetchall())
            self.count = len(by_entry)
            self.complete = self.count < keep
            if not self.complete:
                cursor.execute(f"SELECT COUNT(*) FROM {fts} WHERE {fts} MATCH %s", [expression])
                self.count = cursor.fetchone()[0]
            if not by_entry:
                self.scores, self.entries = {}, {}
                return
            cursor.execute(
                f"SELECT id, content_type_id, object_id FROM {IndexEntry._meta.db_table} "
                "WHERE id IN (SELECT value FROM json_each(%s))",
                [json.dumps(list(by_entry))],
            )
            # bm25 is negative, better matches lower: keep it positive, higher is better
            self.scores, self.entries = {}, {}
            for entry, content_type, object_id in cursor.fetchall():
                if content_type in content_types:
                    self.scores[int(object_id)] = -by_entry[entry]
                    self.entries[int(object_id)] = entry


def _sqlite_hits(queryset, entries, leaves):
    """{leaf: {pk}}: which of the candidates (pk → FTS row) each FTS5 leaf matches, one
    query per leaf restricted to the candidates' rows."""
    from wagtail.search.models import SQLiteFTSIndexEntry

    fts = SQLiteFTSIndexEntry._meta.db_table
    by_entry = {entry: pk for pk, entry in entries.items()}
    rows = json.dumps(sorted(by_entry))
    hits = {}
    with connections[queryset.db].cursor() as cursor:
        for leaf in leaves:
            cursor.execute(
                f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s "
                "AND rowid IN (SELECT value FROM json_each(%s))",
                [f"{{title body}} : ({leaf})", rows],
            )
            hits[leaf] = {by_entry[row] for (row,) in cursor.fetchall()}
    return hits


def ids_condition(pks, vendor="sqlite"):
    """`pk IN (…)` for any number of ids: on SQLite one JSON parameter (SQLite caps the
    number of parameters), elsewhere a plain list."""
    if vendor != "sqlite":
        return Q(pk__in=sorted(pks))
    return Q(pk__in=RawSQL("SELECT value FROM json_each(%s)", [json.dumps(sorted(pks))]))


def _best_public(queryset, scores, limit):
    """The `limit` best-scored pks that the queryset lets through: the best 2 × limit are
    checked first (enough when the search is not narrowed), then all the rest at once."""
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    vendor = connections[queryset.db].vendor
    best, first = [], max(limit * 2, 100)
    for chunk in (ranked[:first], ranked[first:]):
        if not chunk:
            break
        allowed = set(queryset.filter(ids_condition(chunk, vendor)).values_list("pk", flat=True))
        best.extend(pk for pk in chunk if pk in allowed)
        if len(best) >= limit:
            break
    return best[:limit]


def _candidates(parsed, queryset, limit):
    """Generic path (every backend but SQLite): ({pk: relevance 0..1} of the best `limit`,
    Q matching every result)."""
    backend = get_search_backend()
    wagtail_query = to_wagtail(parsed, segments=backend_segments_text())
    if wagtail_query is None:
        return {}, None
    light = queryset.only("pk")
    ranked = [page.pk for page in backend.search(wagtail_query, light)[:limit]]
    scores = {pk: 1 - i / max(len(ranked), 1) for i, pk in enumerate(ranked)}
    every = backend.search(wagtail_query, light, order_by_relevance=False)
    # The database backends' results are a query of their own: every match stays a subquery,
    # counted and grouped by the database, never loaded (as objects, then sent back as ids).
    matches = every.get_queryset() if hasattr(every, "get_queryset") else None
    if isinstance(matches, QuerySet):
        return scores, Q(pk__in=matches.values("pk"))
    return scores, Q(pk__in=[obj.pk for obj in every])


def _doc_number_hits(parsed, queryset, limit):
    """{pk: tier} for 文号 and 索引号 matches (3 exact, 2 contiguous, 1 parts in order).

    Numbers are looked up on the bare table first (its index on the number column is read,
    not the rows), then the few hits are checked against the queryset's filters."""
    config = search_config()
    model = config.model
    if not issubclass(model, queryset.model):
        return {}
    field_names = {f.name for f in model._meta.get_fields()}
    table = model._base_manager.order_by()
    found = {}
    if parsed.doc_number and config.doc_number_field in field_names:
        column = config.doc_number_field
        target = docnumbers.normalise_doc_number(parsed.raw)
        rows = list(table.filter(**{column: target}).values_list("pk", column)[:limit])
        for pattern in docnumbers.like_patterns(parsed.raw):
            if len(rows) >= limit:
                break
            rows += table.filter(Like(F(column), Value(pattern))).values_list("pk", column)[:limit]
        for pk, stored in rows:
            tier = docnumbers.match_tier(parsed.raw, stored)
            if tier:
                found[pk] = max(found.get(pk, 0), tier)
    column = config.index_number_field
    if column in field_names:
        raw = docnumbers.normalise_index_number(parsed.raw)
        if parsed.index_number or docnumbers.INDEX_CODE.match(raw.lower()):
            for pk in table.filter(**{column: raw}).values_list("pk", flat=True)[:1]:
                found[pk] = 3
            if parsed.index_number:
                code, year, serial = parsed.index_number
                partial = table.filter(**{f"{column}__endswith": f"/{year}-{serial:05d}"})
                if code:
                    partial = partial.filter(**{f"{column}__startswith": code})
                for pk in partial.values_list("pk", flat=True)[:limit]:
                    found.setdefault(pk, 2)
            else:
                prefix = raw.rstrip("/") + "/"
                for pk in table.filter(**{f"{column}__startswith": prefix}).values_list(
                    "pk", flat=True
                )[:limit]:
                    found.setdefault(pk, 1)
    if not found:
        return {}
    vendor = connections[queryset.db].vendor
    public = set(queryset.filter(ids_condition(found, vendor)).values_list("pk", flat=True))
    return {pk: tier for pk, tier in found.items() if pk in public}


# --- re-ranking -----------------------------------------------------------------------------------


def ranking_fields(model):
    """{field name: boost} of the model's text search fields that are plain columns."""
    fields = {}
    for search_field in model.get_searchable_search_fields():
        try:
            model_field = model._meta.get_field(search_field.field_name)
        except Exception:
            continue
        if not isinstance(model_field, models.CharField | models.TextField):
            continue
        boost = float(search_field.boost or 1)
        fields[search_field.field_name] = max(boost, fields.get(search_field.field_name, 0))
    return fields


def _field_rows(pks):
    """{pk: {field: text}} for the candidates, read from the searched model where it has them."""
    config = search_config()
    model = config.model
    weights = ranking_fields(model)
    rows = {row["pk"]: row for row in model.objects.filter(pk__in=pks).values("pk", *weights)}
    missing = [pk for pk in pks if pk not in rows]
    if missing:
        for row in Page.objects.filter(pk__in=missing).values("pk", "title"):
            rows[row["pk"]] = row
    return rows, weights


def field_score(parsed, row, weights, in_index, found=None):
    """0..1: how prominently every part of the query occurs in the candidate. `found(variant)`
    tells whether the index has the variant for it (a relaxed match lacks some words);
    without it every word is taken to be there."""
    if not parsed.parts:
        return 0.0
    texts = {name: FieldText(row.get(name) or "") for name in weights}
    top = max([*weights.values(), REST_BOOST])
    rest = REST_BOOST if in_index else 0.0

    def where(variants):
        fields = [
            weights[name] for name, text in texts.items() if any(map(text.contains, variants))
        ]
        elsewhere = rest if found is None or any(map(found, variants)) else 0.0
        return max(fields, default=elsewhere)

    total = 0.0
    for part in parsed.parts:
        best = 0.0
        for position, alternative in enumerate(part.alternatives):
            per_word = sum(where(word) for word in alternative.words) / len(alternative.words)
            literal = where([alternative.text]) if " " not in alternative.text else 0.0
            score = max(per_word, literal if literal > rest else 0.0)
            if len(alternative.words) > 1:
                # the words together as typed (政府|工作|报告 in 政府工作报告), in a field
                joined = "".join(word[0] for word in alternative.words if is_han(word[0]))
                score += PHRASE_BONUS * max(
                    (weights[name] for name, text in texts.items() if text.contains(joined)),
                    default=0.0,
                )
            if position:
                score *= SYNONYM_FACTOR
            best = max(best, score)
        total += best
    return total / (len(parsed.parts) * top)


def coverage(parsed, found):
    """0..1: the share of the query's weight the document has (a word weighs its length; a
    part, the best of its alternatives; a word missing whole but present as its bigrams gets
    BIGRAM_CREDIT of their share). `found(leaf)` tells whether the document has a variant or
    bigram."""
    total = got = 0.0
    for part in parsed.parts:
        best = 0.0
        for alternative in part.alternatives:
            weight = have = 0.0
            for word in alternative.words:
                size = max(len(word[0]), 1)
                weight += size
                if any(map(found, word)):
                    have += size
                    continue
                pieces = fallback_bigrams(word[0])
                if pieces:
                    have += size * BIGRAM_CREDIT * sum(map(found, pieces)) / len(pieces)
            best = max(best, have / weight if weight else 0.0)
        size = len(part.text)
        total += size
        got += size * best
    return got / total if total else 0.0


def _rank(parsed, relevance, doc_hits, limit, relaxed=None):
    """The best `limit` pks. `relaxed`: {pk: (coverage, found)} of the candidates that lack
    some words (the others have them all: coverage 1)."""
    relaxed = relaxed or {}
    pks = list(dict.fromkeys([*doc_hits, *relevance]))
    if not pks:
        return []
    rows, weights = _field_rows(pks)
    scored = []
    for pk in pks:
        row = rows.get(pk, {})
        share, found = relaxed.get(pk, (1.0, None))
        score = share * (1 + field_score(parsed, row, weights, pk in relevance, found))
        score += RELEVANCE_WEIGHT * relevance.get(pk, 0.0) + 10 * doc_hits.get(pk, 0)
        scored.append((-score, -pk, pk))
    scored.sort()
    return [pk for _score, _neg, pk in scored[:limit]]


# --- relaxing -------------------------------------------------------------------------------------


def _tsquery_text(key):
    from .segmentation import bigrams

    return "(" + " <-> ".join(bigrams(key) if is_han(key) else [key]) + ")"


def _postgresql_ranked(queryset, keys, config, keep):
    """{pk: ts_rank} of the best `keep` index entries with any of the keys, read from the
    GIN index on `title || body` (migration 0003) instead of through every page row."""
    from modelsearch.utils import get_descendants_content_types_pks
    from wagtail.search.models import IndexEntry

    keys = [key for key in keys if key]
    if not keys:
        return {}
    content_types = list(get_descendants_content_types_pks(queryset.model))
    query = "to_tsquery(%s::regconfig, %s)" if config else "to_tsquery(%s)"
    params = (
        [config, " | ".join(map(_tsquery_text, keys))]
        if config
        else [" | ".join(map(_tsquery_text, keys))]
    )
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            f"SELECT object_id, ts_rank(title || body, q) AS r "
            f"FROM {IndexEntry._meta.db_table}, {query} AS q "
            "WHERE content_type_id = ANY(%s) AND (title || body) @@ q "
            "ORDER BY r DESC, object_id LIMIT %s",
            [*params, content_types, keep],
        )
        return {int(object_id): rank for object_id, rank in cursor.fetchall()}


def _postgresql_hits(queryset, pks, keys, config):
    """{key: {pk}}: which candidates' index entries hold each word (as the phrase of its
    bigrams, as the index stores it), in one query over the candidates' rows only."""
    from modelsearch.utils import get_descendants_content_types_pks
    from wagtail.search.models import IndexEntry

    from .segmentation import bigrams

    if not keys:
        return {}
    content_types = list(get_descendants_content_types_pks(queryset.model))
    phrases = [" ".join(bigrams(key)) if is_han(key) else key for key in keys]
    regconfig = "%s::regconfig, " if config else ""
    tests = ", ".join(f"v @@ phraseto_tsquery({regconfig}%s)" for _ in phrases)
    params = []
    for phrase in phrases:
        params += [config, phrase] if config else [phrase]
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            # the candidates' vectors joined once, then every word tested against them
            "WITH c AS MATERIALIZED (SELECT object_id, title || body AS v "
            f"FROM {IndexEntry._meta.db_table} "
            "WHERE content_type_id = ANY(%s) AND object_id = ANY(%s)) "
            f"SELECT object_id, ARRAY[{tests}] FROM c",
            [content_types, [str(pk) for pk in pks], *params],
        )
        rows = cursor.fetchall()
    has = {key: set() for key in keys}
    for object_id, flags in rows:
        for key, flag in zip(keys, flags, strict=True):
            if flag:
                has[key].add(int(object_id))
    return has


def _relax(parsed, queryset, limit):
    """({pk: relevance}, {pk: (coverage, found)}) of the documents that have enough of the
    query's weight (MIN_SHOULD_MATCH) without having every word."""
    variants = relaxed_variants(parsed)
    keys = list(variants)
    for variant in variants:
        keys.extend(fallback_bigrams(variant))
    keys = list(dict.fromkeys(keys))[:MAX_RELAXED_LEAVES]
    if _use_sqlite_fts(queryset):
        mode = search_config().index_mode
        match = to_fts5_relaxed(parsed, mode)
        if not match:
            return {}, {}
        source = SQLiteMatches(queryset, match, keep=limit * 4)
        best = _best_public(queryset, source.scores, limit)
        if not best:
            return {}, {}
        top = max(source.scores[pk] for pk in best) or 1.0
        relevance = {pk: source.scores[pk] / top for pk in best}
        leaf_of = {
            key: fts5_leaf(key, mode) if key in variants else _fts_string(key) for key in keys
        }
        hits = _sqlite_hits(
            queryset, {pk: source.entries[pk] for pk in best}, set(leaf_of.values())
        )
        has = {key: hits[leaf] for key, leaf in leaf_of.items()}
    else:
        from wagtail.search.query import PlainText

        backend = get_search_backend()
        segments = backend_segments_text()
        query = to_wagtail_relaxed(parsed, segments)
        if query is None:
            return {}, {}
        postgresql = connections[queryset.db].vendor == "postgresql" and segments
        config = getattr(backend, "config", None)
        if postgresql:
            scores = _postgresql_ranked(queryset, keys, config, keep=limit * 4)
            ranked = _best_public(queryset, scores, limit)
        else:
            ranked = [page.pk for page in backend.search(query, queryset.only("pk"))[:limit]]
        if not ranked:
            return {}, {}
        relevance = {pk: 1 - i / len(ranked) for i, pk in enumerate(ranked)}
        if postgresql:
            has = _postgresql_hits(queryset, ranked, keys, config)
        else:
            candidates = queryset.filter(pk__in=ranked).only("pk")
            has = {}
            for key in keys:
                leaf = _wagtail_leaf(key, segments) if key in variants else PlainText(key)
                found = backend.search(leaf, candidates, order_by_relevance=False)
                has[key] = {page.pk for page in found}
    relaxed = {}
    for pk in relevance:

        def found(key, pk=pk):
            return pk in has.get(key, ())

        share = coverage(parsed, found)
        if share >= MIN_SHOULD_MATCH:
            relaxed[pk] = (share, found)
    return {pk: relevance[pk] for pk in relaxed}, relaxed


# --- one relevance for every database -------------------------------------------------------------

BM25_K1 = 1.2
BM25_B = 0.3  # mild length normalisation: long documents about the words are not pushed down


def _index_texts(queryset, pks):
    """{pk: segmented text of title and body} from the database index entries (the same
    text on SQLite and PostgreSQL), or {} where the backend keeps no text (Elasticsearch)."""
    from modelsearch.utils import get_descendants_content_types_pks
    from wagtail.search.models import IndexEntry

    if not backend_segments_text():
        return {}
    fields = {f.name for f in IndexEntry._meta.get_fields()}
    title, body = ("title_text", "body_text") if "body_text" in fields else ("title", "body")
    rows = IndexEntry.objects.using(queryset.db).filter(
        content_type_id__in=list(get_descendants_content_types_pks(queryset.model)),
        object_id__in=[str(pk) for pk in pks],
    )
    return {
        int(object_id): f" {t or ''} {b or ''} "
        for object_id, t, b in rows.values_list("object_id", title, body)
    }


def text_relevance(parsed, texts):
    """{pk: 0..1}: BM25 of the query's words (and the bigrams of its longer words) over the
    candidates' index text, document frequencies taken among the candidates. Computed here,
    not by the database, so that SQLite and PostgreSQL order the same candidates the same."""
    from .segmentation import bigrams

    keys = []
    for variant in relaxed_variants(parsed):
        keys.append(variant)
        keys.extend(fallback_bigrams(variant))
    needles = {
        key: " " + (" ".join(bigrams(key)) if is_han(key) else key) + " "
        for key in dict.fromkeys(keys)
    }
    if not texts or not needles:
        return {}
    lengths = {pk: text.count(" ") for pk, text in texts.items()}
    average = sum(lengths.values()) / len(lengths) or 1.0
    counts = {pk: {k: text.count(n) for k, n in needles.items()} for pk, text in texts.items()}
    total = len(texts)
    idf = {}
    for key in needles:
        df = sum(1 for c in counts.values() if c[key])
        idf[key] = math.log(1 + (total - df + 0.5) / (df + 0.5))
    scores = {}
    for pk, c in counts.items():
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[pk] / average)
        scores[pk] = sum(idf[key] * tf * (BM25_K1 + 1) / (tf + norm) for key, tf in c.items() if tf)
    top = max(scores.values(), default=0.0) or 1.0
    return {pk: value / top for pk, value in scores.items()}


# --- facets ---------------------------------------------------------------------------------------


def _with_years(queryset, lookups):
    """Years as the first four characters of the date: SQLite's year extraction is a Python
    function called per row."""
    years = {
        _year_column(lookup): Substr(Cast(lookup[: -len("__year")], CharField()), 1, 4)
        for lookup in lookups.values()
        if lookup.endswith("__year")
    }
    return queryset.annotate(**years) if years else queryset


def _year_column(lookup):
    return "_year_" + lookup[: -len("__year")]


def _group_columns(lookups):
    return [_year_column(lk) if lk.endswith("__year") else lk for lk in lookups.values()]


def _ungroup(row, lookups):
    for lookup in lookups.values():
        if lookup.endswith("__year"):
            value = row.pop(_year_column(lookup))
            row[lookup] = int(value) if value else None
    return row


def _facet_lookups(model):
    """{facet name: lookup} of the configured facets that apply to the model."""
    config = search_config()
    names = {f.name for f in model._meta.get_fields()}
    return {
        name: lookup
        for name, (lookup, _key) in config.facets.items()
        if lookup.split("__")[0] in names
    }


def _facets_from_rows(model, rows, lookups, selected):
    counts = {name: Counter() for name in lookups}
    for row in rows:
        for name, lookup in lookups.items():
            if row[lookup] is not None:
                counts[name][row[lookup]] += row.get("n", 1)
    config = search_config()
    facets = []
    for name, lookup in lookups.items():
        key_field = config.facets[name][1]
        values = [
            (key, label, counts[name][raw])
            for raw, key, label in _facet_labels(model, lookup, key_field, counts[name])
        ]
        if lookup.endswith("__year"):
            values.sort(key=lambda v: v[0], reverse=True)
        else:
            values.sort(key=lambda v: (-v[2], str(v[1])))
        facets.append(Facet(name=name, values=values, selected=selected.get(name)))
    return facets


def _facet_labels(model, lookup, key_field, counter):
    """[(raw value, URL key, label)] for the facet's values."""
    if lookup.endswith("__year"):
        return [(raw, str(raw), str(raw)) for raw in counter]
    model_field = model._meta.get_field(lookup)
    if model_field.is_relation:
        names = related_labels(model_field.related_model, key_field, needed=counter)
        return [(raw, *names[raw]) for raw in counter if raw in names]
    labels = dict(model_field.flatchoices) if model_field.choices else {}
    return [(raw, str(raw), str(labels.get(raw, raw))) for raw in counter]


_labels_cache = {}
LABELS_SECONDS = 60


def related_labels(model, key_field, needed=()):
    """{pk: (URL key, label)} of a facet's related model (units, catalogue classes: a few
    hundred rows), read at most once a minute per process instead of once per search (and
    again at once when a value is missing: a unit provisioned a moment ago)."""
    cache_key = (model._meta.label, key_field)
    cached = _labels_cache.get(cache_key)
    now = time.monotonic()
    stale = cached is None or now - cached[0] > LABELS_SECONDS
    if stale or any(pk not in cached[1] for pk in needed):
        table = {
            obj.pk: (str(getattr(obj, key_field or "pk")), str(obj))
            for obj in model._default_manager.all()
        }
        cached = _labels_cache[cache_key] = (now, table)
    return cached[1]


_YEAR_RE = re.compile(r"[0-9]{1,4}")


def apply_filters(queryset, filters):
    """Narrow the queryset by facet selections {facet name: URL key}; unknown ones are ignored."""
    config = search_config()
    applied = {}
    for name, key in filters.items():
        if name not in config.facets or key in (None, ""):
            continue
        lookup, key_field = config.facets[name]
        if lookup.endswith("__year"):
            key = str(key)
            if not _YEAR_RE.fullmatch(key):  # not a year (other digits than 0-9 included)
                continue
            year = int(key)
            date_field = lookup[: -len("__year")]
            if not datetime.MINYEAR <= year < datetime.MAXYEAR:
                # Year 0 or 9999 has no date range to filter on, and certainly no item.
                queryset = queryset.none()
            else:
                queryset = queryset.filter(
                    **{
                        f"{date_field}__gte": datetime.date(year, 1, 1),
                        f"{date_field}__lt": datetime.date(year + 1, 1, 1),
                    }
                )
        elif key_field and "__" not in lookup:
            # Filter on the foreign key itself: search backends other than SQLite FTS only
            # filter on indexed fields (unit, catalogue_class), never across a relation.
            related = queryset.model._meta.get_field(lookup).related_model
            target = (
                related._base_manager.filter(**{key_field: key})
                .values_list("pk", flat=True)
                .first()
            )
            queryset = queryset.none() if target is None else queryset.filter(**{lookup: target})
        elif key_field:
            queryset = queryset.filter(**{f"{lookup}__{key_field}": key})
        else:
            queryset = queryset.filter(**{lookup: key})
        applied[name] = str(key)
    return queryset, applied


# --- the whole search ------------------------------------------------------------------------------


def _use_sqlite_fts(queryset):
    return _sqlite_backend(get_search_backend(), queryset)


def run_search(raw_query, queryset, filters=None, with_facets=True):
    """Search the queryset (already live, public and scoped) for what the citizen typed."""
    config = search_config()
    parsed = parse(raw_query)
    outcome = SearchOutcome(query=parsed)
    if not parsed:
        return outcome
    queryset, applied = apply_filters(queryset, filters or {})
    limit = config.candidates
    doc_hits = _doc_number_hits(parsed, queryset, limit)
    outcome.doc_number_hits = set(doc_hits)
    facet_lookups = _facet_lookups(queryset.model) if with_facets else {}

    number_only = bool(doc_hits) and max(doc_hits.values()) >= 2
    if number_only:
        # The citizen typed a number that exists: its documents are the answer (the words
        # of a 文号 — 4, 2025, 号 — would match half the catalogue).
        rows = list(
            queryset.order_by()
            .filter(ids_condition(doc_hits, connections[queryset.db].vendor))
            .values("pk", *facet_lookups.values())
        )
        relevance = {}
        outcome.total = len(rows)
        if with_facets:
            outcome.facets = _facets_from_rows(queryset.model, rows, facet_lookups, applied)
    elif _use_sqlite_fts(queryset):
        match = to_fts5(parsed, config.index_mode)
        scores, best, keep = {}, [], config.exact_counts
        while match:
            source = SQLiteMatches(queryset, match, keep=keep)
            scores = source.scores
            best = _best_public(queryset, scores, limit)
            # A narrowed search (a unit, a year…) may find too few of its own among the best
            # matches overall: read further down the list until it has a full list or all.
            if source.complete or len(best) >= limit:
                break
            keep *= 8
        top = scores[best[0]] if best else 1.0
        relevance = {pk: scores[pk] / top for pk in best}
        matched = queryset.order_by().filter(ids_condition(set(scores) | set(doc_hits)))
        if with_facets and facet_lookups:
            # one grouped query: a few rows per unit, class, year and validity, not one per match
            grouped = list(
                _with_years(matched, facet_lookups)
                .values(*_group_columns(facet_lookups))
                .annotate(n=Count("pk"))
            )
            grouped = [_ungroup(row, facet_lookups) for row in grouped]
            outcome.total = sum(row["n"] for row in grouped)
            outcome.facets = _facets_from_rows(queryset.model, grouped, facet_lookups, applied)
        elif scores or doc_hits:
            outcome.total = matched.count()
        if match and not source.complete:
            # More matches than are read: counts cover the best ones, the total is estimated
            # from the share of them that are public and in scope.
            share = outcome.total / max(len(scores), 1)
            outcome.total = round(source.count * share)
            outcome.estimated = True
    else:
        relevance, matches = _candidates(parsed, queryset, limit)
        condition = Q(pk__in=list(doc_hits)) if doc_hits else None
        if matches is not None:
            condition = matches if condition is None else (condition | matches)
        if condition is not None:
            matched = queryset.filter(condition)
            if with_facets and facet_lookups:
                # One grouped query gives the facets and, summed, the total (each match has one
                # unit, class, year and validity): the search runs twice, not three times.
                rows = list(
                    matched.order_by().values(*facet_lookups.values()).annotate(n=Count("pk"))
                )
                outcome.total = sum(row["n"] for row in rows)
                outcome.facets = _facets_from_rows(queryset.model, rows, facet_lookups, applied)
            else:
                outcome.total = matched.count()
    relaxed = {}
    if not number_only and parsed.parts and outcome.total < RELAX_BELOW:
        # Too few documents have every word: add those with most of the query's weight.
        extra, relaxed = _relax(parsed, queryset, limit)
        for pk in list(relaxed):
            if pk in relevance or pk in doc_hits:
                del relaxed[pk]  # it has every word after all
            else:
                relevance[pk] = RELAXED_RELEVANCE * extra[pk]
        if relaxed:
            everything = set(relevance) | set(doc_hits)
            matched = queryset.order_by().filter(
                ids_condition(everything, connections[queryset.db].vendor)
            )
            if with_facets and facet_lookups:
                rows = list(matched.values("pk", *facet_lookups.values()))
                outcome.facets = _facets_from_rows(queryset.model, rows, facet_lookups, applied)
                outcome.total = len(rows)
            else:
                outcome.total = matched.count()
    texts = _index_texts(queryset, relevance) if relevance else {}
    if texts:
        # one relevance on every database: computed from the stored index text
        ours = text_relevance(parsed, texts)
        relevance = {
            pk: ours.get(pk, 0.0) * (RELAXED_RELEVANCE if pk in relaxed else 1.0)
            for pk in relevance
        }
    outcome.pks = _rank(parsed, relevance, doc_hits, limit, relaxed)
    return outcome
