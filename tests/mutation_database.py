"""The test database of `make mutate`'s sessions (tests/conftest.py uses this fixture).

A mutant's session would otherwise build its in-memory test database the usual way: create
every table and run the post-migrate handlers, most of a short mutant's session. Instead the
clean run (the last session before the mutants, MUTANT_UNDER_TEST empty) keeps a copy of the
database it built, and each mutant's session copies that into a fresh in-memory database with
SQLite's backup API. Every other session, `make test` included, gets pytest-django's fixture.
"""

import os
import sqlite3
from pathlib import Path

import pytest

# Under mutants/ during `make mutate` (this file is copied there with the tests).
TEMPLATE = Path(__file__).resolve().parent.parent / "mutmut-test-db.sqlite3"
TEMPLATE_NAME = "file:mutmut-test-db?mode=memory&cache=shared"


def _in_mutation_run() -> bool:
    return "MUTANT_UNDER_TEST" in os.environ


def _is_mutant() -> bool:
    return "__mutmut_" in os.environ.get("MUTANT_UNDER_TEST", "")


@pytest.fixture(scope="session")
def django_db_setup(request):
    if not (_is_mutant() and TEMPLATE.exists()):
        request.getfixturevalue("django_db_setup")  # pytest-django's
        if _in_mutation_run():
            _template_keep(request)
        yield
        return
    from django.conf import settings
    from django.db import connection

    with request.getfixturevalue("django_db_blocker").unblock():
        original = connection.settings_dict["NAME"]
        connection.close()
        settings.DATABASES["default"]["NAME"] = TEMPLATE_NAME
        connection.settings_dict["NAME"] = TEMPLATE_NAME
        connection.ensure_connection()
        with sqlite3.connect(TEMPLATE) as template:
            template.backup(connection.connection)
    yield
    with request.getfixturevalue("django_db_blocker").unblock():
        connection.close()
        settings.DATABASES["default"]["NAME"] = original
        connection.settings_dict["NAME"] = original


def _template_keep(request) -> None:
    from django.db import connection

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        return
    with request.getfixturevalue("django_db_blocker").unblock():
        TEMPLATE.unlink(missing_ok=True)
        connection.ensure_connection()
        with sqlite3.connect(TEMPLATE) as template:
            connection.connection.backup(template)
