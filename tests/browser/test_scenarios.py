"""Play the real meetings scenario by keyboard: a harmful path to its debrief, then the strongest.

Both paths come from the loaded file (the lowest-scoring response at every step, and the
stored strongest path), so revised wording never breaks the test. Only Tab, the arrow
keys, Space and Enter are used on the scenario pages; axe-core checks every step and
both debriefs.
"""

import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from learning.models import Principle
from quizzes.loader import apply_scenario
from quizzes.models import Response, Step
from quizzes.selectors import strongest_moves
from tests.browser.conftest import assert_accessible, sign_in_with_keyboard
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

CURRICULUM = Path(__file__).resolve().parents[2] / "learning" / "curriculum"
SLUG = "interrupted-in-meetings"


def _harmful_path(scenario) -> tuple[list[Response], Step]:
    """The lowest-scoring response at every step, from the start to the ending it reaches."""
    path, step = [], scenario.start_step
    while not step.is_ending:
        response = min(step.responses.filter(retired=False), key=lambda r: (r.points, r.order))
        path.append(response)
        step = response.next_step
    return path, step


def _strongest_path(scenario) -> tuple[list[Response], Step]:
    moves = strongest_moves(scenario)
    return [move.response for move in moves], moves[-1].response.next_step


@pytest.fixture
def meetings_scenario(db):
    data = yaml.safe_load((CURRICULUM / "principles.yaml").read_text(encoding="utf-8"))
    principles = {
        item["slug"]: Principle.objects.create(slug=item["slug"], name=item["name"], order=order)
        for order, item in enumerate(data["principles"])
    }
    scenario = yaml.safe_load((CURRICULUM / "scenarios" / f"{SLUG}.yaml").read_text("utf-8"))
    return apply_scenario(scenario, principles, 0)


def _tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches the selector."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


def _focused_label(page) -> str:
    return page.evaluate("() => document.activeElement.closest('label')?.innerText || ''")


def _choose_by_keyboard(page, text: str) -> None:
    """Tab into the radio group, arrow to the response, select it with Space, submit with Enter."""
    _tab_to(page, "input[type=radio]")
    for _ in range(4):
        if _normal(_focused_label(page)) == _normal(text):
            break
        page.keyboard.press("ArrowDown")
    else:
        pytest.fail(f"No response reads {text!r}")
    page.keyboard.press("Space")
    expect(page.locator("input[type=radio]:focus")).to_be_checked()
    _tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _play(page, path: list[Response], label: str) -> None:
    for number, response in enumerate(path, start=1):
        expect(page.locator("#attempt-panel")).to_contain_text(
            f"Decision {number}: {response.step.title}"
        )
        # Nothing about the current responses' quality is shown before choosing.
        form = page.locator("#attempt-panel form")
        for hint in ("Strong ally move", "Partial", "Harmful", "point"):
            expect(form).not_to_contain_text(hint)
        assert_accessible(page, f"{label}, decision {number}")
        _choose_by_keyboard(page, response.text)
        heading = page.locator("#attempt-panel-heading")
        expect(heading).to_be_focused()
        if number < len(path):
            expect(heading).to_have_text("What happened")


def test_a_learner_plays_the_meetings_scenario_by_keyboard(page, employee, meetings_scenario):
    harmful, harmful_ending = _harmful_path(meetings_scenario)
    strongest, best_ending = _strongest_path(meetings_scenario)
    best = meetings_scenario.max_score
    assert any(response.rating == "harmful" for response in harmful)
    assert sum(response.points for response in strongest) == best

    sign_in_with_keyboard(page, employee.email, PASSWORD)
    page.goto(f"/scenarios/{SLUG}/")
    assert_accessible(page, "scenario page")
    _tab_to(page, "button[type=submit].button")
    expect(page.locator(":focus")).to_have_text("Start")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))

    _play(page, harmful, "harmful path")
    panel = page.locator("#attempt-panel")
    expect(page.locator("#attempt-panel-heading")).to_have_text(f"Debrief: {harmful_ending.title}")
    low = sum(response.points for response in harmful)
    expect(panel).to_contain_text(f"Your score: {low} out of {best}.")
    expect(panel).to_contain_text("Harmful")
    expect(panel.locator("ol").first.locator("> li")).to_have_count(len(harmful))
    expect(panel.locator("ol").nth(1).locator("> li")).to_have_count(len(strongest))
    assert_accessible(page, "debrief after the harmful path")

    _tab_to(page, "#attempt-panel button[type=submit]")
    expect(page.locator(":focus")).to_have_text("Try again")
    page.keyboard.press("Enter")
    expect(panel).to_contain_text(f"Decision 1: {strongest[0].step.title}")

    _play(page, strongest, "strongest path")
    expect(page.locator("#attempt-panel-heading")).to_have_text(f"Debrief: {best_ending.title}")
    expect(panel).to_contain_text(f"Your score: {best} out of {best}.")
    expect(panel).to_contain_text(f"Your best so far: {best} out of {best}, over 2 finished")
    expect(panel.get_by_text("You chose this too.")).to_have_count(len(strongest))
    assert_accessible(page, "debrief after the strongest path")

    page.goto(f"/scenarios/{SLUG}/")
    expect(page.get_by_role("cell", name=f"{best} of {best}")).to_be_visible()
    assert_accessible(page, "scenario page with two attempts")
