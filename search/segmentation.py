"""Chinese text for the search index and for queries.

Wagtail's database backends (SQLite FTS5's unicode61 tokenizer, PostgreSQL's parser) keep a run
of Chinese characters as one token, so a word inside a longer run is never found. We hand them
text that is already split into tokens separated by spaces:

- the index side (`cut_for_index`) turns every run of Chinese into its overlapping character
  bigrams (a run of one character stays as it is). Bigrams make every literal substring of two
  or more characters findable, whatever a segmenter would have made of its context, and they
  do not depend on the dictionary: changing the dictionary never needs a reindex.
- the query side (`cut_for_query`) splits what a citizen typed into words with jieba and the
  platform's own dictionary (unit names, catalogue names, names of administrative powers,
  synonym terms). Each word is then looked up as the phrase of its bigrams, so the words of a
  query may stand apart in a document ("河南预算" finds 河南省预算审查监督条例).

The measurements behind this choice (words vs. bigrams vs. both) are in search/README.md.
Latin letters and digits are kept as lower-case runs on both sides.
"""

import functools
import itertools
import logging
import re
import threading
import time
import unicodedata

from django.core.cache import cache

logger = logging.getLogger(__name__)

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007"
HAN_RUN = re.compile(f"[{HAN}]+")
TOKEN = re.compile(f"[{HAN}]+|[0-9]+|[a-z]+")
IS_HAN = re.compile(f"^[{HAN}]+$")

# Index modes (see README): bigrams is the default; the others are kept for measurement.
INDEX_MODES = ("bigrams", "words", "words+bigrams")

DICTIONARY_VERSION_KEY = "search:dictionary_version"
DICTIONARY_CHECK_SECONDS = 60


def normalise(text):
    """Full-width to half-width (NFKC), lower case; None becomes ''."""
    if not text:
        return ""
    return unicodedata.normalize("NFKC", str(text)).lower()


def tokens(text):
    """Runs of Chinese, runs of digits and runs of Latin letters, in order."""
    return TOKEN.findall(normalise(text))


def is_han(token):
    return bool(IS_HAN.match(token))


def bigrams(run):
    """Overlapping character bigrams of a run of Chinese; a single character stays itself."""
    if len(run) < 2:
        return [run]
    return [a + b for a, b in itertools.pairwise(run)]


# --- the segmenter and its dictionary ---------------------------------------------------------


class _Segmenter:
    """jieba with the platform's words added. rjieba (Rust) when installed: 10x faster than
    jieba and the same segmentation (README); jieba otherwise."""

    def __init__(self, words):
        try:
            import rjieba

            self._engine = rjieba.Jieba()
            for word in words:
                self._engine.add_word(word, None, None)
            self._cut = self._engine.cut
            self._cut_for_search = self._engine.cut_for_search
            self.library = "rjieba"
        except ImportError:  # pragma: no cover - exercised where rjieba has no wheel
            import jieba

            self._engine = jieba.Tokenizer()
            self._engine.initialize()
            for word in words:
                self._engine.add_word(word)
            self._cut = lambda text: list(self._engine.cut(text))
            self._cut_for_search = lambda text: list(self._engine.cut_for_search(text))
            self.library = "jieba"
        self.words = frozenset(words)

    def cut(self, run):
        return self._cut(run)

    def cut_for_search(self, run):
        return self._cut_for_search(run)


_lock = threading.Lock()
_segmenter = None
_segmenter_version = None
_checked_at = 0.0


def dictionary_words():
    """The platform's own terms: configured model fields and the synonym table."""
    from .conf import search_config

    words = set()
    for model, field_names in search_config().dictionary_sources():
        manager = model._default_manager
        queryset = manager.live() if hasattr(manager, "live") else manager.all()
        for values in queryset.values_list(*field_names):
            words.update(value.strip() for value in values if value)
    from .synonyms import synonym_terms

    words.update(synonym_terms())
    # Only Chinese words of two or more characters help the segmenter.
    return sorted(word for word in (normalise(w) for w in words) if len(word) > 1 and is_han(word))


