import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client, email, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def test_sign_in_by_email_lands_on_home(client, employee):
    response = _sign_in(client, "Employee@Test.Example", PASSWORD)
    assert response.status_code == 302 and response.url == "/"


def test_wrong_password_says_so_and_keeps_you_out(client, employee):
    response = _sign_in(client, employee.email, "wrong")
    assert response.status_code == 200
    assert "correct email address and password" in response.text
    assert client.get("/").status_code == 302


def test_repeated_failures_lock_the_account_from_that_address(client, employee, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, employee.email, "wrong")
    locked = _sign_in(client, employee.email, PASSWORD)
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.text
    assert client.get("/").status_code == 302
    # Another address can still sign in to the same account: the lock is per account and address.
    assert _sign_in(client, employee.email, PASSWORD, address="10.0.0.2").status_code == 302


def test_sign_out_needs_post_and_ends_the_session(client, employee):
    client.force_login(employee)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302


def test_session_key_changes_at_sign_in(client, employee):
    client.get(reverse("login"))
    before = client.session.session_key
    _sign_in(client, employee.email, PASSWORD)
    assert client.session.session_key != before


def test_password_reset_sends_a_link_by_email(client, employee, immediate_tasks):
    client.post(reverse("password_reset"), {"email": employee.email})
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_password_reset_for_unknown_email_sends_nothing_but_says_the_same(
    client, db, immediate_tasks
):
    response = client.post(reverse("password_reset"), {"email": "nobody@test.example"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_password_change(client, employee):
    client.force_login(employee)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-pass-42",
            "new_password2": "a-new-long-pass-42",
        },
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.check_password("a-new-long-pass-42")


def test_imported_people_without_a_password_can_set_one_by_reset(client, db, immediate_tasks):
    from allyship.models import User

    newcomer = User.objects.create_user("newcomer@test.example", None, full_name="New Comer")
    assert not newcomer.has_usable_password()
    client.post(reverse("password_reset"), {"email": "newcomer@test.example"})
    assert len(mail.outbox) == 1


def test_inactive_people_get_no_reset_email(client, employee, immediate_tasks):
    employee.is_active = False
    employee.save()
    client.post(reverse("password_reset"), {"email": employee.email})
    assert mail.outbox == []


# Password reset: throttled, sent from a task, links from SITE_URL (issue 12, finding 6) ---


def test_the_reset_link_comes_from_site_url_never_the_host_header(
    client, employee, settings, immediate_tasks
):
    settings.SITE_URL = "https://allyship.test.example"
    settings.ALLOWED_HOSTS = ["localhost", "allyship.test.example"]
    client.post(
        reverse("password_reset"), {"email": employee.email}, headers={"host": "localhost:6666"}
    )
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "https://allyship.test.example/accounts/reset/" in body
    assert "6666" not in body and "localhost" not in body


def test_thirty_resets_for_one_address_send_three_emails(client, employee, immediate_tasks):
    statuses = [
        client.post(reverse("password_reset"), {"email": employee.email}).status_code
        for _ in range(30)
    ]
    assert statuses == [302] * 3 + [429] * 27
    assert len(mail.outbox) == 3


def test_the_throttle_says_the_same_for_an_unknown_email(client, db, immediate_tasks):
    for _ in range(3):
        client.post(reverse("password_reset"), {"email": "nobody@test.example"})
    response = client.post(reverse("password_reset"), {"email": "nobody@test.example"})
    assert response.status_code == 429
    assert "Too many password reset emails have been asked for" in response.content.decode()


def test_many_emails_from_one_network_address_are_throttled_too(client, db, immediate_tasks):
    statuses = [
        client.post(reverse("password_reset"), {"email": f"p{n}@test.example"}).status_code
        for n in range(12)
    ]
    assert statuses == [302] * 10 + [429] * 2


def test_the_reset_page_does_the_same_work_whether_or_not_the_account_exists(client, employee):
    """No email is sent in the request: both answers queue one task and redirect, with the
    same queries, so their timing cannot tell an existing account from an unknown one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tasks_db.models import DBTaskResult

    def queries_for(email: str) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.post(reverse("password_reset"), {"email": email})
        assert response.status_code == 302
        return [query["sql"].replace(email, "EMAIL") for query in captured.captured_queries]

    known = queries_for(employee.email)
    unknown = queries_for("nobody@test.example")
    assert len(known) == len(unknown)
    assert [sql.split(" ")[0] for sql in known] == [sql.split(" ")[0] for sql in unknown]
    assert not any("allyship_user" in sql for sql in known + unknown)
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 2
