"""The synonym table, read once per process and re-read when it changes anywhere."""

import threading
import time

from django.core.cache import cache

from .segmentation import normalise

VERSION_KEY = "search:synonyms_version"
CHECK_SECONDS = 60

_lock = threading.Lock()
_table = None
_version = None
_checked_at = 0.0


def _load():
    from .models import Synonym

    table = {}
    for synonym in Synonym.objects.all():
        term = normalise(synonym.term)
        expansions = [normalise(word) for word in synonym.expansion_list]
        table.setdefault(term, set()).update(expansions)
        if synonym.two_way:
            group = {term, *expansions}
            for word in expansions:
                table.setdefault(word, set()).update(group - {word})
    return {term: sorted(words, key=lambda w: (-len(w), w)) for term, words in table.items()}


def synonym_table():
    """term -> other words it also finds (normalised)."""
    global _table, _version, _checked_at
    now = time.monotonic()
    if _table is not None and now - _checked_at < CHECK_SECONDS:
        return _table
    version = cache.get(VERSION_KEY, 0)
    with _lock:
        if _table is None or version != _version:
            try:
                _table = _load()
                _version = version
            except Exception:  # no table yet (before migrate): no synonyms
                return {}
        _checked_at = now
    return _table


def expand(word):
    """The word and its synonyms, the word first. A word that is no term itself but holds
    one (城市低保金 holds 低保, 北京市人大常委会 holds 人大常委会) also gets the word with the
    term replaced by each of its expansions (城市最低生活保障金): compounds citizens make of
    short forms are found where the documents write the full form."""
    table = synonym_table()
    if word in table:
        return [word, *table[word]]
    variants, used = [word], []
    for term in _terms_by_length():
        if len(variants) > 6:
            break
        if len(term) < 2 or term not in word or any(term in longer for longer in used):
            continue
        used.append(term)
        variants.extend(word.replace(term, expansion) for expansion in table[term])
    return list(dict.fromkeys(variants))


_by_length = (None, [])


def _terms_by_length():
    global _by_length
    table = synonym_table()
    if _by_length[0] is not table:
        _by_length = (table, sorted(table, key=lambda t: (-len(t), t)))
    return _by_length[1]


def synonym_terms():
    table = synonym_table()
    return set(table) | {word for words in table.values() for word in words}


def synonyms_changed():
    """Called when the table is edited: every process re-reads it (and the dictionary)."""
    global _table, _checked_at
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, timeout=None)
    with _lock:
        _table = None
        _checked_at = 0.0
    from .segmentation import refresh_dictionary

    refresh_dictionary()
