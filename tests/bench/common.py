"""Shared set-up for the benchmark and the soak: production settings on loopback only."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BENCH_SECRET = "bench-only-secret-key-" + "x" * 40  # loopback benchmarks only, never deployed


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    """Production settings (DEBUG off, whitenoise, manifest static files) served over plain HTTP
    on 127.0.0.1, because a local load generator does not speak TLS."""
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", BENCH_SECRET),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_COOKIES": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend",
        "AXES_FAILURE_LIMIT": "1000",
        "LOG_LEVEL": "ERROR",
    }
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    """Start gunicorn on 127.0.0.1 only and wait until /healthz answers."""
    gunicorn = str(Path(PYTHON).with_name("gunicorn"))
    process = subprocess.Popen(
        [
            gunicorn,
            "allyship.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--no-control-socket",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                if reply.status == 200:
                    return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError(f"gunicorn on port {port} did not answer /healthz within 30 s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def django_setup(env: dict[str, str]) -> None:
    """Use the same settings in this process, to prepare sessions and data."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "allyship.settings")
    import django

    django.setup()


def session_cookie_for(user) -> str:
    """A signed-in session for the user, as the login view would create it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "allyship.backends.PeopleBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
