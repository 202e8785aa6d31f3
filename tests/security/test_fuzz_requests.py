"""Property-based fuzzing of every URL and form (issue 12): huge integers, NUL bytes, CR/LF,
over-long strings and any unicode, in paths, query strings and form fields. No answer is
ever a 5xx; a NUL anywhere is a clear 400, an id past 64 bits a 404, and a form refused
for its input says what was wrong.

Runs on whichever database DATABASE_URL names: run it on SQLite and on PostgreSQL.
"""

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allyship.middleware import NUL_MESSAGE
from tests.allyship.test_role_matrix import MATRIX, _objects

FUZZ = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

huge_ints = st.one_of(
    st.integers(min_value=2**63, max_value=10**40),
    st.integers(min_value=-(10**40), max_value=-(2**63)),
    st.just(2**63),
).map(str)
with_nul = st.tuples(st.text(max_size=8), st.text(max_size=8)).map(lambda p: f"{p[0]}\x00{p[1]}")
with_line_break = st.tuples(st.text(max_size=8), st.sampled_from(["\r\n", "\n", "\r"])).map(
    lambda p: f"{p[0]}{p[1]}Bcc: x@test.example"
)
over_long = st.integers(min_value=256, max_value=20_000).map(lambda n: "é" * n)
any_unicode = st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)
VALUES = st.one_of(huge_ints, with_nul, with_line_break, over_long, any_unicode)

# Query parameters any page might read, and the fields of forms that only POST.
QUERY_NAMES = ["page", "q", "sort", "department", "course", "manager", "scenario", "overdue"]
QUERY_NAMES += ["action", "next", "kind"]
POST_FIELDS = {
    "quizzes:attempt-choose": ["step", "response"],
    "manager:nudge": ["course", "next"],
    "hr:assignment-due-date": ["due_on"],
    "recognition:toast-dismiss": ["award", "level", "all", "next"],
    "learning:lesson-complete": ["next"],
}
ANONYMOUS = {"login", "password_reset", "password_reset_confirm"}
ANONYMOUS |= {"password_reset_done", "password_reset_complete"}
FIELD_NAME = re.compile(r'name="([^"]+)"')


def _routes(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern)


ROUTES = {name: route for name, route in _routes() if not name.startswith("admin:")}
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _role_for(name: str, row) -> str:
    if name in ANONYMOUS:
        return "anon"
    # Pages no signed-in role opens (SCIM takes a bearer token; sign-in with a provider is
    # for anyone) are fuzzed signed out.
    return next((r for r in ("employee", "manager", "hr") if row.status_for(r) < 400), "anon")


def _path(route: str, kwargs: dict, replace: tuple[str, str] | None = None) -> str:
    def value(match):
        name = match.group(2)
        if replace and replace[0] == name:
            return quote(replace[1], safe="")
        return quote(str(kwargs[name]), safe="")

    return "/" + PARAM.sub(value, route)


def _has_nul(*values) -> bool:
    return any("\x00" in value for value in values)


@pytest.fixture
def people(hr, manager, employee):
    return {"anon": None, "employee": employee, "manager": manager, "hr": hr}


def test_every_url_is_fuzzed():
    assert sorted(ROUTES) == sorted(MATRIX)
    assert len(ROUTES) >= 40


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
@FUZZ
@given(
    where=st.sampled_from(["query", "form", "path"]),
    picks=st.lists(st.tuples(st.integers(0, 50), VALUES), min_size=1, max_size=3),
)
def test_no_url_answers_any_value_with_a_5xx(people, name, where, picks):
    row = MATRIX[name]
    if "_objects" not in people:  # built once per URL; the examples share them
        people["_objects"] = _objects(people)
    objects = people["_objects"]
    role = _role_for(name, row)
    client = Client()
    if people[role] is not None:
        client.force_login(people[role])
    kwargs = row.url_kwargs(objects)
    route = ROUTES[name]
    params = PARAM.findall(route)
    data = row.form_data(objects)
    fuzzed: list[str] = []
    converter = None
    if where == "path" and not params:
        where = "query"
    if where == "path" and params:
        converter, param = params[picks[0][0] % len(params)]
        fuzzed.append(picks[0][1])
        path = _path(route, kwargs, (param, picks[0][1]))
    else:
        path = _path(route, kwargs)
        if where == "form":
            names = POST_FIELDS.get(name, [])
            if row.method == "get":
                page = client.get(path)
                html = "" if page.streaming else page.content.decode(errors="replace")
                names = [n for n in FIELD_NAME.findall(html) if n != "csrfmiddlewaretoken"]
            names = names or list(data) or ["text"]
        else:
            names = QUERY_NAMES
        sent = {names[index % len(names)]: value for index, value in picks}
        data.update(sent)
        fuzzed.extend(sent.values())
    method = "post" if where == "form" or row.method == "post" else "get"
    if method == "get":
        response = client.get(path, data if where == "query" else {})
    else:
        response = client.post(path, data)

    assert response.status_code < 500, (name, path, data)
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode(errors="replace")
    if _has_nul(*fuzzed):
        assert response.status_code == 400, (name, path, data)
        assert NUL_MESSAGE in body
    elif converter == "id" and where == "path":
        value = picks[0][1]
        if not (value.isascii() and value.isdigit() and 1 <= int(value) < 2**63):
            assert response.status_code == 404, (name, path)
    elif method == "post" and response.status_code == 400:
        # Says what was wrong: a form error, or why the form is not open yet.
        assert 'class="error' in body or 'class="message" role="status"' in body, (name, data)


# The people CSV: any cell with these values is a listed error or a clean import ---------

cells = st.one_of(VALUES, st.just(""), st.just("yes"), st.just("hr"))


@pytest.mark.django_db
@FUZZ
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(["email", "name", "department", "manager_email"]), cells),
        min_size=1,
        max_size=4,
    ),
    padding=st.integers(0, 300),
)
def test_any_value_in_any_cell_of_a_people_csv_is_reported_or_imported(hr, rows, padding):
    from allyship.models import User
    from allyship.people.csv_file import ImportRejected
    from allyship.people.importer import people_import_apply, people_import_preview
    from tests.hr.factories import HEADER, csv_bytes

    # Padding rows push the fuzzed ones past the first 8 KB of the file now and then.
    table = [[f"pad{n}@test.example", f"Padding {n}", "", "", "", "yes"] for n in range(padding)]
    for index, (column, value) in enumerate(rows):
        row = [f"fuzz{index}@test.example", f"Fuzz {index}", "", "", "", "yes"]
        row[HEADER.index(column)] = value
        table.append(row)
    data = csv_bytes(table)
    before = User.objects.count()
    try:
        batch = people_import_preview(data=data, file_name="fuzz.csv", acting_user=hr)
    except ImportRejected as rejected:
        assert rejected.errors, "a rejected file lists its problems"
        for error in rejected.errors:
            assert error.message.strip() and error.row >= 0
        assert User.objects.count() == before
        assert not any("\x00" in value for _, value in rows) or any(
            "NUL" in error.message or "not a text file" in error.message
            for error in rejected.errors
        )
        return
    assert not any("\x00" in value or "\r" in value or "\n" in value for _, value in rows)
    people_import_apply(batch=batch, acting_user=hr)
    for person in User.objects.filter(email__startswith="fuzz"):
        assert len(person.email) <= 254 and len(person.full_name) <= 150
        assert "\n" not in person.full_name and "\r" not in person.full_name
