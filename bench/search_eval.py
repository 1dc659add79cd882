#!/usr/bin/env python
"""Search quality on the development corpus: recall@10 and MRR.

    .venv/bin/python bench/search_eval.py                 # fresh SQLite database, default mode
    .venv/bin/python bench/search_eval.py --mode words    # compare index modes (README)
    .venv/bin/python bench/search_eval.py --db /tmp/eval  # keep/reuse the database there
    .venv/bin/python bench/search_eval.py --check         # exit 1 below the targets

Imports the corpus (default /work/shared/corpus, or $GONGKAI_CORPUS) into a fresh SQLite
database with the Hegang demo units (`import_disclosures --unit hegang`), then runs every query
of dev-queries.jsonl through `search.views.public_search` — the function the search page
runs — on the portal, which searches every unit. A query's recall@10 is the share of its
relevant documents in the first ten results; its reciprocal rank is 1/rank of the first
relevant result (0 when none is listed). Both are averaged over the queries.

Besides the 30 public dev queries, bench/eval/citizen-queries.jsonl holds 167 queries written
the way citizens type (colloquial questions, short forms, partial titles, 文号 in any bracket
style, issuer names, one-character misspellings), judged by reading the corpus, written
before any tuning. They are split by a hash of the query text into a tuning half and a held
out half (`split_half`): only the tuning half may be looked at when changing the search; the
held-out half is the number that counts.

    .venv/bin/python bench/search_eval.py --postgresql postgres://postgres@127.0.0.1/gk_eval
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path(os.environ.get("GONGKAI_CORPUS", "/work/shared/corpus"))
TARGET_RECALL, TARGET_MRR = 0.97, 0.93
CITIZEN_QUERIES = BASE / "bench" / "eval" / "citizen-queries.jsonl"
HALVES = ("tune", "holdout")


def split_half(query):
    """'tune' or 'holdout', fixed by the query's text (sha256, first byte's parity)."""
    import hashlib

    return HALVES[hashlib.sha256(query.encode()).digest()[0] % 2]


def setup_django(db_dir, mode, database_url=None):
    sys.path.insert(0, str(BASE))
    os.environ["GONGKAI_VAR_DIR"] = str(db_dir)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)  # the embedded SQLite
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    import django
    from django.conf import settings

    django.setup()
    if mode:
        from search import conf

        settings.GONGKAI_SEARCH = {**settings.GONGKAI_SEARCH, "INDEX_MODE": mode}
        conf._config = None  # read again with the mode


def prepare(corpus, fresh, reindex, log):
    from django.core.management import call_command

    from cms.demo import load_demo

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if fresh:
        load_demo("eval-only-password", log=lambda *a: None)
        call_command("import_disclosures", str(corpus / "dev.jsonl"), unit="hegang")
        log(f"database ready in {time.perf_counter() - started:.1f} s")
    elif reindex:
        call_command("update_index", verbosity=0)
        log(f"reindexed in {time.perf_counter() - started:.1f} s")


def evaluate(queries_path, verbose, log, half=None):
    from wagtail.models import Site

    from disclosure_pages.models import DisclosureItem
    from search.views import public_search

    site = Site.objects.get(root_page__slug="hegang")
    legacy = dict(DisclosureItem.objects.values_list("pk", "legacy_id"))
    queries = [json.loads(line) for line in queries_path.open() if line.strip()]
    if half:
        queries = [item for item in queries if split_half(item["q"]) == half]
    recalls, reciprocal_ranks, timings, tops = [], [], [], {}
    for item in queries:
        started = time.perf_counter()
        outcome = public_search(site, item["q"], with_facets=False)
        timings.append(time.perf_counter() - started)
        ranked = [legacy.get(pk) for pk in outcome.pks]
        tops[item["q"]] = ranked[:10]
        relevant = set(item["relevant_ids"])
        recall = len(relevant & set(ranked[:10])) / len(relevant)
        rank = next((i + 1 for i, doc in enumerate(ranked) if doc in relevant), None)
        recalls.append(recall)
        reciprocal_ranks.append(1 / rank if rank else 0.0)
        # the held-out half's failures are not printed: they must not steer the tuning
        if verbose or ((recall < 1 or rank != 1) and half != "holdout"):
            log(
                f"{'  ' if recall == 1 and rank == 1 else '! '}{item['q']!r}: rank {rank}, "
                f"recall@10 {recall:.2f}, top {ranked[:5]} (of {outcome.total})"
            )
    recall_at_10 = sum(recalls) / len(recalls)
    mrr = sum(reciprocal_ranks) / len(reciprocal_ranks)
    timings.sort()
    return {
        "queries": len(queries),
        "recall@10": recall_at_10,
        "mrr": mrr,
        "median_ms": 1000 * timings[len(timings) // 2],
        "top10": tops,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--db", type=Path, help="database folder to keep (reused when present)")
    parser.add_argument("--mode", choices=["bigrams", "words", "words+bigrams"])
    parser.add_argument("--reindex", action="store_true", help="rebuild the index of a kept db")
    parser.add_argument("--queries", type=Path, help="another queries file (default: the corpus')")
    parser.add_argument("--check", action="store_true", help="exit 1 below the targets")
    parser.add_argument("--postgresql", metavar="URL", help="a PostgreSQL database to build/use")
    parser.add_argument("--json", type=Path, help="write the figures (and every top 10) there")
    parser.add_argument(
        "--compare", type=Path, help="another run's --json: count queries ordered differently"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print every query")
    args = parser.parse_args(argv)

    db_dir = args.db or Path(tempfile.mkdtemp(prefix="gongkai-search-eval-"))
    db_dir.mkdir(parents=True, exist_ok=True)
    fresh = not (db_dir / "gongkai.sqlite3").exists()
    if args.postgresql:
        fresh = _fresh_postgresql(args.postgresql)
    setup_django(db_dir, args.mode, args.postgresql)
    prepare(args.corpus, fresh, args.reindex or (args.mode and not fresh), print)
    from django.db import connection

    from search.conf import search_config

    sets = [("dev", args.queries or args.corpus / "dev-queries.jsonl", None)]
    if not args.queries:
        sets += [(f"citizen-{half}", CITIZEN_QUERIES, half) for half in HALVES]
    figures, failed = {}, False
    for name, path, half in sets:
        result = evaluate(path, args.verbose, print, half=half)
        figures[name] = result
        print(
            f"{connection.vendor}, mode {search_config().index_mode}, {name}: "
            f"{result['queries']} queries, recall@10 {result['recall@10']:.3f}, "
            f"MRR {result['mrr']:.3f}, median query {result['median_ms']:.1f} ms"
        )
        if name == "dev":
            failed = result["recall@10"] < TARGET_RECALL or result["mrr"] < TARGET_MRR
    print(f"targets on dev: recall@10 {TARGET_RECALL}, MRR {TARGET_MRR}; the held-out half counts")
    if args.json:
        args.json.write_text(
            json.dumps({"vendor": connection.vendor, **figures}, indent=1, ensure_ascii=False)
        )
    if args.compare:
        other = json.loads(args.compare.read_text())
        for name, result in figures.items():
            theirs = other.get(name, {}).get("top10", {})
            differ = [q for q, top in result["top10"].items() if theirs.get(q) != top]
            print(
                f"{name}: top 10 differs from {other.get('vendor')} on {len(differ)} of "
                f"{len(result['top10'])} queries"
                + (f" ({', '.join(differ[:5])}…)" if differ and name != "citizen-holdout" else "")
            )
    return 1 if args.check and failed else 0


def _fresh_postgresql(url):
    """Create the database when it does not exist yet (then it is built from scratch)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return not exists


if __name__ == "__main__":
    sys.exit(main())
