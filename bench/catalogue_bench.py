"""Catalogue rendering with 100,000 items in one unit.

    .venv/bin/python bench/catalogue_bench.py [--items 100000] [--requests 50] [--unit fgw]

Builds a throwaway platform under var/bench/catalogue/ (bench/_setup.py), inserts `--items`
live items into one unit's catalogue directly (one INSERT per table and batch, with correct
treebeard paths under three class columns, topic tags on some), then serves the unit's
catalogue pages through the Django test client, `--requests` times each, and writes the
median and 95th percentile to bench/results/catalogue.md (target: median < 100 ms).
"""

import argparse
import datetime
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _setup

BATCH = 500


def bulk_items(unit, total, legacy_prefix="bench-"):
    """`total` live items under the unit's gzdt, zcfg and xzzf columns. Each multi-table row
    set is inserted table by table (Django's bulk_create refuses multi-table models).
    `legacy_prefix` keeps legacy ids unique when several units are filled."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from taggit.models import Tag
    from wagtail.models import Page

    from disclosure_pages.models import (
        CatalogueClassPage,
        CatalogueIndexPage,
        CatalogueNode,
        DisclosureItem,
        DisclosureTag,
        EnforcementResultPage,
        NewsPage,
        PlanPage,
        PolicyDocumentPage,
        ProcurementPage,
        RecruitmentPage,
    )

    catalogue = CatalogueIndexPage.objects.child_of(unit).get()
    columns = {
        column.node.code: column
        for column in CatalogueClassPage.objects.child_of(catalogue).select_related("node")
    }
    kinds = {node.code: node.pk for node in CatalogueNode.objects.filter(level="key_kind")}
    # (share, model, column, extra fields)
    mix = [
        (0.45, NewsPage, "gzdt", {}),
        (0.05, PlanPage, "gzdt", {"plan_year": 2020}),
        (0.05, ProcurementPage, "gzdt", {"project_name": "设备采购项目"}),
        (0.05, RecruitmentPage, "gzdt", {}),
        (0.30, PolicyDocumentPage, "zcfg", {}),
        (0.10, EnforcementResultPage, "xzzf", {"party": "某某有限公司"}),
    ]
    corpus = [json.loads(line) for line in _setup.CORPUS.read_text(encoding="utf-8").splitlines()]
    titles = [record["title"] for record in corpus]
    tags = [
        Tag.objects.get_or_create(name=name, slug=f"bench-{n}")[0]
        for n, name in enumerate(
            [
                "优化营商环境",
                "乡村振兴",
                "社会保障",
                "生态环境",
                "安全生产",
                "教育",
                "医疗卫生",
                "住房保障",
                "就业创业",
                "财政预决算",
            ]
        )
    ]
    random.seed(20260101)
    sequence = {}
    steps = {}
    number = 0
    for share, model, code, extra in mix:
        column = columns[code]
        count = round(total * share) if model is not mix[-1][1] else total - number
        content_type = ContentType.objects.get_for_model(model).pk
        key_kind = kinds.get(model.key_kind_code) if model.key_kind_code else None
        if code not in steps:  # the column's last child before the benchmark's
            last = (
                Page.objects.filter(path__startswith=column.path, depth=column.depth + 1)
                .order_by("-path")
                .values_list("path", flat=True)
                .first()
            )
            steps[code] = column._str2int(last[-column.steplen :]) if last else 0
        step = steps[code]
        for start in range(0, count, BATCH):
            objs, tagged = [], []
            for _ in range(min(BATCH, count - start)):
                number += 1
                step += 1
                day = datetime.date(2010, 1, 1) + datetime.timedelta(days=random.randrange(6200))
                sequence[day.year] = sequence.get(day.year, 0) + 1
                published = datetime.datetime.combine(
                    day, datetime.time(8, 30), tzinfo=datetime.UTC
                ) + datetime.timedelta(seconds=random.randrange(9 * 3600), microseconds=number)
                slug = f"b{number}"
                title = f"{random.choice(titles)}（{number}）"
                obj = model(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    path=column._get_path(column.path, column.depth + 1, step),
                    depth=column.depth + 1,
                    numchild=0,
                    url_path=f"{column.url_path}{slug}/",
                    content_type_id=content_type,
                    locale_id=column.locale_id,
                    live=True,
                    has_unpublished_changes=False,
                    # Published on its day, at office hours: as an import leaves them, no two
                    # items share a time (the portal and feeds order by it).
                    first_published_at=published,
                    last_published_at=published,
                    unit_id=unit.pk,
                    catalogue_class_id=column.node_id,
                    key_kind_id=key_kind,
                    issuer=unit.title,
                    doc_number=f"鹤发改发〔{day.year}〕{sequence[day.year]}号",
                    written_date=day,
                    formed_date=day,
                    publish_date=day,
                    index_number=f"{unit.org_code}/{day.year}-{sequence[day.year]:05d}",
                    validity=random.choices(["valid", "expired", "repealed"], weights=[90, 7, 3])[
                        0
                    ],
                    legacy_id=f"{legacy_prefix}{number}",
                    on_portal=random.random() < 0.01,  # key and hot items, also on the portal
                    **extra,
                )
                objs.append(obj)
                if random.random() < 0.3:
                    tagged.append((obj, random.choice(tags)))
            with transaction.atomic():
                for table in (Page, DisclosureItem, model):
                    fields = [
                        field
                        for field in table._meta.local_concrete_fields
                        if not (table is Page and field.primary_key)
                    ]
                    if table is Page:
                        returned = Page._base_manager._insert(
                            objs, fields=fields, returning_fields=Page._meta.db_returning_fields
                        )
                        for obj, (pk,) in zip(objs, returned, strict=True):
                            obj.pk = obj.id = obj.page_ptr_id = pk
                            obj.disclosureitem_ptr_id = pk
                    else:
                        table._base_manager._insert(objs, fields=fields)
                DisclosureTag.objects.bulk_create(
                    DisclosureTag(content_object_id=obj.pk, tag=tag) for obj, tag in tagged
                )
        steps[code] = step
        Page.objects.filter(pk=column.pk).update(
            numchild=Page.objects.filter(
                path__startswith=column.path, depth=column.depth + 1
            ).count()
        )
        print(f"  {number} items", flush=True)
    return number


def measure(client, url, host, count, budget):
    from django.db import connection

    executed = []

    def count_query(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    # (CaptureQueriesContext sees nothing here: each request resets the query log)
    with connection.execute_wrapper(count_query):
        started = time.perf_counter()
        response = client.get(url, HTTP_HOST=host)
        first = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    deadline = time.perf_counter() + budget
    while len(timings) < count and (len(timings) < 5 or time.perf_counter() < deadline):
        started = time.perf_counter()
        response = client.get(url, HTTP_HOST=host)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return {
        "first": first,
        "requests": len(timings),
        "median": statistics.median(timings),
        "p95": _setup.percentile(timings, 0.95),
        "queries": len(executed),
        "bytes": len(response.content),
        "html": response.content.decode(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--unit", default="fgw")
    parser.add_argument(
        "--budget",
        type=float,
        default=120,
        help="seconds per page: stop measuring it after that (at least 5 requests)",
    )
    args = parser.parse_args()

    _setup.setup("catalogue")
    from django.conf import settings

    # What is measured is rendering the listing: with the page cache (caching/) on, every
    # request after the first would be a cache hit.
    settings.GONGKAI_PAGE_CACHE = {**getattr(settings, "GONGKAI_PAGE_CACHE", {}), "ENABLED": False}
    machine = _setup.machine()

    from urllib.parse import urlsplit

    from django.test import Client

    from disclosure_pages.models import CatalogueIndexPage, DisclosureItem
    from unit_sites.models import UnitPage

    unit = UnitPage.objects.get(slug=args.unit)
    print(f"Inserting {args.items} items into {args.unit}…", flush=True)
    started = time.perf_counter()
    inserted = bulk_items(unit, args.items)
    insert_seconds = time.perf_counter() - started
    total = DisclosureItem.objects.live().filter(unit=unit).count()

    catalogue = CatalogueIndexPage.objects.child_of(unit).get()
    parts = urlsplit(catalogue.full_url)
    host, base = parts.hostname, parts.path
    client = Client()
    scenarios = [
        ("catalogue (CatalogueIndexPage), first page", base),
        ("class column 工作动态 (CatalogueClassPage)", f"{base}gzdt/"),
        (
            "class column 政策法规, filtered by year and validity",
            f"{base}zcfg/?year=2020&validity=valid",
        ),
        ("catalogue filtered by key kind, sorted by title", f"{base}?kind=ghjh&sort=title"),
        ("catalogue, page 2,000", f"{base}?page=2000"),
    ]
    results = []
    for label, url in scenarios:
        print(f"Measuring {url}…", flush=True)
        results.append((label, url, measure(client, url, host, args.requests, args.budget)))

    item_link = re.compile(r"/gkml/(?:gzdt|zcfg|xzzf)/b\d+/")
    listing_there = all(item_link.search(result["html"]) for _l, _u, result in results[:2])
    target_met = all(result["median"] < 100 for _l, _u, result in results[:2])
    lines = [
        "# Catalogue benchmark",
        "",
        f"`{' '.join(['.venv/bin/python bench/catalogue_bench.py', *sys.argv[1:]])}` on "
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}",
        "",
        f"- Machine: {machine} (at the start; {os.getloadavg()[0]:.1f} at the end)",
        f"- {inserted:,} items inserted into `{args.unit}` in {insert_seconds:.0f} s "
        f"({total:,} live items in the unit): 45% news, 5% each plans, procurement and "
        "recruitment (工作动态), 30% policy documents (政策法规), 10% enforcement results "
        "(行政执法); dates over 2010–2026, 30% with a topic tag",
        f"- Served by the Django test client on host `{host}`, {args.requests} requests each "
        f"after one cold request (fewer where they took over {args.budget:.0f} s); DEBUG off, "
        "local-memory cache, SQLite",
        "",
        "| page | URL | cold ms | requests | median ms | p95 ms | queries | KB |",
        "|---|---|---|---|---|---|---|---|",
        *(
            f"| {label} | `{url}` | {r['first']:.0f} | {r['requests']} | **{r['median']:.0f}** "
            f"| {r['p95']:.0f} | {r['queries']} | {r['bytes'] / 1024:.0f} |"
            for label, url, r in results
        ),
        "",
        f"Target (median < 100 ms for the catalogue and a class column): "
        f"{'met' if target_met else 'NOT met'}."
        + (
            "" if listing_there else " The pages did not list items: only what exists was measured."
        ),
        "",
    ]
    _setup.RESULTS_DIR.mkdir(exist_ok=True)
    result_file = _setup.RESULTS_DIR / "catalogue.md"
    result_file.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    print(f"Written to {result_file}")


if __name__ == "__main__":
    main()
