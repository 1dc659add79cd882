"""Configuration comes from the environment; production settings are hardened."""

import os
import subprocess
import sys
from pathlib import Path

import dj_database_url

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": "x" * 30 + "-production-test-key-" + "y" * 30,
    "ALLOWED_HOSTS": "www.hegang.gov.cn,.hegang.gov.cn",
}


def run_manage(*args, env):
    clean_env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_passes_check_deploy_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {**PRODUCTION_ENV, "ALLOWED_HOSTS": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_database_url_selects_the_database():
    config = dj_database_url.parse("postgres://gk:pw@db.internal:5432/gongkai")
    assert (config["ENGINE"], config["HOST"], config["NAME"]) == (
        "django.db.backends.postgresql",
        "db.internal",
        "gongkai",
    )


def test_backends_follow_the_environment():
    code = (
        "import django, os;"
        "os.environ['DJANGO_SETTINGS_MODULE']='cms.settings.dev';"
        "django.setup();"
        "from django.conf import settings as s;"
        "print(s.CACHES['default']['BACKEND']);"
        "print(s.WAGTAILSEARCH_BACKENDS['default']['BACKEND']);"
        "print(s.TIME_ZONE, s.LANGUAGE_CODE)"
    )
    env = {
        **{key: value for key, value in os.environ.items() if key != "DATABASE_URL"},
        "REDIS_URL": "redis://127.0.0.1:6379/3",
        "ELASTICSEARCH_URL": "http://127.0.0.1:9200",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split("\n")[:3] == [
        "django_redis.cache.RedisCache",
        "search.backends.elasticsearch9",  # Wagtail's, with Chinese analysis (search/backends)
        "Asia/Shanghai zh-hans",
    ], result.stderr
