import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import DepartmentFactory, UserFactory
from tests.hr.factories import refresh_figures

pytestmark = pytest.mark.django_db


def test_database_is_the_one_database_url_asked_for():
    import os

    wanted = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == wanted


def test_cache_is_the_one_redis_url_asked_for_and_shared():
    """With REDIS_URL the cache is Redis (shared by every server), else the process's own."""
    import os

    from django.core.cache import cache, caches

    backend = type(caches["default"]).__name__
    assert backend == ("RedisCache" if os.environ.get("REDIS_URL") else "LocMemCache")
    cache.set("shared-check", "yes", 5)
    assert cache.get("shared-check") == "yes"


def test_sessions_are_kept_in_the_database_and_read_through_the_cache(client, settings):
    from django.contrib.sessions.models import Session

    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    client.force_login(UserFactory())
    assert Session.objects.count() == 1
    assert client.get("/").status_code == 200


def test_healthz_answers_ok_without_sign_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    from django.db import DatabaseError

    def broken(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_anonymous_home_redirects_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_home_shows_who_you_are_and_your_manager(client, employee):
    client.force_login(employee)
    response = client.get("/")
    assert employee.full_name in response.text
    assert employee.manager.full_name in response.text


def test_manager_sees_direct_reports_by_default_and_all_on_toggle(client, manager, employee):
    grandchild = UserFactory(manager=employee, full_name="Gina Grandchild")
    client.force_login(manager)
    direct = client.get(reverse("manager:team"))
    assert employee.full_name in direct.text and grandchild.full_name not in direct.text
    everyone = client.get(reverse("manager:team") + "?scope=all")
    assert employee.full_name in everyone.text and grandchild.full_name in everyone.text


def test_manager_page_never_lists_people_outside_the_team(client, manager, employee, outsider):
    client.force_login(manager)
    response = client.get(reverse("manager:team") + "?scope=all")
    assert outsider.full_name not in response.text
    assert manager.manager.full_name not in response.text


def test_employee_gets_friendly_403_on_hr(client, employee):
    client.force_login(employee)
    response = client.get(reverse("hr:people"))
    assert response.status_code == 403
    assert "not available to you" in response.text


def test_hr_searches_the_organisation(client, hr):
    sales = DepartmentFactory(name="Sales")
    UserFactory(full_name="Zed Zimmer", department=sales)
    UserFactory(full_name="Amy Adams")
    client.force_login(hr)
    response = client.get(reverse("hr:people"), {"q": "zimm"})
    assert "Zed Zimmer" in response.text and "Amy Adams" not in response.text
    response = client.get(reverse("hr:people"), {"department": sales.pk})
    assert "Zed Zimmer" in response.text and "Amy Adams" not in response.text
    response = client.get(reverse("hr:people"), {"department": "nonsense", "page": "x"})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [5, 60])
def test_hr_people_query_count_is_constant(client, hr, django_assert_max_num_queries, size):
    UserFactory.create_batch(size, manager=hr)
    client.force_login(hr)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("hr:people")).status_code == 200


@pytest.mark.parametrize("size", [5, 60])
def test_manager_team_query_count_is_constant(client, manager, django_assert_max_num_queries, size):
    UserFactory.create_batch(size, manager=manager)
    client.force_login(manager)
    client.get(reverse("manager:team") + "?scope=all")  # asks for the team's figures
    refresh_figures()
    # The page as in tests/manager, with the stored team figures and the names they cite.
    with django_assert_max_num_queries(11):
        assert client.get(reverse("manager:team") + "?scope=all").status_code == 200


def test_unknown_page_is_a_friendly_404_without_traceback(client, settings, employee):
    settings.DEBUG = False
    client.force_login(employee)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Traceback" not in response.text


def test_server_error_page_is_friendly(client, settings, employee):
    from django.test import RequestFactory

    from allyship.views import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"Traceback" not in response.content


def test_pages_carry_a_strict_csp_without_inline_code(client, employee):
    client.force_login(employee)
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "nonce" not in policy
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<style" not in response.text
    assert ' style="' not in response.text
