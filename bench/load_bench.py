"""Load benchmark: the platform at scale under wrk, cold, from its own page cache and behind nginx.

    .venv/bin/python bench/load_bench.py [--units 60] [--items 100000] [--duration 10]
    make bench-load BENCH_ARGS="--units 60 --items 5000"      # a quick run

1. Builds the platform: the demo (bench/_setup.py) scaled to `--units` units with `--items`
   live items spread over them (bulk INSERTs: bench/catalogue_bench.py), indexed for search,
   in a SQLite file under var/bench/load/; and the same in the PostgreSQL database
   `gongkai_bench` when BENCH_DATABASE_URL or DATABASE_URL is set (the database named there is
   only used to reach the server: gongkai_bench is dropped and created again).
2. Serves it with gunicorn (2 sync workers, 127.0.0.1) and measures with wrk (--latency) the
   portal home, a unit home, a catalogue listing, an item page and a search: cold (page cache
   off) and warm (served from the application's cache; Redis when REDIS_URL or a local Redis
   answers, db 14, else local memory). wrk's closed loop gives the most each page serves; the
   cold item and catalogue pages are also offered `--rate` requests/s (150) open loop, each
   timed from when it was due, for their latency at that rate (`constant_rate`).
3. nginx serving a saved copy of the item page as a static file (the physical reference), and
   nginx with proxy_cache in front of gunicorn; a publication then purges nginx through
   Wagtail's frontend-cache invalidation (checked: the next request is a MISS with the change).
4. Workers' RSS (VmRSS) after the runs, SQL queries per page, and a Markdown table in
   bench/results/load.md with the targets: cold item and catalogue ≥ 150 req/s (wrk) with
   p99 < 100 ms at 150 req/s offered; warm from the app cache ≥ 1,500 req/s; warm through
   nginx ≥ 50 % of static nginx; worker RSS < 300 MB.

Needs `wrk` and `nginx` (make bench-load installs both).
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _setup

ROOT = _setup.ROOT
PYTHON = sys.executable
BENCH_DB = "gongkai_bench"
UNIT = "fgw"  # the unit whose pages are measured (a section of the portal)

TARGET_PAGES = ("item page", "catalogue listing")  # cold targets: 150 req/s, p99 < 100 ms
# (label, host, path)
SCENARIOS = [
    ("portal home", "localhost", "/"),
    ("unit home", "localhost", f"/{UNIT}/"),
    ("catalogue listing", "localhost", f"/{UNIT}/gkml/gzdt/"),
    ("item page", "localhost", f"/{UNIT}/gkml/gzdt/b1/"),
    ("search", "localhost", "/search/?q=%E5%85%AC%E5%BC%80"),  # 公开
]


# --- building the platform (runs in a subprocess with Django set up) ------------------------


def build(args):
    import random

    if args.database_url:
        _setup_postgres(args.database_url, args.var_dir)
    else:
        _setup.setup("load")

    from catalogue_bench import bulk_items
    from django.core.management import call_command

    from unit_sites.models import UnitKind, UnitPage
    from unit_sites.provisioning import UnitSpec, provision_unit
    from unit_sites.validators import make_credit_code

    started = time.perf_counter()
    existing = UnitPage.objects.count()
    for n in range(existing, args.units):
        provision_unit(
            UnitSpec(
                slug=f"bench{n}",
                name=f"鹤岗市测试单位{n}",
                kind=UnitKind.DEPARTMENT,
                org_code=make_credit_code(f"11230400{90000 + n:08d}0"[:17]),
                parent_slug="hegang",
                password="bench-only-password",
            )
        )
    units = list(UnitPage.objects.filter(depth__gt=2).order_by("path"))
    # The measured unit gets a tenth of the items, the others share the rest.
    random.seed(7)
    shares = {unit.pk: 0 for unit in units}
    measured = next(unit for unit in units if unit.slug == UNIT)
    shares[measured.pk] = args.items // 10
    for _ in range(args.items - shares[measured.pk]):
        shares[random.choice(units).pk] += 1
    total = 0
    for unit in units:
        if shares[unit.pk]:
            total += bulk_items(unit, shares[unit.pk], legacy_prefix=f"bench-{unit.slug}-")
    built = time.perf_counter() - started
    started = time.perf_counter()
    call_command("update_index", verbosity=0)
    indexed = time.perf_counter() - started
    if args.database_url:
        # What autovacuum does within minutes of a bulk load: the planner's statistics.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    queries = _count_queries()
    info = {
        "units": UnitPage.objects.count(),
        "items": total,
        "build_seconds": round(built),
        "index_seconds": round(indexed),
        "queries": queries,
    }
    Path(args.info).write_text(json.dumps(info), encoding="utf-8")


def count(args):
    """The SQL queries per page of a platform built earlier (--reuse): the code may have
    changed since it was built."""
    os.environ["GONGKAI_VAR_DIR"] = str(args.var_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
    os.environ["DEBUG"] = "0"
    if args.database_url:  # the server's URL, as for the build: the bench database on it
        os.environ["DATABASE_URL"] = f"{args.database_url.rpartition('/')[0]}/{BENCH_DB}"
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)  # indexes added since the build
    Path(args.info).write_text(json.dumps({"queries": _count_queries()}), encoding="utf-8")


def _setup_postgres(url, var_dir):
    """A fresh `gongkai_bench` database on the server of `url`, migrated, with the demo."""
    import psycopg

    base, _slash, _name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {BENCH_DB}")
    os.environ["DATABASE_URL"] = f"{base}/{BENCH_DB}"
    os.environ["GONGKAI_VAR_DIR"] = str(var_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
    os.environ["DEBUG"] = "0"
    Path(var_dir, "static").mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from cms.demo import load_demo

    call_command("migrate", verbosity=0, interactive=False)
    load_demo("bench-only-password", port=80, log=lambda *args: None)


def _count_queries():
    """SQL queries of each measured page, rendered uncached (the test client, DEBUG off)."""
    from django.db import connection
    from django.test import Client, override_settings

    counts = {}
    client = Client()
    with override_settings(GONGKAI_PAGE_CACHE={"ENABLED": False}):
        for label, host, path in SCENARIOS:
            client.get(path, HTTP_HOST=host)  # warm the per-process caches first
            executed = []

            def count(execute, sql, params, many, context, executed=executed):
                executed.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                status = client.get(path, HTTP_HOST=host).status_code
            counts[label] = (len(executed), status)
    return counts


# --- serving and measuring ------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, host, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            request = urllib.request.Request(url, headers={"Host": host})
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def fetch(url, host, method="GET"):
    request = urllib.request.Request(url, headers={"Host": host}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class Gunicorn:
    def __init__(self, env, workers):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "cms.wsgi:application",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        wait_for(f"http://127.0.0.1:{self.port}/healthz", "localhost")

    def worker_rss_mb(self):
        sizes = []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        for pid in children.read_text().split():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def wrk(url, host, args):
    output = subprocess.run(
        [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            "--latency",
            "-H",
            f"Host: {host}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(percent):
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not match:
            return None
        value, unit = float(match[1]), match[2]
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {
        "rps": float(rate[1]) if rate else 0.0,
        "p50": latency(50),
        "p99": latency(99),
        "errors": int(errors[1]) if errors else 0,
    }


def constant_rate(port, host, path, rate, duration):
    """Open-loop load: a request due every 1/rate s for `duration` s, each timed from when it
    was due (so time spent waiting behind earlier requests counts: no coordinated omission).
    This is what "150 requests/s with p99 under 100 ms" asks; wrk's closed loop instead keeps
    its connections busy and reports how long requests queue behind one another."""
    import asyncio

    async def one(due, latencies, failures):
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
            writer.write(request.encode())
            await writer.drain()
            status = await reader.readline()
            await reader.read()  # the whole answer
            writer.close()
            if b" 200 " not in status:
                failures.append(status)
        except OSError as error:
            failures.append(error)
        latencies.append(time.perf_counter() - due)

    async def run():
        latencies, failures, tasks = [], [], []
        loop = asyncio.get_running_loop()
        start = time.perf_counter() + 0.1
        for n in range(int(rate * duration)):
            due = start + n / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(loop.create_task(one(due, latencies, failures)))
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=60)
        return latencies, failures, time.perf_counter() - start

    latencies, failures, elapsed = asyncio.run(run())
    latencies.sort()

    def percentile(share):
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000

    return {
        "rps": len(latencies) / elapsed,
        "p50": percentile(0.50),
        "p99": percentile(0.99),
        "errors": len(failures),
    }


NGINX_CONF = """
worker_processes 2;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
include /etc/nginx/modules-enabled/*.conf;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    include /etc/nginx/mime.types;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    proxy_cache_path {dir}/cache levels=1:2 keys_zone=gongkai:16m max_size=1g use_temp_path=off;
    upstream gongkai_app {{ server 127.0.0.1:{app_port}; keepalive 16; }}
    map "$cookie_sessionid$cookie_messages$cookie_gongkai_view" $gongkai_private {{
        "" 0;
        default 1;
    }}
    server {{
        listen 127.0.0.1:{static_port};
        root {dir}/static;
        location / {{ default_type text/html; }}
    }}
    server {{
        listen 127.0.0.1:{proxy_port};
        {purge}
        location / {{
            if ($request_method = PURGE) {{ rewrite ^ /__purge$uri last; }}
            proxy_pass http://gongkai_app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_cache gongkai;
            proxy_cache_key "$host$request_uri";
            proxy_cache_bypass $gongkai_private;
            proxy_no_cache $gongkai_private;
            proxy_cache_lock on;
            add_header X-Proxy-Cache $upstream_cache_status always;
        }}
    }}
}}
"""


# Wagtail's HTTP backend sends PURGE <page URL>; the module's own same-location form crashes
# nginx 1.22's workers (cache-purge 2.3), its separate-location form does not.
PURGE_LOCATION = """location ~ ^/__purge(/.*)$ {
            internal;
            allow 127.0.0.1;
            deny all;
            proxy_cache_purge gongkai "$host$1$is_args$args";
        }"""


def purge_module_available():
    return any(Path("/etc/nginx/modules-enabled").glob("*cache-purge*"))


class Nginx:
    def __init__(self, app_port, item_html):
        self.dir = Path(tempfile.mkdtemp(prefix="gongkai-nginx-"))
        # nginx's workers drop root: they must read the copy and write the cache here.
        self.dir.chmod(0o777)
        (self.dir / "static").mkdir(mode=0o755)
        (self.dir / "static" / "item.html").write_bytes(item_html)
        self.static_port, self.proxy_port = free_port(), free_port()
        self.purging = purge_module_available()
        conf = NGINX_CONF.format(
            dir=self.dir,
            app_port=app_port,
            static_port=self.static_port,
            proxy_port=self.proxy_port,
            purge=PURGE_LOCATION if self.purging else "",
        )
        (self.dir / "nginx.conf").write_text(conf)
        subprocess.run(["nginx", "-c", str(self.dir / "nginx.conf")], check=True)
        wait_for(f"http://127.0.0.1:{self.static_port}/item.html", "localhost")

    def stop(self):
        pid_file = self.dir / "nginx.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text()), signal.SIGQUIT)
            for _ in range(50):
                if not pid_file.exists():
                    break
                time.sleep(0.1)
        shutil.rmtree(self.dir, ignore_errors=True)


def redis_url():
    url = os.environ.get("REDIS_URL")
    if url:
        return url
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            if sock.recv(16).startswith(b"+PONG"):
                return "redis://127.0.0.1:6379/14"
    except OSError:
        pass
    return ""


def server_env(var_dir, database_url, *, cache, redis="", purge_url=""):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "FRONTEND_CACHE_PURGE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DEBUG="0",
        GONGKAI_VAR_DIR=str(var_dir),
        PAGE_CACHE="1" if cache else "0",
        DB_CONN_MAX_AGE="60",
        PYTHONPATH=str(ROOT),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis:
        env["REDIS_URL"] = redis
        env["CACHE_KEY_PREFIX"] = "gongkai-bench"
    if purge_url:
        env["FRONTEND_CACHE_PURGE_URL"] = purge_url
    return env


def republish_item(env):
    """Publish a new revision of the measured item through Django (as an editor would), with
    this environment's purge settings; return its new title."""
    code = (
        "from disclosure_pages.models import DisclosureItem\n"
        f"item = DisclosureItem.objects.get(url_path__endswith='/{UNIT}/gkml/gzdt/b1/').specific\n"
        "item.title = item.title + '（已更新）'\n"
        "item.save_revision().publish()\n"
        "print(item.title)\n"
    )
    done = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def run_database(label, var_dir, database_url, args, results, notes):
    redis = redis_url()
    if redis:
        import redis as redis_client

        redis_client.Redis.from_url(redis).flushdb()
    rss = []
    item_html = b""
    for cached in (False, True):
        mode = "warm, app cache" if cached else "cold, no cache"
        env = server_env(var_dir, database_url, cache=cached, redis=redis if cached else "")
        server = Gunicorn(env, args.workers)
        try:
            for scenario, host, path in SCENARIOS:
                url = f"http://127.0.0.1:{server.port}{path}"
                status, headers, body = fetch(url, host)
                if status != 200:
                    raise RuntimeError(f"{scenario}: {url} answered {status}")
                if scenario == "item page":
                    item_html = body
                if cached:
                    fetch(url, host)
                    if fetch(url, host)[1].get("X-Cache") != "HIT":
                        notes.append(f"{label}: {scenario} was not served from the app cache")
                print(f"  {label}, {mode}: {scenario}…", flush=True)
                results.append((label, scenario, path, mode, wrk(url, host, args)))
                if not cached and scenario in TARGET_PAGES:
                    offered = f"cold, {args.rate} req/s offered"
                    print(f"  {label}, {offered}: {scenario}…", flush=True)
                    measured = constant_rate(server.port, host, path, args.rate, args.duration)
                    results.append((label, scenario, path, offered, measured))
            rss.extend(server.worker_rss_mb())
        finally:
            server.stop()
    if args.skip_nginx or not shutil.which("nginx"):
        return rss
    # nginx: a static copy of the item page, and a proxy cache in front of gunicorn.
    env = server_env(var_dir, database_url, cache=True, redis=redis)
    server = Gunicorn(env, args.workers)
    nginx = Nginx(server.port, item_html)
    try:
        item_path = SCENARIOS[3][2]
        static = f"http://127.0.0.1:{nginx.static_port}/item.html"
        print(f"  {label}, nginx static…", flush=True)
        results.append(
            (label, "item page", "(static copy)", "nginx static", wrk(static, "x", args))
        )
        proxied = f"http://127.0.0.1:{nginx.proxy_port}{item_path}"
        fetch(proxied, "localhost")
        if fetch(proxied, "localhost")[1].get("X-Proxy-Cache") != "HIT":
            notes.append(f"{label}: nginx did not cache the item page")
        print(f"  {label}, nginx proxy cache…", flush=True)
        results.append(
            (label, "item page", item_path, "warm, nginx cache", wrk(proxied, "localhost", args))
        )
        if nginx.purging:
            purge_env = dict(env, FRONTEND_CACHE_PURGE_URL=f"http://127.0.0.1:{nginx.proxy_port}")
            title = republish_item(purge_env)
            status, headers, body = fetch(proxied, "localhost")
            fresh = title in body.decode()
            notes.append(
                f"{label}: after a publication, nginx answered {headers.get('X-Proxy-Cache')} "
                f"with the {'new' if fresh else 'OLD'} title (purged by Wagtail's "
                "frontend-cache invalidation)"
            )
        else:
            notes.append(f"{label}: nginx has no cache-purge module: purge not checked")
        rss.extend(server.worker_rss_mb())
    finally:
        nginx.stop()
        server.stop()
    return rss


def build_in_subprocess(args, database_url, var_dir):
    saved = Path(var_dir) / "load-info.json"
    if args.reuse and saved.exists():
        data = json.loads(saved.read_text())
        data.update(_run_step("count", args, database_url, var_dir))
        return data
    data = _run_step("build", args, database_url, var_dir)
    saved.write_text(json.dumps(data))
    return data


def _run_step(step, args, database_url, var_dir):
    """Run `build` or `count` in a subprocess with Django set up for that platform."""
    info = Path(tempfile.mkstemp(suffix=".json")[1])
    command = [PYTHON, __file__, step, "--info", str(info), "--var-dir", str(var_dir)]
    command += ["--units", str(args.units), "--items", str(args.items)]
    if database_url:
        command += ["--database-url", database_url]
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    subprocess.run(command, check=True, cwd=ROOT, env=env)
    data = json.loads(info.read_text())
    info.unlink()
    return data


def fmt(value, digits=0):
    return "–" if value is None else f"{value:,.{digits}f}"


def report(args, runs, results, notes, machine):
    lines = [
        "# Load benchmark",
        "",
        f"`{' '.join(['.venv/bin/python bench/load_bench.py', *sys.argv[1:]])}` on "
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}",
        "",
        f"- Machine: {machine} (at the start; {os.getloadavg()[0]:.1f} at the end)",
        f"- gunicorn {args.workers} sync workers on 127.0.0.1; wrk -t{args.threads} "
        f"-c{args.connections} -d{args.duration}s --latency on the same machine (closed loop: "
        f"the most the server serves; its p50/p99 are mostly time queued behind the other "
        f"{args.connections - 1} connections)",
        f"- cold item and catalogue pages also at {args.rate} req/s offered for "
        f"{args.duration} s (open loop, each request timed from when it was due, so queueing "
        f"counts): the latency the targets ask for at that rate",
        "- cold = the page cache off; what is kept in memory in every case (sites, settings, "
        "taxonomy, units and their workspaces: unit_sites.structure) is in use",
    ]
    for label, info in runs.items():
        lines.append(
            f"- {label}: {info['units']} units, {info['items']:,} items inserted "
            f"(built in {info['build_seconds']} s, indexed in {info['index_seconds']} s); "
            f"worker RSS after the runs {', '.join(f'{mb:.0f}' for mb in info['rss'])} MB"
        )
        lines.append(
            "  - SQL queries per page (uncached): "
            + ", ".join(f"{page} {count}" for page, (count, _s) in info["queries"].items())
        )
    lines += [
        "",
        "| database | page | URL | mode | req/s | p50 ms | p99 ms | non-2xx |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, scenario, path, mode, r in results:
        lines.append(
            f"| {label} | {scenario} | `{path}` | {mode} | **{fmt(r['rps'])}** | "
            f"{fmt(r['p50'], 1)} | {fmt(r['p99'], 1)} | {r['errors']} |"
        )
    lines += ["", "## Targets", ""]
    checks = []
    for label in runs:
        mine = [r for r in results if r[0] == label]
        for scenario in TARGET_PAGES:
            most = next((r[4] for r in mine if r[1] == scenario and r[3] == "cold, no cache"), None)
            offered = next(
                (r[4] for r in mine if r[1] == scenario and r[3].endswith("req/s offered")), None
            )
            if most and offered:
                met = (
                    most["rps"] >= 150
                    and offered["rps"] >= 0.98 * args.rate >= 0.98 * 150
                    and offered["p99"] < 100
                    and not offered["errors"]
                )
                checks.append(
                    f"{label}, cold {scenario} ≥ 150 req/s with p99 < 100 ms: at most "
                    f"{fmt(most['rps'])} req/s (wrk); at {args.rate} req/s offered, "
                    f"{fmt(offered['rps'])} served with p99 {fmt(offered['p99'], 1)} ms: "
                    f"{'met' if met else 'NOT met'}"
                )
        warm = [r[4]["rps"] for r in mine if r[3] == "warm, app cache" and r[1] != "search"]
        if warm:
            checks.append(
                f"{label}, warm pages from the app cache ≥ 1,500 req/s: lowest {fmt(min(warm))}: "
                f"{'met' if min(warm) >= 1500 else 'NOT met'}"
            )
        static = next((r[4]["rps"] for r in mine if r[3] == "nginx static"), None)
        proxied = next((r[4]["rps"] for r in mine if r[3] == "warm, nginx cache"), None)
        if static and proxied:
            share = proxied / static
            checks.append(
                f"{label}, nginx proxy cache ≥ 50 % of nginx static: {share:.0%}: "
                f"{'met' if share >= 0.5 else 'NOT met'}"
            )
        rss = runs[label]["rss"]
        if rss:
            checks.append(
                f"{label}, worker RSS < 300 MB: largest {max(rss):.0f} MB: "
                f"{'met' if max(rss) < 300 else 'NOT met'}"
            )
    lines += [f"- {check}" for check in checks]
    if notes:
        lines += ["", "## Checks", "", *[f"- {note}" for note in notes]]
    lines.append("")
    _setup.RESULTS_DIR.mkdir(exist_ok=True)
    out = Path(args.out)
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    print(f"Written to {out}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="run", choices=["run", "build", "count"])
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--rate", type=int, default=150, help="req/s offered to the cold target pages"
    )
    parser.add_argument("--skip-nginx", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="serve the platform built by the last run as it is"
    )
    parser.add_argument("--out", default=str(_setup.RESULTS_DIR / "load.md"))
    # internal: the build step
    parser.add_argument("--info")
    parser.add_argument("--var-dir")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    if args.command == "build":
        build(args)
        return
    if args.command == "count":
        count(args)
        return
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: run `make wrk` (or `make bench-load`).")

    databases = [("SQLite", "", _setup.BENCH_DIR / "load")]
    server_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if server_url and not args.skip_postgres:
        base = server_url.rpartition("/")[0]
        databases.append(("PostgreSQL", f"{base}/{BENCH_DB}", _setup.BENCH_DIR / "load-pg"))
    machine = None
    runs, results, notes = {}, [], []
    for label, database_url, var_dir in databases:
        print(f"Building the {label} platform ({args.units} units, {args.items:,} items)…")
        info = build_in_subprocess(args, server_url if database_url else "", var_dir)
        if machine is None:
            machine = _machine()
        info["rss"] = run_database(label, var_dir, database_url, args, results, notes)
        runs[label] = info
    report(args, runs, results, notes, machine)


def _machine():
    import platform

    load = os.getloadavg()
    return (
        f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )


if __name__ == "__main__":
    main()
