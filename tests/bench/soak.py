"""`make soak`: two gunicorn instances on one PostgreSQL database, 32 simulated people of
all three roles walking their real journeys for 5 minutes, one instance restarted midway.

Afterwards it checks: no 5xx (connection failures to the restarting instance are
expected and counted apart), no lost or duplicated progress, every person's XP equal
to the sum of their ledger, every badge awarded at most once, and every learner's home,
fetched from each instance at the end, showing the XP the database holds. Both instances
share one Redis cache and the sessions kept through it, as production servers do.
Exits 1 on any failure.
Only loopback is ever a target.

Settings (environment): SOAK_DATABASE_URL (a fresh database is created;
default postgres://postgres@127.0.0.1:5432/allyship_soak), SOAK_SECONDS (300),
SOAK_USERS (32), SOAK_PORTS ("8771,8772"), SOAK_REDIS_URL (redis://127.0.0.1:6379/13,
flushed at the start).
"""

import http.cookiejar
import os
import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

from tests.bench.common import django_setup, manage, production_env, start_gunicorn, stop

PASSWORD = "allyship-demo"
STEP = re.compile(r'name="step" value="(\d+)"')
RESPONSE = re.compile(r'name="response"[^>]*value="(\d+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LESSON_FORM = re.compile(r'action="(/modules/[a-z0-9-]+/[a-z0-9-]+/complete/)"')
HOME_XP = re.compile(r"<dt>XP</dt><dd>(\d+)</dd>")


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter = field(default_factory=Counter)
    server_errors: list = field(default_factory=list)
    restart_failures: int = 0
    other_failures: list = field(default_factory=list)
    completed: dict = field(default_factory=dict)  # email -> set of lesson paths acknowledged
    home_xp: list = field(default_factory=list)  # (email, port, XP shown on the home page)

    def record(self, status: int, url: str) -> None:
        with self.lock:
            self.statuses[status] += 1
            if status >= 500:
                self.server_errors.append(f"{status} {url}")


class Person:
    """One simulated person with a cookie jar, spreading requests over both instances."""

    def __init__(self, email: str, ports: list[int], tally: Tally, restarting: threading.Event):
        self.email = email
        self.ports = ports
        self.tally = tally
        self.restarting = restarting
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        self.turn = random.randrange(len(ports))

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        for _ in range(len(self.ports) + 1):
            port = self.ports[self.turn % len(self.ports)]
            self.turn += 1
            url = f"http://127.0.0.1:{port}{path}"
            body = urllib.parse.urlencode(data).encode() if data is not None else None
            request = urllib.request.Request(url, data=body)
            if data is not None:
                request.add_header("Referer", f"http://127.0.0.1:{port}/")
            try:
                with self.opener.open(request, timeout=30) as reply:
                    text = reply.read().decode("utf-8", "replace")
                    self.tally.record(reply.status, path)
                    return reply.status, text
            except urllib.error.HTTPError as error:
                self.tally.record(error.code, path)
                return error.code, error.read().decode("utf-8", "replace")
            except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                with self.tally.lock:
                    if self.restarting.is_set() or port == self.ports[-1]:
                        self.tally.restart_failures += 1
                    else:
                        self.tally.other_failures.append(f"{path}: {error}")
                continue  # the other instance takes the request, as a load balancer would
        return 0, ""

    def sign_in(self) -> bool:
        status, page = self.request("/accounts/login/")
        token = CSRF.search(page)
        if not token:
            return False
        status, _ = self.request(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token.group(1), "username": self.email, "password": PASSWORD},
        )
        return status == 302

    def post_form(self, page: str, action: str, fields: dict) -> int:
        token = CSRF.search(page)
        if not token:
            return 0
        status, _ = self.request(action, {"csrfmiddlewaretoken": token.group(1), **fields})
        return status


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp

    http_error_301 = http_error_303 = http_error_307 = http_error_302


def learner_journey(person: Person, modules: list[str], deadline: float) -> None:
    acknowledged = person.tally.completed.setdefault(person.email, set())
    while time.monotonic() < deadline:
        person.request("/")
        person.request("/learn/")
        module = random.choice(modules)
        status, page = person.request(f"/modules/{module}/")
        lessons = re.findall(rf'href="(/modules/{module}/[a-z0-9-]+/)"', page)
        for lesson in lessons[:3]:
            if time.monotonic() >= deadline:
                return
            status, page = person.request(lesson)
            action = LESSON_FORM.search(page)
            posted = status == 200 and action and person.post_form(page, action.group(1), {})
            if posted in (200, 302):
                acknowledged.add(action.group(1))
        status, page = person.request("/scenarios/interrupted-in-meetings/")
        start = re.search(r'action="(/scenarios/interrupted-in-meetings/attempts/)"', page)
        if not start:
            continue
        person.post_form(page, start.group(1), {})
        status, page = person.request("/scenarios/interrupted-in-meetings/")
        attempt = re.search(r'href="(/attempts/\d+/)"', page)
        if not attempt:
            continue
        for _ in range(8):
            status, page = person.request(attempt.group(1))
            step, responses = STEP.search(page), RESPONSE.findall(page)
            if not step or not responses:
                break
            person.post_form(
                page,
                attempt.group(1) + "choose/",
                {"step": step.group(1), "response": random.choice(responses)},
            )


def manager_journey(person: Person, deadline: float) -> None:
    while time.monotonic() < deadline:
        person.request("/manager/")
        person.request("/manager/?scope=all")
        person.request("/")


def hr_journey(person: Person, deadline: float) -> None:
    while time.monotonic() < deadline:
        person.request("/hr/")
        person.request("/hr/employees.csv")
        person.request("/hr/people/?q=a")


