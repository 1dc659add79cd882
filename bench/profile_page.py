"""Profile one public page rendered cold (page cache off) on the load benchmark's platform.

    .venv/bin/python bench/profile_page.py /fgw/gkml/gzdt/b1/ [--runs 200] [--top 40]
    .venv/bin/python bench/profile_page.py /fgw/gkml/gzdt/ --sql     # the SQL of one request

Serves var/bench/load/ (built by `bench/load_bench.py`; PostgreSQL with --database-url) through
the Django test client in this process: the time per request, the SQL queries per request, and
cProfile's top functions by cumulative and own time. For finding where a cold page spends its
time, not for the figures in bench/results/ (those come from gunicorn under wrk).
"""

import argparse
import cProfile
import os
import pstats
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sql", action="store_true", help="print the SQL of one request")
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "bench" / "load"))
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    os.environ["GONGKAI_VAR_DIR"] = args.var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
    os.environ["DEBUG"] = "0"
    os.environ["PAGE_CACHE"] = "0"
    os.environ.setdefault("DB_CONN_MAX_AGE", "60")  # as served: one connection per worker
    os.environ.pop("REDIS_URL", None)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client()

    def get():
        response = client.get(args.path, HTTP_HOST=args.host)
        if response.status_code != 200:
            sys.exit(f"{args.path} answered {response.status_code}")
        return response

    for _ in range(5):  # per-process caches, as in a worker that has served a few requests
        get()
    executed = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = (time.perf_counter() - started) * 1000
            executed.append(f"[{took:.2f} ms] {sql}" + (f"  -- {params}" if params else ""))

    with connection.execute_wrapper(record):
        get()
    if args.sql:
        for sql in executed:
            # The column lists say little: keep what is read from where, and why.
            print(
                re.sub(r"^(\[.*?\] )SELECT .*? FROM ", r"\1SELECT … FROM ", sql)[:600], end="\n\n"
            )
    started = time.perf_counter()
    for _ in range(args.runs):
        get()
    elapsed = (time.perf_counter() - started) / args.runs
    print(f"{args.path}: {elapsed * 1000:.2f} ms per request, {len(executed)} SQL queries")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.runs):
        get()
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
