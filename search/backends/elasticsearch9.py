"""Wagtail's Elasticsearch 9 backend with Chinese analysis and the synonym table.

    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.elasticsearch9",
                                          "URLS": [...], "ANALYZER": "cjk"}}

Every text field is analysed by the index's `default` analyzer, every query by
`default_search`; both are set here for Chinese:

- "cjk" (default, built into Elasticsearch): the standard tokenizer's single characters joined
  into overlapping bigrams (cjk_bigram), full-width forms folded (cjk_width). Like the database
  backends' bigram index: every literal substring is found, nothing to install.
- "smartcn": the analysis-smartcn plugin's word segmenter (`bin/elasticsearch-plugin install
  analysis-smartcn`).
- "ik": the IK plugin, ik_max_word when indexing and ik_smart when searching.

The synonym table (search.Synonym) becomes a synonym_graph filter of the search analyzer, read
when an index is created (`update_index` builds a fresh one); queries are also expanded in
Python, so an edited synonym works at once and the next rebuild makes Elasticsearch agree.
"""

from copy import deepcopy

from django.conf import settings
from modelsearch.backends.elasticsearch9 import Elasticsearch9Index, Elasticsearch9SearchBackend
from modelsearch.utils import deep_update

ANALYZERS = {
    # name: (index tokenizer, search tokenizer, filters before synonyms, filters after)
    "cjk": ("standard", "standard", ["cjk_width", "lowercase", "cjk_bigram"], []),
    "smartcn": ("smartcn_tokenizer", "smartcn_tokenizer", ["cjk_width", "lowercase"], []),
    "ik": ("ik_max_word", "ik_smart", ["cjk_width", "lowercase"], []),
}
SYNONYM_FILTER = "gongkai_synonyms"


def synonym_rules():
    """The synonym table as Solr rules: "社保, 社会保险" (two-way), "拆迁 => 拆迁, 房屋征收"."""
    from ..models import Synonym

    rules = []
    for synonym in Synonym.objects.all():
        words = [synonym.term, *synonym.expansion_list]
        words = [word.replace(",", " ").replace("=>", " ").strip() for word in words]
        words = [word for word in words if word]
        if len(words) < 2:
            continue
        if synonym.two_way:
            rules.append(", ".join(words))
        else:
            rules.append(f"{words[0]} => {', '.join(words)}")
    return rules


def chinese_analysis(analyzer="cjk", synonyms=()):
    """The `analysis` settings: default (index) and default_search analyzers for Chinese."""
    if analyzer not in ANALYZERS:
        raise ValueError(
            f"Unknown Elasticsearch analyzer {analyzer!r}: use one of {list(ANALYZERS)}"
        )
    index_tokenizer, search_tokenizer, filters, after = ANALYZERS[analyzer]
    search_filters = [*filters, *([SYNONYM_FILTER] if synonyms else []), *after]
    analysis = {
        "analyzer": {
            "default": {
                "type": "custom",
                "tokenizer": index_tokenizer,
                "filter": [*filters, *after],
            },
            "default_search": {
                "type": "custom",
                "tokenizer": search_tokenizer,
                "filter": search_filters,
            },
        },
        "filter": {},
    }
    if synonyms:
        analysis["filter"][SYNONYM_FILTER] = {
            "type": "synonym_graph",
            "synonyms": list(synonyms),
            "lenient": True,  # a rule the analyzer cannot parse is skipped, not fatal
        }
    return analysis


class ChineseIndex(Elasticsearch9Index):
    def put(self):
        self.es.indices.create(index=self.name, **self.backend.index_settings())


class ChineseElasticsearch9SearchBackend(Elasticsearch9SearchBackend):
    index_class = ChineseIndex

    def __init__(self, params):
        params = dict(params)
        self.analyzer = params.pop("ANALYZER", None) or getattr(
            settings, "ELASTICSEARCH_ANALYZER", "cjk"
        )
        super().__init__(params)

    def index_settings(self, synonyms=None):
        """Wagtail's index settings (with INDEX_SETTINGS) plus Chinese analysis; the synonym
        table is read from the database unless given."""
        if synonyms is None:
            synonyms = synonym_rules()
        merged = deepcopy(self.settings)
        return deep_update(
            merged, {"settings": {"analysis": chinese_analysis(self.analyzer, synonyms)}}
        )


SearchBackend = ChineseElasticsearch9SearchBackend
