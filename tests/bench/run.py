"""`make bench`: the traffic people make, on two gunicorn instances, against the floor.

Seeds (or reuses) an organisation of BENCH_EMPLOYEES people on PostgreSQL, starts two
gunicorn instances on 127.0.0.1 that share the database and one Redis cache, and drives
each kind of traffic with wrk at 16 concurrent clients in all (8 against each instance),
every request from a different signed-in person where the traffic has several:

- learners (at least 2,000 different ones): home, catalogue, a lesson page, completing a
  lesson (POST), answering a scenario step (POST);
- managers (at least 200 different ones): the team page with scope=all;
- HR: the dashboard, the people table sorted by each column at many page numbers, people
  search with many terms, insights, the CSV export.

The floor is /healthz with a signed-in cookie, measured in the same run. Prints a table
and writes bench.json. Only loopback is ever a target.

Settings (environment): BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/allyship_bench), BENCH_REDIS_URL
(redis://127.0.0.1:6379/14, flushed at the start), BENCH_EMPLOYEES (10000), BENCH_SECONDS
per run (8), BENCH_WORKERS per instance (2), BENCH_PORTS ("8765,8766"),
BENCH_LEARNERS (3000), BENCH_PAGES (only these, comma-separated).
"""

import json
import os
import random
import re
import secrets
import shutil
import string
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
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

CLIENTS = 16
# Targets at 16 clients, in the same run (the issue that asked for this benchmark).
LEARNER_PAGES = ("learner_home", "catalogue", "lesson", "lesson_complete", "scenario_submit")
LEARNER_RATIO, LEARNER_P95_MS = 0.10, 100
TARGET_P95_MS = {
    "manager_team": 150,
    "hr_people_sorted": 150,
    "hr_search": 150,
    "hr_dashboard": 200,
    "hr_insights": 200,
}
CSV_ROWS_PER_S = 50_000
SORTS = ("name", "-name", "completion", "-completion", "due", "-due", "overdue", "-overdue")
SEARCH_TERMS = ("an", "el", "sam", "ri", "ko", "ma", "li", "ha", "jo", "ta", "ne", "ar")


def prepare(env: dict[str, str], employees: int) -> None:
    """Migrate, load the curriculum, and seed the organisation unless the database already
    holds exactly that many people (seeding 100,000 again would take minutes)."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_curriculum")
    django_setup(env)
    from allyship.models import User

    people = User.objects.filter(is_active=True).count()
    if people == employees:
        print(f"Reusing the {people} people already seeded.")
    else:
        manage(env, "seed_demo", "--employees", str(employees), "--force")
    # The stored figures the HR dashboard and insights read, as the worker computes them;
    # without them those pages would be measured showing "being prepared".
    manage(env, "refresh_report_figures")
    manage(env, "collectstatic", "--noinput", "-v0")


def csrf_secret() -> str:
    """A CSRF cookie value as Django makes them: 32 letters and digits."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


