#!/usr/bin/env python
"""Search speed at scale: 100,000 disclosure items on SQLite, through the search page.

    .venv/bin/python bench/search_bench.py                  # 100,000 items, results/search.md
    .venv/bin/python bench/search_bench.py --items 10000    # a quicker run
    .venv/bin/python bench/search_bench.py --db /tmp/bench  # keep/reuse the database there

1. A fresh SQLite database with the Hegang demo units.
2. N items (GeneralItemPage) spread over every unit's 8 catalogue columns, written straight
   into the page tables in batches (creating them one by one through Wagtail would take hours
   and is not what is measured). Titles, issuers, 文号 and bodies (a 300–1,200 character
   excerpt) are drawn from the development corpus, with varied units, years and numbers.
3. Indexing: `manage.py update_index` over everything, timed (target < 10 minutes).
4. Queries of every kind (words, words inside compounds, short forms, 文号 in several forms,
   several words, issuers; on the portal, a subsite and with a unit filter), each sent to
   /search/ through Django's test client — view, search, facets, template — timed per request
   (targets: median < 50 ms, p95 < 150 ms).

Numbers are written to bench/results/search.md (or --out).
"""

import argparse
import datetime
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

BASE = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path(os.environ.get("GONGKAI_CORPUS", "/work/shared/corpus"))

# (query, host, extra parameters); hosts: the portal and a county subsite
QUERIES = [
    ("公开", "localhost", {}),
    ("行政许可", "localhost", {}),
    ("垃圾分类", "localhost", {}),
    ("社保", "localhost", {}),
    ("公租房", "localhost", {}),
    ("个税", "localhost", {}),
    ("医保", "localhost", {}),
    ("所得税", "localhost", {}),
    ("保税区", "localhost", {}),
    ("融资担保", "localhost", {}),
    ("停车", "localhost", {}),
    ("殡葬", "localhost", {}),
    ("电动车", "localhost", {}),
    ("不动产登记", "localhost", {}),
    ("工伤认定", "localhost", {}),
    ("河南 预算", "localhost", {}),
    ("上海 社会救助", "localhost", {}),
    ("2019 节假日", "localhost", {}),
    ("自贸区改革", "localhost", {}),
    ("国务院办公厅", "localhost", {}),
    ("国家市场监督管理总局", "localhost", {}),
    ("鹤政发〔2025〕4号", "localhost", {}),
    ("鹤政发[2025]4号", "localhost", {}),
    ("鹤政发2025 4号", "localhost", {}),
    ("国务院令第711号", "localhost", {}),
    ("国办发明电〔2018〕15号", "localhost", {}),
    ("余府发 3号", "localhost", {}),
    ("行政复议", "localhost", {}),
    ("许可证", "localhost", {}),
    ("条例", "localhost", {}),
    ("通知", "localhost", {}),
    ("政府工作报告", "localhost", {}),
    ("养老服务", "luobei.localhost", {}),
    ("社会保险", "localhost", {"unit": "rsj"}),
    ("公开", "localhost", {"unit": "fgw", "year": "2019"}),
    ("数据", "localhost", {"class": "zcfg"}),
    ("营商环境", "xiangyang.localhost", {}),
    ("航天发射 宇宙", "localhost", {}),
]


def setup_django(db_dir, mode=None):
    sys.path.insert(0, str(BASE))
    os.environ["GONGKAI_VAR_DIR"] = str(db_dir)
    os.environ.pop("DATABASE_URL", None)  # the embedded SQLite is what is measured
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    import django
    from django.conf import settings

    django.setup()
    # What is measured is the search itself: with the page cache (caching/) on, repeated
    # requests for the same query would be cache hits.
    settings.GONGKAI_PAGE_CACHE = {**getattr(settings, "GONGKAI_PAGE_CACHE", {}), "ENABLED": False}
    if mode:
        from search import conf

        settings.GONGKAI_SEARCH = {**settings.GONGKAI_SEARCH, "INDEX_MODE": mode}
        conf._config = None  # read again with the mode


