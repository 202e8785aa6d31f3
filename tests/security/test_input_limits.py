"""Input that once gave a 500 (issue 12, finding 3 and 5): each now gets a clear answer."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from allyship.converters import MAX_ID, IdConverter
from allyship.middleware import NUL_MESSAGE
from quizzes import services as quiz_services
from tests.factories import UserFactory, scenario_from_file

HUGE = "9" * 25  # beyond 64 bits
ONE_PAST = str(MAX_ID + 1)


def _routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def test_every_id_in_our_urls_uses_the_bounded_converter():
    converters = {}
    for route, entry in _routes():
        if route.startswith("admin/"):
            continue
        for name, converter in getattr(entry.pattern, "converters", {}).items():
            converters[(route, name)] = type(converter).__name__
    ints = sorted(key for key, kind in converters.items() if kind == "IntConverter")
    assert ints == [], f"These URLs take an unbounded <int:...>: {ints}"
    assert sum(kind == "IdConverter" for kind in converters.values()) >= 10


def test_the_id_converter_refuses_zero_and_anything_past_64_bits():
    converter = IdConverter()
    assert converter.to_python("9223372036854775807") == 9223372036854775807
    for value in ("0", ONE_PAST, "9999999999999999999"):
        with pytest.raises(ValueError):
            converter.to_python(value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        f"/attempts/{HUGE}/",
        f"/attempts/{ONE_PAST}/choose/",
        f"/reflections/{ONE_PAST}/delete/",
        f"/reflections/{HUGE}/",
        f"/commitments/{ONE_PAST}/check-in/",
        f"/hr/import/{ONE_PAST}/",
        f"/hr/assignments/{ONE_PAST}/",
        f"/manager/people/{ONE_PAST}/nudge/",
    ],
)
def test_an_id_beyond_64_bits_is_a_404(client, hr, path):
    client.force_login(hr)
    method = client.post if path.endswith(("choose/", "delete/", "nudge/")) else client.get
    assert method(path).status_code == 404


@pytest.mark.django_db
def test_step_and_response_beyond_64_bits_are_a_clear_form_error(client, employee):
    attempt = quiz_services.attempt_start(scenario=scenario_from_file(), acting_user=employee)
    client.force_login(employee)
    url = reverse("quizzes:attempt-choose", args=[attempt.pk])
    response = client.post(url, {"step": ONE_PAST, "response": HUGE})
    assert response.status_code == 400
    assert "This step is not part of the scenario: reload the page." in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.choices_made == 0


@pytest.mark.django_db
def test_a_toast_award_beyond_64_bits_is_ignored(client, employee):
    client.force_login(employee)
    response = client.post(reverse("recognition:toast-dismiss"), {"award": [HUGE, "9" * 5000]})
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["manager:team", "hr:people"])
@pytest.mark.parametrize("sort", ["name", "completion"])
def test_a_page_past_the_end_is_the_last_page(client, hr, manager, employee, url_name, sort):
    UserFactory.create_batch(55, manager=manager)
    viewer = hr if url_name == "hr:people" else manager
    client.force_login(viewer)
    response = client.get(reverse(url_name), {"page": "200000000000000000", "sort": sort})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.number == page.paginator.num_pages
    assert page.number >= 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/verify/AB\x00CD/", {}),
        ("/hr/audit/", {"q": "a\x00b"}),
        ("/hr/people/", {"q\x00": "x"}),
        ("/learn/", {"page": "\x00"}),
    ],
)
def test_a_nul_byte_in_a_path_or_query_is_a_clear_400(client, hr, path, query):
    client.force_login(hr)
    response = client.get(path, query)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


@pytest.mark.django_db
def test_a_nul_byte_needs_no_sign_in_to_be_refused(client):
    response = client.get("/verify/%00/")
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


@pytest.mark.django_db
def test_a_nul_byte_in_a_form_field_is_refused_and_changes_nothing(client, employee):
    from learning.models import Reflection
    from tests.learning.builders import build_module

    prompt = build_module().prompts.first()
    client.force_login(employee)
    response = client.post(reverse("learning:reflection-edit", args=[prompt.pk]), {"text": "a\x00"})
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert not Reflection.objects.exists()
