import os

import pytest
from django.db import connection

from tests.factories import UserFactory
from tests.mutation_database import django_db_setup  # noqa: F401 (pytest-django's, but under make mutate)

# The single sign-on fixtures (a real OpenID provider), shared by tests/sso and tests/browser.
pytest_plugins = ["tests.sso.fixtures"]


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests (true concurrency) are deselected, not skipped, on SQLite."""
    if connection.vendor == "postgresql":
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgres") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failure: nothing may quietly not run."""
    if os.environ.get("CI") and exitstatus == 0:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
        if skipped:
            session.exitstatus = 1
            reporter.write_line(
                f"CI: {skipped} test(s) were skipped; every test must run.", red=True
            )


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so a cached report never leaks between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def hr(db):
    return UserFactory(full_name="Hana HR", email="hr@test.example", hr=True)


@pytest.fixture
def manager(db):
    boss = UserFactory(full_name="Bea Boss", email="boss@test.example")
    return UserFactory(full_name="Max Manager", email="manager@test.example", manager=boss)


@pytest.fixture
def employee(manager):
    return UserFactory(full_name="Emma Employee", email="employee@test.example", manager=manager)


@pytest.fixture
def outsider(db):
    return UserFactory(full_name="Oscar Outsider", email="outsider@test.example")


@pytest.fixture
def client_for(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