def create_items(corpus, count, log, seed=7):
    """Write `count` live GeneralItemPages straight into the page tables."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from wagtail.models import Locale, Page

    from disclosure_pages.models import CatalogueClassPage, DisclosureItem, GeneralItemPage
    from search.docnumbers import normalise_doc_number
    from unit_sites.models import UnitPage

    rng = random.Random(seed)
    docs = [json.loads(line) for line in (corpus / "dev.jsonl").open() if line.strip()]
    columns = list(CatalogueClassPage.objects.select_related("node").order_by("path"))
    units = {c.pk: Page.objects.ancestor_of(c).filter(depth=c.depth - 2).first() for c in columns}
    unit_pages = {p.pk: p for p in UnitPage.objects.all()}
    content_type = ContentType.objects.get_for_model(GeneralItemPage)
    locale = Locale.get_default()
    next_step = {c.pk: c.numchild for c in columns}
    item_fields = [f for f in DisclosureItem._meta.local_concrete_fields]
    item_columns = ", ".join(connection.ops.quote_name(f.column) for f in item_fields)
    item_sql = (
        f"INSERT INTO {DisclosureItem._meta.db_table} ({item_columns}) "
        f"VALUES ({', '.join(['%s'] * len(item_fields))})"
    )
    typed_sql = f"INSERT INTO {GeneralItemPage._meta.db_table} (disclosureitem_ptr_id) VALUES (%s)"
    now = datetime.datetime.now(datetime.UTC)
    started = time.perf_counter()
    batch = 2000
    for offset in range(0, count, batch):
        pages, items = [], []
        for i in range(offset, min(count, offset + batch)):
            doc = docs[i % len(docs)]
            column = columns[rng.randrange(len(columns))]
            unit = unit_pages[units[column.pk].pk]
            year = rng.randint(2005, 2026)
            next_step[column.pk] += 1
            body_text = doc["body"]
            start = rng.randrange(max(1, len(body_text) - 300))
            excerpt = body_text[start : start + rng.randint(300, 1200)]
            title = f"{unit.short_name or unit.title}{year}年{doc['title']}"
            slug = f"b{i}"
            page = Page(
                title=title,
                draft_title=title,
                slug=slug,
                content_type=content_type,
                live=True,
                has_unpublished_changes=False,
                path=Page._get_path(column.path, column.depth + 1, next_step[column.pk]),
                depth=column.depth + 1,
                numchild=0,
                url_path=f"{column.url_path}{slug}/",
                locale=locale,
                first_published_at=now,
                last_published_at=now,
            )
            prefix = doc["doc_number"].split("〔")[0] if "〔" in doc["doc_number"] else "鹤政发"
            doc_number = f"{prefix}〔{year}〕{i % 997 + 1}号" if i % 3 else ""
            item = DisclosureItem(
                unit=unit,
                catalogue_class=column.node,
                issuer=doc["issuer"] if i % 2 else unit.title,
                doc_number=doc_number,
                doc_number_normalised=normalise_doc_number(doc_number),
                index_number=f"{unit.org_code}/{year}-{i:06d}",
                publish_date=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                formed_date=datetime.date(year, 1, 1),
                validity=rng.choice(["valid"] * 8 + ["expired", "repealed"]),
                summary=excerpt[:120] if i % 4 == 0 else "",
                body=[("paragraph", f"<p>{excerpt}</p>")],
            )
            pages.append(page)
            items.append(item)
        with transaction.atomic():
            Page.objects.bulk_create(pages)
            rows = []
            for page, item in zip(pages, items, strict=True):
                item.page_ptr_id = page.pk
                item.id = page.pk
                rows.append(
                    [f.get_db_prep_save(getattr(item, f.attname), connection) for f in item_fields]
                )
            with connection.cursor() as cursor:
                cursor.executemany(item_sql, rows)
                cursor.executemany(typed_sql, [[page.pk] for page in pages])
        if (offset // batch) % 10 == 0:
            log(f"  {offset + len(pages)} items ({time.perf_counter() - started:.0f} s)")
    for column in columns:
        Page.objects.filter(pk=column.pk).update(numchild=next_step[column.pk])
    return time.perf_counter() - started


def time_indexing():
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("update_index", verbosity=0)
    return time.perf_counter() - started


def time_queries(rounds, log):
    from django.test import Client

    client = Client()
    timings, cpu_timings, rows = [], [], []
    for query, host, extra in QUERIES:  # warm-up (segmenter, dictionary, caches)
        client.get("/search/?" + urlencode({"q": query, **extra}), HTTP_HOST=host)
    for query, host, extra in QUERIES:
        per_query = []
        for _ in range(rounds):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get("/search/?" + urlencode({"q": query, **extra}), HTTP_HOST=host)
            per_query.append(time.perf_counter() - started)
            cpu_timings.append(time.process_time() - cpu_started)
            assert response.status_code == 200, (query, response.status_code)
        found = re.search(rb'data-total="(\d+)"', response.content)
        total = int(found.group(1)) if found else 0
        timings.extend(per_query)
        rows.append((query, host, extra, statistics.median(per_query), total))
    timings.sort()
    cpu_timings.sort()
    return {
        "cpu_median": statistics.median(cpu_timings),
        "cpu_p95": cpu_timings[int(0.95 * (len(cpu_timings) - 1))],
        "median": statistics.median(timings),
        "p95": timings[int(0.95 * (len(timings) - 1))],
        "max": timings[-1],
        "count": len(timings),
        "rows": rows,
    }


def index_size():
    from django.db import connection

    with connection.cursor() as cursor:
        try:
            cursor.execute(
                "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'wagtailsearch_indexentry%'"
            )
            return cursor.fetchone()[0] or 0
        except Exception:
            return None


def write_report(path, args, created, indexed, stats, db_file, size, load):
    from search.conf import search_config

    def ms(seconds):
        return f"{1000 * seconds:.1f} ms"

    lines = [
        "# Search at scale (SQLite)",
        "",
        f"Written by `bench/search_bench.py --items {args.items}` on "
        f"{datetime.date.today().isoformat()}; index mode `{search_config().index_mode}`, "
        f"{os.cpu_count()} CPU(s).",
        "",
        "| measure | result | target |",
        "|---|---|---|",
        f"| items | {args.items:,} | 100,000 |",
        f"| writing the items (bulk, not measured against a target) | "
        f"{f'{created:.0f} s' if created else 'not run (kept database)'} | |",
        f"| indexing (`update_index`, everything) | "
        f"{f'{indexed:.0f} s ({indexed / 60:.1f} min)' if indexed else 'not run (--skip-index)'} "
        f"| < 10 min |",
        f"| search page, median of {stats['count']} requests | {ms(stats['median'])} | < 50 ms |",
        f"| search page, p95 | {ms(stats['p95'])} | < 150 ms |",
        f"| search page, slowest | {ms(stats['max'])} | |",
        f"| search page, CPU time of this process: median / p95 | {ms(stats['cpu_median'])} / "
        f"{ms(stats['cpu_p95'])} | |",
        f"| load average while querying (other processes on this machine) | {load} | |",
        f"| database file | {db_file / 1e6:.0f} MB | |",
    ]
    if size:
        lines.append(f"| search index tables | {size / 1e6:.0f} MB | |")
    lines += [
        "",
        "Each request goes through Django's test client to `/search/`: the view, the search "
        "(candidates from FTS5, 文号 look-up, re-ranking), facet counts over every match and the "
        "template.",
        "",
        "| query | host | filters | median | matches |",
        "|---|---|---|---|---|",
    ]
    for query, host, extra, median, total in stats["rows"]:
        filters = ", ".join(f"{k}={v}" for k, v in extra.items())
        lines.append(f"| {query} | {host} | {filters} | {ms(median)} | {total:,} |")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")


def main(argv=None):
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--db", type=Path, help="database folder to keep (reused when present)")
    parser.add_argument("--rounds", type=int, default=5, help="requests per query")
    parser.add_argument("--skip-index", action="store_true", help="reuse a kept db's index")
    parser.add_argument("--mode", choices=["bigrams", "words", "words+bigrams"])
    parser.add_argument("--out", type=Path, default=BASE / "bench" / "results" / "search.md")
    args = parser.parse_args(argv)

    db_dir = args.db or Path(tempfile.mkdtemp(prefix="gongkai-search-bench-"))
    db_dir.mkdir(parents=True, exist_ok=True)
    fresh = not (db_dir / "gongkai.sqlite3").exists()
    setup_django(db_dir, args.mode)
    from django.core.management import call_command

    from cms.demo import load_demo

    call_command("migrate", verbosity=0)
    created = indexed = 0.0
    if fresh:
        load_demo("bench-only-password", log=lambda *a: None)
        print(f"creating {args.items:,} items…")
        created = create_items(args.corpus, args.items, print)
        print(f"created in {created:.0f} s")
    if fresh or not args.skip_index:
        print("indexing…")
        indexed = time_indexing()
        print(f"indexed in {indexed:.0f} s")
    stats = time_queries(args.rounds, print)
    for query, host, extra, median, total in stats["rows"]:
        print(f"  {1000 * median:7.1f} ms  {total:7,}  {query} {host} {extra or ''}")
    print(
        f"median {1000 * stats['median']:.1f} ms (CPU {1000 * stats['cpu_median']:.1f} ms), "
        f"p95 {1000 * stats['p95']:.1f} ms (CPU {1000 * stats['cpu_p95']:.1f} ms), "
        f"max {1000 * stats['max']:.1f} ms over {stats['count']} requests"
    )
    db_file = (db_dir / "gongkai.sqlite3").stat().st_size
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    write_report(args.out, args, created, indexed, stats, db_file, index_size(), load)
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
