import importlib
import os

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from pytest_django.plugin import blocking_manager_key
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page

from cms.demo import load_demo
from unit_sites import structure

DEMO_PASSWORD = settings.GONGKAI_DEMO_PASSWORD


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The Hegang demo platform, loaded once per run into the test database.

    Tests run inside transactions rolled back after each test, so every test sees the same
    demo. (Transactional tests flush the database; pytest-django runs them last.)"""
    with django_db_blocker.unblock():
        load_demo(DEMO_PASSWORD, port=80, log=lambda *args: None)


# Data migrations whose rows a flush takes away (each has a `seed(apps, schema_editor)`).
SEEDING_MIGRATIONS = [
    "disclosure_pages.migrations.0002_seed_catalogue_taxonomy",
    "search.migrations.0002_seed_synonyms",
    "supervision.migrations.0002_default_scheme",
    "statutory_columns.migrations.0002_article20_key_kinds",
    "disclosure_pages.migrations.0012_interpretation_key_kind",
]


def restore_migration_data():
    """What the migrations put in an empty database and a flush takes away: the default
    locale, the root page and collection, the catalogue taxonomy, the synonyms, the default
    scoring scheme."""
    locale, _ = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    Page.add_root(
        instance=Page(
            title="Root",
            slug="root",
            locale=locale,
            content_type=ContentType.objects.get_for_model(Page),
        )
    )
    Collection.add_root(name="Root")
    for migration in SEEDING_MIGRATIONS:
        importlib.import_module(migration).seed(django_apps, None)


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends with a flush (and browser tests build their own small
    platform): give the demo back to the tests that follow on this worker. pytest-django runs
    transactional tests last, but pytest-xdist's loadfile keeps a file's tests together, so
    a file mixing both kinds can come earlier."""
    result = yield
    if _is_transactional(item) and nextitem is not None and not _is_transactional(nextitem):
        with item.config.stash[blocking_manager_key].unblock():
            call_command("flush", interactive=False, verbosity=0)
            ContentType.objects.clear_cache()
            restore_migration_data()
            load_demo(DEMO_PASSWORD, port=80, log=lambda *args: None)
        cache.clear()
    return result


@pytest.fixture(scope="session", autouse=True)
def own_structure_epoch():
    """Each test worker its own structure epoch file: the others' changes would bump a shared
    one (the point in production; here it would drop what a test counts on being kept)."""
    structure.EPOCH_FILE = f"structure-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.epoch"


@pytest.fixture(autouse=True)
def fresh_cache():
    """Database changes roll back after each test, cached values (Wagtail's site root paths,
    the structure kept in memory) must not outlive them."""
    cache.clear()
    structure.forget()
    yield
    cache.clear()
    structure.forget()


@pytest.fixture
def user_named(db):
    def get(username):
        return get_user_model().objects.get(username=username)

    return get


@pytest.fixture
def client_for(client, user_named):
    """A test client logged in as a demo account."""

    def login(username):
        client.force_login(user_named(username))
        return client

    return login
