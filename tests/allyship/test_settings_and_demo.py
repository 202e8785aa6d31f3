import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from allyship.models import User
from allyship.permissions import is_hr, team_of

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_debug_off():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-value-1234567890",
        "ALLOWED_HOSTS": "allyship.example.com",
        # Production's settings, not the suite's (which add the test-only OpenID provider).
        "DJANGO_SETTINGS_MODULE": "allyship.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_seed_demo_builds_the_organisation_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    count = User.objects.count()
    employee = User.objects.get(email="employee@example.com")
    manager = User.objects.get(email="manager@example.com")
    hr = User.objects.get(email="hr@example.com")
    assert employee.manager == manager
    assert employee.check_password("allyship-demo")
    assert is_hr(hr)
    assert 45 <= count <= 60
    # Three levels at least: ceo > head > manager > lead > people.
    assert User.objects.get(email="grace@example.com") in team_of(manager)
    call_command("seed_demo", stdout=StringIO())
    assert User.objects.count() == count


@pytest.mark.django_db
def test_seed_demo_scales_with_employees(settings):
    settings.DEBUG = True
    call_command("seed_demo", employees=400, stdout=StringIO())
    assert User.objects.count() == 400
    head = User.objects.get(email="head.engineering@example.com")
    assert team_of(head).count() > 70


@pytest.mark.django_db
def test_seed_demo_refuses_without_force_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not User.objects.exists()