def get_segmenter():
    """The segmenter, built on first use (never at import time: the dictionary is in the
    database) and rebuilt when another process has bumped the dictionary version."""
    global _segmenter, _segmenter_version, _checked_at
    now = time.monotonic()
    if _segmenter is not None and now - _checked_at < DICTIONARY_CHECK_SECONDS:
        return _segmenter
    version = cache.get(DICTIONARY_VERSION_KEY, 0)
    if _segmenter is not None and version == _segmenter_version:
        _checked_at = now
        return _segmenter
    with _lock:
        if _segmenter is None or version != _segmenter_version:
            try:
                words = dictionary_words()
            except Exception:  # database not ready (migrations, checks): plain jieba for now
                logger.warning("search dictionary unavailable, segmenting without it")
                words = []
                version = None
            _segmenter = _Segmenter(words)
            _segmenter_version = version
        _checked_at = now
    return _segmenter


def refresh_dictionary():
    """Rebuild the dictionary here and tell every other process to rebuild theirs."""
    global _segmenter, _checked_at
    try:
        cache.incr(DICTIONARY_VERSION_KEY)
    except ValueError:
        cache.set(DICTIONARY_VERSION_KEY, 1, timeout=None)
    with _lock:
        _segmenter = None
        _checked_at = 0.0


# --- the two sides -----------------------------------------------------------------------------


def index_tokens(text, mode="bigrams"):
    """The tokens stored in the index for `text`."""
    out = []
    for token in tokens(text):
        if not is_han(token):
            out.append(token)
            continue
        if mode in ("words", "words+bigrams"):
            out.extend(w for w in get_segmenter().cut_for_search(token) if w.strip())
        if mode in ("bigrams", "words+bigrams"):
            out.extend(bigrams(token))
    return out


def cut_for_index(text, mode=None):
    """Index text: tokens separated by spaces, ready for any tokenizer that splits on spaces."""
    from .conf import search_config

    return _cut_for_index(text or "", mode or search_config().index_mode)


@functools.lru_cache(maxsize=512)
def _cut_for_index(text, mode):
    # Wagtail's SQLite indexer reads every field three times (title, body, autocomplete
    # passes); the cache makes that one segmentation.
    return " ".join(index_tokens(text, mode))


# Function words: alone they match almost every document and mean nothing in a query.
FUNCTION_WORDS = frozenset("的了和与及或在是对为等之其被把向从以于并而且也都就又")

# What a question adds around its subject: interrogative pronouns, modal verbs and particles,
# politeness (疑问代词、能愿动词、语气词; any grammar of Mandarin). Documents never say them,
# so a query keeps them only when it has nothing else.
FILLER_WORDS = frozenset(
    """怎么 怎样 怎么样 怎么办 如何 咋 咋办 哪里 在哪里 在哪 在哪儿 哪儿 哪个 哪些 有哪些 什么 是什么
    需要 需要什么 要什么 吗 呢 吧 啊 呀 可以 可以吗 能否 能不能 能 是否 是不是 有没有 多少 是多少
    多久 多长时间 几天 我想 我要 想要 想 请问 查一下 一下 查到 查询 查 为什么 算不算 算 谁 怎么弄
    去哪 去哪里 哪 找""".split()
)


def cut_for_query(text):
    """The words of a query in order: Chinese runs segmented with the platform dictionary,
    Latin and digit runs as they are. A single character left over by the segmenter is
    joined to its neighbour (鹤|政发 → 鹤政发: a name the dictionary does not know), unless
    it is a function word, which is dropped when the run has anything else."""
    words = []
    segmenter = None
    for token in tokens(text):
        if token in FILLER_WORDS:
            continue
        if not is_han(token) or len(token) <= 2:
            words.append(token)
            continue
        segmenter = segmenter or get_segmenter()
        cut = [w for w in segmenter.cut(token) if w.strip()]
        merged = []
        pending = ""  # single characters waiting for a word to join
        after_filler = False  # just after a filler (哪里, 怎么)
        for word in cut:
            if (len(word) == 1 and word in FUNCTION_WORDS) or word in FILLER_WORDS:
                if pending:
                    merged.append(pending)
                    pending = ""
                after_filler = word in FILLER_WORDS
                continue
            if len(word) == 1:
                if after_filler:
                    continue  # the question's verb (哪里|办, 怎么|收, 查|到): not the subject
                if merged and not pending and merged[-1] not in FUNCTION_WORDS:
                    merged[-1] += word
                else:
                    pending += word
                continue
            merged.append(pending + word)
            pending = ""
            after_filler = False
        if pending:
            merged.append(pending)
        words.extend(merged)
    return words or [token for token in tokens(text)]
