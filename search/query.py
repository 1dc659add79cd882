"""What a citizen typed, read as a query.

    query        = AND of parts          (the words separated by spaces)
    part         = OR of alternatives    (the part itself and its synonyms, 社保 | 社会保险)
    alternative  = AND of words          (jieba's words of it, 河南预算 → 河南 AND 预算)
    word         = OR of variants        (the word and its synonyms)

A variant is matched in the index as the phrase of its character bigrams, so it is found
wherever it literally occurs. The same structure is compiled to an FTS5 expression (the fast
SQLite path), to Wagtail search query objects (every other backend), and is used to re-rank
candidates field by field and to highlight matches.
"""

import re
from dataclasses import dataclass, field

from wagtail.search.query import And, Or, Phrase, PlainText

from . import docnumbers
from .segmentation import bigrams, cut_for_query, is_han, normalise, tokens
from .synonyms import expand

MAX_LENGTH = 200
MAX_PARTS = 8
MAX_VARIANTS = 6


@dataclass
class Alternative:
    text: str  # normalised, e.g. "社会保险"
    words: list  # [[variant, ...], ...]


@dataclass
class Part:
    text: str  # normalised, as typed
    alternatives: list


@dataclass
class ParsedQuery:
    raw: str
    parts: list = field(default_factory=list)
    doc_number: bool = False
    index_number: tuple | None = None

    def __bool__(self):
        return bool(self.parts) or self.doc_number or self.index_number is not None

    @property
    def terms(self):
        """Every variant that can match, longest first (for highlighting)."""
        found = {
            variant
            for part in self.parts
            for alternative in part.alternatives
            for word in alternative.words
            for variant in word
        }
        found.update(alternative.text for part in self.parts for alternative in part.alternatives)
        return sorted(found, key=lambda t: (-len(t), t))

    def without_part(self, index):
        """The query with one part left out (for "try without …" suggestions)."""
        return " ".join(p.text for i, p in enumerate(self.parts) if i != index)


def split_parts(raw):
    return [chunk for chunk in re.split(r"\s+", normalise(raw)) if chunk][:MAX_PARTS]


def parse(raw):
    raw = (raw or "").strip()[:MAX_LENGTH]
    query = ParsedQuery(raw=raw)
    if not raw:
        return query
    query.doc_number = docnumbers.looks_like_doc_number(raw)
    query.index_number = docnumbers.parse_index_number(raw)
    chunks = split_parts(raw)
    for chunk in chunks:
        chunk_tokens = tokens(chunk)
        if not chunk_tokens:
            continue
        # A chunk of one token may itself be a synonym term (社保); 鹤政发2025 is not.
        texts = expand(chunk_tokens[0]) if len(chunk_tokens) == 1 else [" ".join(chunk_tokens)]
        alternatives = []
        for alternative_text in texts[:MAX_VARIANTS]:
            words = [expand(word)[:MAX_VARIANTS] for word in cut_for_query(alternative_text)]
            if words:
                alternatives.append(Alternative(text=alternative_text, words=words))
        if alternatives:
            query.parts.append(Part(text=chunk, alternatives=alternatives))
    _drop_lone_characters(query)
    return query


def _drop_lone_characters(query):
    """A single Chinese character matches almost everything; keep it only when the query has
    nothing longer (then it is all the citizen asked for)."""
    words = [w for p in query.parts for a in p.alternatives for w in a.words]
    if not any(len(variant) > 1 or not is_han(variant) for word in words for variant in word):
        return
    for part in query.parts:
        for alternative in part.alternatives:
            kept = [
                w
                for w in alternative.words
                if not (len(w) == 1 and len(w[0]) == 1 and is_han(w[0]))
            ]
            alternative.words = kept or alternative.words
        part.alternatives = [a for a in part.alternatives if a.words]
    query.parts = [p for p in query.parts if p.alternatives]


# --- compiling -----------------------------------------------------------------------------


def _fts_string(text):
    return '"' + text.replace('"', '""') + '"'