def fresh_database(url: str) -> None:
    import psycopg

    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def read_homes(people: list["Person"], ports: list[int], tally: Tally) -> None:
    """After the journeys: every learner's home from every instance, as each has it cached."""
    for person in people:
        for index, port in enumerate(ports):
            person.turn = index
            status, page = person.request("/")
            shown = HOME_XP.search(page) if status == 200 else None
            tally.home_xp.append((person.email, port, int(shown.group(1)) if shown else None))


def verify(tally: Tally) -> list[str]:
    from django.db.models import Count, F, Sum

    from learning.models import BadgeAward, LearnerStats, LessonCompletion, ModuleProgress, XpEvent

    problems = []
    for email, paths in tally.completed.items():
        stored = {
            f"/modules/{module}/{lesson}/complete/"
            for module, lesson in LessonCompletion.objects.filter(user__email=email).values_list(
                "lesson__module__slug", "lesson__slug"
            )
        }
        lost = paths - stored
        if lost:
            problems.append(f"{email}: acknowledged but not stored: {sorted(lost)}")
    doubles = (
        XpEvent.objects.values("user", "source").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    if doubles:
        problems.append(f"{doubles} XP sources paid more than once")
    ledger = dict(XpEvent.objects.values_list("user").annotate(total=Sum("amount")))
    for user_id, total in LearnerStats.objects.values_list("user_id", "xp_total"):
        if ledger.get(user_id, 0) != total:
            problems.append(f"user {user_id}: stored XP {total} != ledger {ledger.get(user_id, 0)}")
    badge_doubles = (
        BadgeAward.objects.values("user", "badge").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    if badge_doubles:
        problems.append(f"{badge_doubles} badges awarded more than once")
    stats = dict(LearnerStats.objects.values_list("user__email", "xp_total"))
    for email, port, shown in tally.home_xp:
        stored = stats.get(email, 0)
        if shown != stored:
            problems.append(f"{email}: home on port {port} shows XP {shown}, stored {stored}")
    for progress in ModuleProgress.objects.filter(lessons_completed__gt=F("module__lesson_count")):
        problems.append(f"module progress over 100%: {progress}")
    return problems


def run_people(env, ports, servers, users, seconds, modules, tally) -> list[Person]:
    """Walk the simulated people through their journeys; restart the last instance midway.
    Returns the learners, still signed in."""
    restarting = threading.Event()
    deadline = time.monotonic() + seconds
    threads = []
    signed_in_learners = []
    learners = max(users - 8, 1)
    for index in range(users):
        if index < learners:
            person = Person(f"person{index + 1:05d}@example.com", ports, tally, restarting)
            target, args = learner_journey, (modules, deadline)
            signed_in_learners.append(person)
        elif index < users - 3:
            person = Person("manager@example.com", ports, tally, restarting)
            target, args = manager_journey, (deadline,)
        else:
            person = Person("hr@example.com", ports, tally, restarting)
            target, args = hr_journey, (deadline,)
        if not person.sign_in():
            raise SystemExit(f"{person.email} could not sign in")
        thread = threading.Thread(target=target, args=(person, *args), daemon=True)
        thread.start()
        threads.append(thread)
    time.sleep(seconds / 2)
    print(f"Restarting the instance on port {ports[-1]} ...")
    restarting.set()
    stop(servers[ports[-1]])
    servers[ports[-1]] = start_gunicorn(env, ports[-1], workers=2)
    restarting.clear()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return signed_in_learners


def flush_cache(redis_url: str) -> None:
    """Start from an empty shared cache (its own database number: nobody else's keys)."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def main() -> None:
    seconds = int(os.environ.get("SOAK_SECONDS", "300"))
    users = int(os.environ.get("SOAK_USERS", "32"))
    ports = [int(p) for p in os.environ.get("SOAK_PORTS", "8771,8772").split(",")]
    url = os.environ.get("SOAK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/allyship_soak")
    if not url.startswith("postgres"):
        raise SystemExit("The soak needs PostgreSQL: set SOAK_DATABASE_URL=postgres://...")
    redis_url = os.environ.get("SOAK_REDIS_URL", "redis://127.0.0.1:6379/13")
    env = production_env(url, CONN_MAX_AGE="0", REDIS_URL=redis_url)
    fresh_database(url)
    flush_cache(redis_url)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_curriculum")
    manage(env, "seed_demo", "--employees", "200", "--force")
    manage(env, "collectstatic", "--noinput", "-v0")
    django_setup(env)
    from learning.models import Module

    modules = list(Module.objects.filter(retired=False).values_list("slug", flat=True))
    servers = {port: start_gunicorn(env, port, workers=2) for port in ports}
    tally = Tally()
    try:
        learners = run_people(env, ports, servers, users, seconds, modules, tally)
        read_homes(learners, ports, tally)
    finally:
        for server in servers.values():
            stop(server)
    problems = verify(tally)
    problems += [f"5xx: {error}" for error in tally.server_errors]
    problems += [f"connection failure outside the restart: {f}" for f in tally.other_failures]
    total = sum(tally.statuses.values())
    print(f"{total} responses in {seconds} s from {users} simulated people: {dict(tally.statuses)}")
    print(f"Connections refused during the restart (expected): {tally.restart_failures}")
    print(f"Lessons acknowledged: {sum(len(p) for p in tally.completed.values())}")
    print(f"Home pages checked against the stored XP: {len(tally.home_xp)}")
    if problems:
        print("SOAK FAILED:")
        for problem in problems[:50]:
            print(f"- {problem}")
        raise SystemExit(1)
    print(
        "Soak passed: no 5xx, no lost or duplicated progress, XP equals the ledger, "
        "badges at most once, every home page shows the stored XP."
    )


if __name__ == "__main__":
    main()
