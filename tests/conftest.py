import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

from cms.demo import load_demo

DEMO_PASSWORD = settings.GONGKAI_DEMO_PASSWORD


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The Hegang demo platform, loaded once per run into the test database.

    Tests run inside transactions rolled back after each test, so every test sees the same
    demo. (Transactional tests flush the database; pytest-django runs them last.)"""
    with django_db_blocker.unblock():
        load_demo(DEMO_PASSWORD, port=80, log=lambda *args: None)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Database changes roll back after each test, cached values (Wagtail's site root paths,
    former hostnames) must not outlive them."""
    cache.clear()
    yield
    cache.clear()


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
