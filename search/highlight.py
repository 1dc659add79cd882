"""Matched words marked in titles and snippets: everything escaped, then matches in <mark>."""

import bisect
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .segmentation import is_han, normalise, tokens


def _normalised_with_map(text):
    """The text normalised like the index (NFKC, lower case, character by character) and,
    per normalised character, the index of the character of `text` it came from (None when
    that is its own index: every character became exactly one).

    Linear and mostly in C: each distinct character is normalised once, the text translated
    in one call; positions are only listed when a character becomes several (ligatures)."""
    table = {}
    one_to_one = True
    for ch in set(text):
        normalised = unicodedata.normalize("NFKC", ch).lower()
        if normalised != ch:
            table[ord(ch)] = normalised
            one_to_one = one_to_one and len(normalised) == 1
    out = text.translate(table) if table else text
    if one_to_one:
        return out, None
    positions = []
    for i, ch in enumerate(text):
        positions.extend([i] * len(table.get(ord(ch), ch)))
    return out, positions


def _same_run(a, b):
    """Would the two characters be in one token (both digits, or both Latin letters)?"""
    return (a.isdigit() and b.isdigit()) or (a.isascii() and a.isalpha() and b.isalpha())


def match_spans(text, terms):
    """Merged (start, end) spans of `text` where any term occurs."""
    norm, positions = _normalised_with_map(text)
    spans = []
    for term in terms:
        term = normalise(term)
        if not term or " " in term:
            continue
        start = norm.find(term)
        while start != -1:
            end = start + len(term)
            # Latin and digit terms match whole runs only (2019 not inside 20190, pm in pm2.5)
            boundary_ok = is_han(term) or (
                (start == 0 or not _same_run(norm[start - 1], term[0]))
                and (end == len(norm) or not _same_run(norm[end], term[-1]))
            )
            if boundary_ok:
                if positions is None:
                    spans.append((start, end))
                else:
                    spans.append((positions[start], positions[end - 1] + 1))
            start = norm.find(term, start + 1)
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text, spans, start=0, end=None):
    end = len(text) if end is None else end
    html, cursor = [], start
    # only the spans inside the window are visited (bisect to the first that can touch it)
    for span_start, span_end in spans[max(0, bisect.bisect_left(spans, (start, start)) - 1) :]:
        if span_start >= end:
            break
        if span_end <= start:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        html.append(escape(text[cursor:span_start]))
        html.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    html.append(escape(text[cursor:end]))
    return "".join(html)


def highlight(text, terms):
    """The whole text, escaped, with every match marked."""
    text = text or ""
    return mark_safe(_render(text, match_spans(text, terms)))  # escaped above


def snippet(text, terms, length=120):
    """A window of `length` characters around the densest matches, escaped and marked;
    the opening of the text when nothing matches."""
    text = " ".join((text or "").split())
    spans = match_spans(text, terms)
    if not spans:
        cut = text[:length]
        return mark_safe(escape(cut) + ("…" if len(text) > length else ""))
    # The window starting at a match that holds the most matches: one pass with two ends
    # (the spans are sorted and do not overlap), linear in the number of matches.
    best_start, best_count, last = spans[0][0], 0, 0
    for i, (start, _end) in enumerate(spans):
        last = max(last, i)
        while last + 1 < len(spans) and spans[last + 1][0] < start + length:
            last += 1
        count = last - i + 1
        if count > best_count:
            best_start, best_count = start, count
    start = max(0, best_start - length // 4)
    end = min(len(text), start + length)
    start = max(0, end - length)
    html = _render(text, spans, start, end)
    return mark_safe(  # every piece was escaped by _render
        ("…" if start > 0 else "") + html + ("…" if end < len(text) else "")
    )


def query_terms(parsed):
    """What to mark for a parsed query: every variant, plus whole runs of digits and letters."""
    terms = set(parsed.terms)
    terms.update(t for part in parsed.parts for t in tokens(part.text) if not is_han(t))
    return sorted(terms, key=lambda t: (-len(t), t))
