"""Shared set-up of the benchmarks: a throwaway SQLite platform under var/bench/<name>/.

The first run migrates and loads the demo into a template database (kept as
var/bench/template-<hash>.sqlite3, the hash covering the migrations and the demo loader), and
every run starts from a fresh copy of it. Never touches var/gongkai.sqlite3 or DATABASE_URL.
"""

import hashlib
import os
import platform
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
RESULTS_DIR = Path(__file__).resolve().parent / "results"
CORPUS = ROOT.parent / "shared" / "corpus" / "dev.jsonl"


def _template_hash():
    digest = hashlib.sha1()
    files = [*sorted(ROOT.glob("*/migrations/*.py")), ROOT / "cms" / "demo.py"]
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def setup(name):
    """Point Django at var/bench/<name>/ (a fresh copy of the demo platform) and set it up."""
    var_dir = BENCH_DIR / name
    if var_dir.exists():
        shutil.rmtree(var_dir)
    (var_dir / "static").mkdir(parents=True)  # WhiteNoise warns when STATIC_ROOT is absent
    os.environ.pop("DATABASE_URL", None)  # always the embedded SQLite
    os.environ["GONGKAI_VAR_DIR"] = str(var_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
    os.environ["DEBUG"] = "0"  # as in production: no per-query logging
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()

    template = BENCH_DIR / f"template-{_template_hash()}.sqlite3"
    database = var_dir / "gongkai.sqlite3"
    if not template.exists():
        _build_template(template)
    shutil.copyfile(template, database)
    return var_dir


def _build_template(template):
    """Migrate and load the demo once, without fsync (it is set-up, not what is measured)."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections

    from cms.demo import load_demo

    # Per process: two benchmarks started together each build their own, the last rename wins.
    scratch = template.with_suffix(f".building-{os.getpid()}")
    if scratch.exists():
        scratch.unlink()
    real_name = settings.DATABASES["default"]["NAME"]
    connections.close_all()
    settings.DATABASES["default"]["NAME"] = str(scratch)
    connection.settings_dict["NAME"] = str(scratch)
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")
        print("Building the benchmark template (migrate + demo), once…", flush=True)
        call_command("migrate", verbosity=0, interactive=False)
        load_demo("bench-only-password", port=80, log=lambda *args: None)
        connections.close_all()
        scratch.rename(template)
    finally:
        settings.DATABASES["default"]["NAME"] = real_name
        connection.settings_dict["NAME"] = real_name
        connections.close_all()


def machine():
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    import sqlite3

    import django

    return (
        f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"Django {django.get_version()}, SQLite {sqlite3.sqlite_version}; "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )


def percentile(values, fraction):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * (len(ordered) - 1))))
    return ordered[index]