def request_files(workdir: Path, learners: int) -> tuple[dict[str, Path], dict]:
    """One request file per kind of traffic: method, path, cookie, CSRF token, body per line,
    each line a different person where the traffic has several."""
    from django.urls import reverse

    from allyship.models import User
    from learning.models import Lesson
    from quizzes.models import Attempt, Scenario
    from quizzes.services import attempt_start

    cookies: dict[int, tuple[str, str]] = {}

    def line(method: str, path: str, user, body: str = "") -> str:
        if user.pk not in cookies:
            csrf = csrf_secret()
            cookies[user.pk] = (f"{session_cookie_for(user)}; csrftoken={csrf}", csrf)
        cookie, csrf = cookies[user.pk]
        return f"{method}\t{path}\t{cookie}\t{csrf}\t{body}\n"

    rng = random.Random(7)
    people = list(
        User.objects.filter(is_active=True, email__startswith="person").order_by("pk")[:learners]
    )
    managers = list(User.objects.filter(has_reports=True, is_active=True).order_by("pk")[:400])
    hr = User.objects.get(email="hr@example.com")
    lessons = list(
        Lesson.objects.filter(retired=False, module__retired=False).select_related("module")
    )
    scenario = Scenario.objects.get(slug="interrupted-in-meetings")
    start = scenario.start_step
    response = start.responses.filter(retired=False).order_by("-points").first()
    Attempt.objects.filter(user__in=people, scenario=scenario).delete()
    total = User.objects.filter(is_active=True).count()
    last_page = max(total // 50, 1)

    def choose_path(person) -> str:
        attempt = attempt_start(scenario=scenario, acting_user=person)
        return reverse("quizzes:attempt-choose", args=[attempt.pk])

    def lesson_path(lesson, suffix=""):
        return reverse("learning:lesson-detail", args=[lesson.module.slug, lesson.slug]) + suffix

    traffic: dict[str, list[str]] = {
        "floor": [line("GET", "/healthz", person) for person in people],
        "learner_home": [line("GET", reverse("learning:home"), p) for p in people],
        "catalogue": [line("GET", reverse("learning:course-list"), p) for p in people],
        "lesson": [line("GET", lesson_path(rng.choice(lessons)), p) for p in people],
        "lesson_complete": [
            line("POST", lesson_path(rng.choice(lessons), "complete/"), p) for p in people
        ],
        "scenario_submit": [
            line(
                "POST",
                reverse(
                    "quizzes:attempt-choose",
                    args=[attempt_start(scenario=scenario, acting_user=p).pk],
                ),
                p,
                f"step={start.pk}&response={response.pk}",
            )
            for p in people
        ],
        "manager_team": [line("GET", reverse("manager:team") + "?scope=all", m) for m in managers],
        "hr_dashboard": [line("GET", reverse("hr:dashboard"), hr)],
        "hr_people_sorted": [
            line("GET", f"{reverse('hr:people')}?sort={sort}&page={rng.randint(1, last_page)}", hr)
            for sort in SORTS
            for _ in range(50)
        ],
        "hr_search": [
            line("GET", f"{reverse('hr:people')}?q={term}&page={page}", hr)
            for term in SEARCH_TERMS
            for page in (1, 2, 3)
        ],
        "hr_insights": [line("GET", reverse("hr:insights"), hr)],
        "csv_export": [line("GET", reverse("hr:employees-csv"), hr)],
    }
    files = {}
    for name, lines in traffic.items():
        path = workdir / f"{name}.txt"
        path.write_text("".join(lines))
        files[name] = path
    facts = {
        "learners": len(people),
        "managers": len(managers),
        "lessons": len(lessons),
        "people_table_pages": last_page,
        "employees": total,
    }
    return files, facts


# How long a client waits for an answer before wrk counts an error. A download of the whole
# organisation takes seconds by nature (16 at once queue behind the workers), as a browser
# waits for it; a page must answer within 10 s.
TIMEOUT_S = {"csv_export": 120}


def run_wrk(port: int, requests_file: Path, clients: int, seconds: int) -> dict:
    threads = min(clients, 2)
    page = requests_file.stem.split(".")[0]
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{clients}",
        f"-d{seconds}s",
        "--timeout",
        f"{TIMEOUT_S.get(page, 10)}s",
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
    return json.loads(match.group(1))


def run_both(ports: list[int], requests_file: Path, seconds: int) -> dict:
    """CLIENTS clients in all, split over the instances, at the same time; each instance
    replays a different half of the file so no two clients send the same person."""
    halves = []
    lines = requests_file.read_text().splitlines(keepends=True)
    for index in range(len(ports)):
        part = lines[index :: len(ports)] or lines
        half = requests_file.with_name(f"{requests_file.stem}.{index}.txt")
        half.write_text("".join(part))
        halves.append(half)
    per_instance = CLIENTS // len(ports)
    with ThreadPoolExecutor(len(ports)) as pool:
        futures = [
            pool.submit(run_wrk, port, half, per_instance, seconds)
            for port, half in zip(ports, halves, strict=True)
        ]
        runs = [future.result() for future in futures]
    requests = sum(run["requests"] for run in runs)
    seconds_taken = max(run["duration_us"] for run in runs) / 1_000_000
    return {
        "rps_16": round(requests / seconds_taken, 1),
        # Each instance's percentiles; the slower instance's is reported (never flattered).
        "p50_ms_16": round(max(run["p50_us"] for run in runs) / 1000, 1),
        "p95_ms_16": round(max(run["p95_us"] for run in runs) / 1000, 1),
        "errors": sum(run["errors"] for run in runs),
        "requests": requests,
    }


def flush_cache(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk (the Makefile does this).")
    employees = int(os.environ.get("BENCH_EMPLOYEES", "10000"))
    seconds = int(os.environ.get("BENCH_SECONDS", "8"))
    workers = int(os.environ.get("BENCH_WORKERS", "2"))
    learners = int(os.environ.get("BENCH_LEARNERS", "3000"))
    ports = [int(p) for p in os.environ.get("BENCH_PORTS", "8765,8766").split(",")]
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/allyship_bench"
    )
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    env = production_env(database_url, REDIS_URL=redis_url)
    if database_url.startswith("postgres"):
        create_database(database_url)
    flush_cache(redis_url)
    print(f"Preparing {employees} employees on {database_url.split('@')[-1]} ...")
    prepare(env, employees)
    only = [p for p in os.environ.get("BENCH_PAGES", "").split(",") if p]
    with tempfile.TemporaryDirectory() as workdir:
        files, facts = request_files(Path(workdir), learners)
        print("Traffic:", ", ".join(f"{k} {v}" for k, v in facts.items()))
        servers = [start_gunicorn(env, port, workers) for port in ports]
        results: dict[str, dict] = {}
        try:
            for page, path in files.items():
                if only and page not in only and page != "floor":
                    continue
                run_both(ports, path, 2)  # warm up connections and caches
                results[page] = run_both(ports, path, seconds)
                print(
                    f"  {page}: {results[page]['rps_16']} rps, p95 {results[page]['p95_ms_16']} ms"
                )
        finally:
            for server in servers:
                stop(server)
    floor = results["floor"]["rps_16"] or 1
    for values in results.values():
        values["ratio_to_floor"] = round(values["rps_16"] / floor, 3)
    if "csv_export" in results:
        # Every export streams one row per person in the organisation.
        results["csv_export"]["rows_per_s"] = round(
            results["csv_export"]["rps_16"] * facts["employees"]
        )
    report = {
        "settings": {
            "employees": facts["employees"],
            "learners": facts["learners"],
            "managers": facts["managers"],
            "seconds_per_run": seconds,
            "clients": CLIENTS,
            "instances": len(ports),
            "gunicorn_workers_per_instance": workers,
            "database": database_url.split("://")[0],
            "cache": "redis",
        },
        "pages": results,
    }
    (ROOT / "bench.json").write_text(json.dumps(report, indent=2) + "\n")
    print_table(results)


def create_database(url: str) -> None:
    """Create the benchmark's own database when missing (it is reused between runs)."""
    import psycopg

    name = url.rsplit("/", 1)[-1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def verdict(page: str, values: dict) -> str:
    checks = []
    if page in LEARNER_PAGES:
        checks.append(values["ratio_to_floor"] >= LEARNER_RATIO)
        checks.append(values["p95_ms_16"] < LEARNER_P95_MS)
    if page in TARGET_P95_MS:
        checks.append(values["p95_ms_16"] < TARGET_P95_MS[page])
    if page == "csv_export":
        checks.append(values["rows_per_s"] >= CSV_ROWS_PER_S)
    checks.append(values["errors"] == 0)
    return "meets" if all(checks) else "MISSES"


def print_table(results: dict[str, dict]) -> None:
    columns = ("rps@16", "p50 ms", "p95 ms", "errors", "vs floor", "target")
    header = f"{'traffic':<18}" + "".join(f"{column:>10}" for column in columns)
    print(header)
    print("-" * len(header))
    for page, values in results.items():
        print(
            f"{page:<18}{values['rps_16']:>10}{values['p50_ms_16']:>10}{values['p95_ms_16']:>10}"
            f"{values['errors']:>10}{values['ratio_to_floor']:>10}"
            f"{'' if page == 'floor' else verdict(page, values):>10}"
        )
    if "csv_export" in results:
        rows = results["csv_export"]["rows_per_s"]
        print(f"csv_export streams {rows} rows/s at 16 clients (target >= {CSV_ROWS_PER_S}).")
    print()
    print(
        f"Targets: learner traffic >= {LEARNER_RATIO:.0%} of the floor and p95 < "
        f"{LEARNER_P95_MS} ms; "
        + ", ".join(f"{k} p95 < {v} ms" for k, v in TARGET_P95_MS.items())
        + "; zero errors. Wrote bench.json"
    )


if __name__ == "__main__":
    main()
