"""Every page a role can open passes axe-core (WCAG 2.2 AA) at desktop and phone widths.

The pages come from the role matrix, so a new URL is audited as soon as it has a row.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.allyship.test_role_matrix import MATRIX, _objects
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"desktop": (1280, 900), "phone": (375, 740)}
# Each role is audited on the pages that are its own; shared pages are audited as the employee.
ROLE_NAMESPACES = {
    "employee": ("learning", "quizzes", "recognition", ""),
    "manager": ("manager",),
    "hr": ("hr",),
}


def _pages_for(role: str, objects: dict, client: Client) -> list[str]:
    pages = []
    for name, row in sorted(MATRIX.items()):
        namespace = name.split(":")[0] if ":" in name else ""
        if row.method != "get" or row.status_for(role) != 200:
            continue
        if namespace not in ROLE_NAMESPACES[role]:
            continue
        url = reverse(name, kwargs=row.url_kwargs(objects))
        response = client.get(url)
        # Whole pages only: htmx fragments are audited inside the pages that show them.
        is_page = response["Content-Type"].startswith("text/html") and b"<html" in response.content
        if (
            response.status_code == 200
            and is_page
            and "attachment" not in response.get("Content-Disposition", "")
        ):
            pages.append(url)
    return pages


def _signed_in_context(browser, live_server, user, width):
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width[0], "height": width[1]}
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context, client


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_every_page_of_every_role_is_accessible(browser, live_server, hr, manager, employee, width):
    people = {"anon": None, "employee": employee, "manager": manager, "hr": hr}
    objects = _objects(people)
    audited = []
    for role in ("employee", "manager", "hr"):
        context, client = _signed_in_context(browser, live_server, people[role], WIDTHS[width])
        page = context.new_page()
        for url in _pages_for(role, objects, client):
            page.goto(url)
            assert_accessible(page, f"{url} as {role} ({width})")
            audited.append(url)
        context.close()
    # Error pages and the public pages.
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": WIDTHS[width][0], "height": WIDTHS[width][1]}
    )
    page = context.new_page()
    for url in ("/accounts/login/", "/accounts/password_reset/", "/no-such-page/"):
        page.goto(url)
        assert_accessible(page, f"{url} signed out ({width})")
    context.close()
    context, _ = _signed_in_context(browser, live_server, employee, WIDTHS[width])
    page = context.new_page()
    page.goto("/hr/")
    assert "not available to you" in page.content()
    assert_accessible(page, f"403 page ({width})")
    context.close()
    assert len(audited) >= 20, audited


def test_pages_reflow_at_200_percent_zoom_without_sideways_scrolling(
    browser, live_server, employee
):
    # 200% zoom of a 1280 px window is a 640 CSS px viewport at twice the pixel density.
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 640, "height": 450}, device_scale_factor=2
    )
    client = Client()
    client.force_login(employee)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    for url in ("/", "/learn/", "/commitments/", "/reflections/", "/scenarios/", "/badges/"):
        page.goto(url)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{url} scrolls sideways by {overflow}px at 200% zoom"
    context.close()


def test_reduced_motion_turns_animation_off(browser, live_server):
    context = browser.new_context(base_url=live_server.url, reduced_motion="reduce")
    page = context.new_page()
    page.goto("/accounts/login/")
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<div class=\"toast\" id=\"probe\"></div>')"
    )
    duration = page.evaluate("getComputedStyle(document.getElementById('probe')).animationDuration")
    assert float(duration.rstrip("s")) < 0.001
    context.close()
