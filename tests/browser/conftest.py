"""Real Chromium through Playwright, with axe-core on every page a journey visits."""

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed, and in CI browser tests must run.")
        pytest.skip("Chromium is not installed (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def assert_accessible(page, label: str = "") -> None:
    """Run axe-core with the WCAG 2.2 AA rules and fail on any violation, explaining each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = results.response.get("violations", [])
    if violations:
        lines = [f"axe-core found {len(violations)} violation(s) on {label or page.url}:"]
        for violation in violations:
            targets = [node.get("target") for node in violation.get("nodes", [])][:5]
            lines.append(
                f"- {violation['id']} ({violation.get('impact')}): {violation['help']} -> {targets}"
            )
        pytest.fail("\n".join(lines))


def sign_in_with_keyboard(page, email: str, password: str) -> None:
    """Sign in using only the keyboard: Tab to the fields, type, Enter."""
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    expect(page.get_by_label("Email address")).to_be_focused()  # autofocus
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def press_until_focused(page, locator, key: str = "Tab", limit: int = 80) -> None:
    """Tab through the page until the locator has focus, as a keyboard user would."""
    for _ in range(limit):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press(key)
    pytest.fail(f"Could not reach {locator} by keyboard")


def follow_by_keyboard(page, locator) -> None:
    """Tab to a link or submit button and press Enter, waiting for the page it opens."""
    press_until_focused(page, locator)
    with page.expect_navigation():
        page.keyboard.press("Enter")
