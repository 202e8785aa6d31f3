"""`make bench`: the app under production settings on gunicorn, against the framework's floor.

Seeds (or reuses) a 10,000-employee organisation, starts gunicorn on 127.0.0.1, and
drives each page with wrk at 1 and at 16 concurrent clients. Prints a table and
writes bench.json in the project root. Only loopback is ever a target.

Settings (environment): BENCH_DATABASE_URL (default: an SQLite file bench.sqlite3),
BENCH_EMPLOYEES (10000), BENCH_SECONDS per run (8), BENCH_WORKERS (gunicorn, 3),
BENCH_PORT (8765).
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.bench.common import (
    ROOT,
    django_setup,
    manage,
    production_env,
    session_cookie_for,
    start_gunicorn,
    stop,
)

PAGES = ("floor", "learner_home", "scenario_submit", "manager_team", "hr_dashboard", "csv_export")
TARGET_RATIO = 0.5
TARGET_P95_MS = 300


def prepare(env: dict[str, str], employees: int) -> None:
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_curriculum")
    manage(env, "seed_demo", "--employees", str(employees), "--force")
    manage(env, "collectstatic", "--noinput", "-v0")


def request_files(workdir: Path, submissions: int) -> dict[str, Path]:
    """One request file per page: method, path, cookie, CSRF token and body per line."""
    from django.db.models import Count
    from django.middleware.csrf import _get_new_csrf_string
    from django.urls import reverse

    from allyship.models import User
    from quizzes.models import Attempt, Scenario
    from quizzes.services import attempt_start

    def line(method, path, user, body=""):
        csrf = _get_new_csrf_string()
        cookie = f"{session_cookie_for(user)}; csrftoken={csrf}"
        return f"{method}\t{path}\t{cookie}\t{csrf}\t{body}\n"

    learner = User.objects.get(email="employee@example.com")
    hr = User.objects.get(email="hr@example.com")
    # The manager whose whole team is nearest 2,000 people.
    heads = User.objects.filter(email__startswith="head.").annotate(n=Count("reports"))
    manager = min(heads, key=lambda head: abs(2000 - User.objects.team_of(head.pk).count()))
    team_size = User.objects.team_of(manager.pk).count()

    scenario = Scenario.objects.get(slug="interrupted-in-meetings")
    start = scenario.start_step
    response = start.responses.filter(retired=False).order_by("-points").first()
    submitters = list(
        User.objects.filter(email__startswith="person").order_by("email")[:submissions]
    )
    Attempt.objects.filter(user__in=submitters, scenario=scenario).delete()
    files = {}

    def write(name, lines):
        path = workdir / f"{name}.txt"
        path.write_text("".join(lines))
        files[name] = path

    write("floor", [line("GET", "/healthz", learner)])
    write("learner_home", [line("GET", reverse("learning:home"), learner)])
    submit_lines = []
    for user in submitters:
        attempt = attempt_start(scenario=scenario, acting_user=user)
        body = f"step={start.pk}&response={response.pk}"
        submit_lines.append(
            line("POST", reverse("quizzes:attempt-choose", args=[attempt.pk]), user, body)
        )
    write("scenario_submit", submit_lines)
    write("manager_team", [line("GET", reverse("manager:team") + "?scope=all", manager)])
    write("hr_dashboard", [line("GET", reverse("hr:dashboard"), hr)])
    write("csv_export", [line("GET", reverse("hr:employees-csv"), hr)])
    print(f"Manager page: {manager.email} with {team_size} people below them.")
    return files


def run_wrk(port: int, requests_file: Path, clients: int, seconds: int) -> dict:
    threads = min(clients, 2)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{clients}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "tests" / "bench" / "wrk.lua"),
        f"http://127.0.0.1:{port}",
        "--",
        str(requests_file),
        str(threads),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"^BENCH (\{.*\})$", output, re.M)
    if not match:
        raise RuntimeError(f"wrk printed no summary:\n{output}")
    data = json.loads(match.group(1))
    seconds_taken = data["duration_us"] / 1_000_000
    return {
        "rps": round(data["requests"] / seconds_taken, 1),
        "p50_ms": round(data["p50_us"] / 1000, 1),
        "p95_ms": round(data["p95_us"] / 1000, 1),
        "errors": data["errors"],
    }


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk (the Makefile does this).")
    employees = int(os.environ.get("BENCH_EMPLOYEES", "10000"))
    seconds = int(os.environ.get("BENCH_SECONDS", "8"))
    workers = int(os.environ.get("BENCH_WORKERS", "3"))
    port = int(os.environ.get("BENCH_PORT", "8765"))
    database_url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'bench.sqlite3'}")
    env = production_env(database_url)
    print(f"Preparing {employees} employees on {database_url.split('@')[-1]} ...")
    prepare(env, employees)
    django_setup(env)
    with tempfile.TemporaryDirectory() as workdir:
        files = request_files(Path(workdir), submissions=6000)
        server = start_gunicorn(env, port, workers)
        results: dict[str, dict] = {}
        try:
            for page in PAGES:
                run_wrk(port, files[page], 4, 2)  # warm up caches and connections
                one = run_wrk(port, files[page], 1, seconds)
                sixteen = run_wrk(port, files[page], 16, seconds)
                results[page] = {
                    "rps_1": one["rps"],
                    "p50_ms_1": one["p50_ms"],
                    "p95_ms_1": one["p95_ms"],
                    "rps_16": sixteen["rps"],
                    "p50_ms_16": sixteen["p50_ms"],
                    "p95_ms_16": sixteen["p95_ms"],
                    "errors": one["errors"] + sixteen["errors"],
                }
        finally:
            stop(server)
    floor = results["floor"]["rps_16"] or 1
    for values in results.values():
        values["ratio_to_floor"] = round(values["rps_16"] / floor, 3)
    report = {
        "pages": results,
        "settings": {
            "employees": employees,
            "seconds_per_run": seconds,
            "gunicorn_workers": workers,
            "database": database_url.split("://")[0],
        },
    }
    (ROOT / "bench.json").write_text(json.dumps(report, indent=2) + "\n")
    print_table(results)


def print_table(results: dict[str, dict]) -> None:
    columns = ("rps@1", "rps@16", "p50@16", "p95@16", "errors", "vs floor")
    header = f"{'page':<16}" + "".join(f"{column:>10}" for column in columns)
    print(header)
    print("-" * len(header))
    for page, values in results.items():
        print(
            f"{page:<16}{values['rps_1']:>10}{values['rps_16']:>10}{values['p50_ms_16']:>10}"
            f"{values['p95_ms_16']:>10}{values['errors']:>10}{values['ratio_to_floor']:>10}"
        )
    print()
    for page in ("learner_home", "scenario_submit"):
        ratio = results[page]["ratio_to_floor"]
        verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
        print(f"{page}: {ratio:.0%} of the floor's throughput at 16 clients ({verdict} 50%).")
    slow = [page for page, values in results.items() if values["p95_ms_16"] >= TARGET_P95_MS]
    print("p95 under 300 ms at 16 clients: " + ("all pages" if not slow else f"not {slow}"))
    print("Wrote bench.json")


if __name__ == "__main__":
    main()