def fts5_leaf(variant, mode="bigrams"):
    if not is_han(variant):
        return _fts_string(variant)
    if len(variant) == 1:
        return _fts_string(variant) + "*"
    if mode == "words":
        return _fts_string(variant)
    phrase = _fts_string(" ".join(bigrams(variant)))
    if mode == "words+bigrams":
        return f"({_fts_string(variant)} OR {phrase})"
    return phrase


def _join(items, operator):
    items = list(dict.fromkeys(items))
    return items[0] if len(items) == 1 else "(" + f" {operator} ".join(items) + ")"


def _alternatives(part):
    """The part's alternatives as lists of words, the one-word ones merged into one word with
    all their variants (社保 | 社会保险 once, not once per direction of the synonym)."""
    single, multiple = [], []
    for alternative in part.alternatives:
        if len(alternative.words) == 1:
            single.extend(alternative.words[0])
        else:
            multiple.append(alternative.words)
    return ([[list(dict.fromkeys(single))]] if single else []) + multiple


def to_fts5(query, mode="bigrams"):
    """An FTS5 MATCH expression for the query, or '' when there is nothing to match."""
    parts = []
    for part in query.parts:
        alternatives = [
            _join([_join([fts5_leaf(v, mode) for v in word], "OR") for word in words], "AND")
            for words in _alternatives(part)
        ]
        parts.append(_join(alternatives, "OR"))
    return _join(parts, "AND") if parts else ""


def relaxed_variants(query):
    """Every distinct variant of every word, in order (for the relaxed query)."""
    return list(
        dict.fromkeys(
            variant
            for part in query.parts
            for alternative in part.alternatives
            for word in alternative.words
            for variant in word
        )
    )


def fallback_bigrams(variant):
    """What a Chinese word of three or more characters falls back to when the documents do
    not have it whole (城市低保金, 一网通办 written 一网、通办): its bigrams."""
    return bigrams(variant) if is_han(variant) and len(variant) > 2 else []


def to_fts5_relaxed(query, mode="bigrams"):
    """An FTS5 expression matching documents with ANY word of the query, or any bigram of
    its longer words: the candidates of the relaxed query (minimum-should-match is applied
    when they are scored)."""
    leaves = []
    for variant in relaxed_variants(query):
        leaves.append(fts5_leaf(variant, mode))
        leaves.extend(_fts_string(b) for b in fallback_bigrams(variant))
    return _join(leaves, "OR") if leaves else ""


def to_wagtail_relaxed(query, segments=True):
    leaves = []
    for variant in relaxed_variants(query):
        leaves.append(_wagtail_leaf(variant, segments))
        leaves.extend(PlainText(b) for b in fallback_bigrams(variant))
    return _combine(Or, leaves) if leaves else None


def _wagtail_leaf(variant, segments):
    if is_han(variant) and len(variant) > 2:
        return Phrase(" ".join(bigrams(variant)) if segments else variant)
    return PlainText(variant, operator="and")


def _combine(cls, items):
    return items[0] if len(items) == 1 else cls(items)


def to_wagtail(query, segments=True):
    """The query as Wagtail search query objects (for any backend)."""
    parts = [
        _combine(
            Or,
            [
                _combine(
                    And,
                    [_combine(Or, [_wagtail_leaf(v, segments) for v in word]) for word in words],
                )
                for words in _alternatives(part)
            ],
        )
        for part in query.parts
    ]
    return _combine(And, parts) if parts else None


# --- matching text (re-ranking, highlighting) ------------------------------------------------


class FieldText:
    """A field's text, normalised on first use, for repeated term look-ups."""

    __slots__ = ("_raw", "_text", "_tokens")

    def __init__(self, text):
        self._raw = text or ""
        self._text = None
        self._tokens = None

    def contains(self, variant):
        if not self._raw:
            return False
        if self._text is None:
            self._text = normalise(self._raw)
        if is_han(variant):
            return variant in self._text
        if self._tokens is None:
            self._tokens = set(tokens(self._text))
        return variant in self._tokens
