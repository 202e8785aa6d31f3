"""Play the real meetings scenario by keyboard: a weak path to its debrief, then the strongest.

Both paths come from the loaded file (the lowest-scoring response at every step, and the
stored strongest path), so revised wording never breaks the test; the ending each path
should earn comes from the loader's own walk of the file, and the weak path's debrief must
name that path's harmful choices as its turning points. Only Tab, the arrow
keys, Space and Enter are used on the scenario pages; axe-core checks every step and
both debriefs.
"""

import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from learning.models import Principle
from quizzes.loader import apply_scenario, scenario_paths
from quizzes.models import Response, Step
from quizzes.selectors import strongest_moves
from tests.browser.conftest import assert_accessible, sign_in_with_keyboard
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

CURRICULUM = Path(__file__).resolve().parents[2] / "learning" / "curriculum"
SLUG = "interrupted-in-meetings"


def _file() -> dict:
    return yaml.safe_load((CURRICULUM / "scenarios" / f"{SLUG}.yaml").read_text("utf-8"))


def _ending_by_the_walk(path: list[Response]) -> str:
    """The ending the loader's own walk of the file gives this sequence of choices."""
    data = _file()
    chosen = [(response.step.slug, response.slug) for response in path]
    for walked in scenario_paths(data["steps"], data["start"]):
        if [(step, r["slug"]) for step, r in walked.choices] == chosen:
            return walked.ending
    pytest.fail(f"the walk has no path {chosen}")


def _harmful_path(scenario) -> tuple[list[Response], Step]:
    """The lowest-scoring response at every step, from the start until the scenario ends."""
    path, step = [], scenario.start_step
    while step is not None and not step.is_ending:
        response = min(step.responses.filter(retired=False), key=lambda r: (r.points, r.order))
        path.append(response)
        step = response.next_step
    return path, scenario.steps.get(slug=_ending_by_the_walk(path))


def _strongest_path(scenario) -> tuple[list[Response], Step]:
    moves = strongest_moves(scenario)
    return [move.response for move in moves], scenario.steps.get(slug=scenario.strongest_path[-1])


@pytest.fixture
def meetings_scenario(db):
    data = yaml.safe_load((CURRICULUM / "principles.yaml").read_text(encoding="utf-8"))
    principles = {
        item["slug"]: Principle.objects.create(slug=item["slug"], name=item["name"], order=order)
        for order, item in enumerate(data["principles"])
    }
    return apply_scenario(_file(), principles, 0)


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
    # The ending is the one this weak path earns (not the best one), and the debrief's
    # turning points are this path's own harmful choices.
    assert harmful_ending.outcome in ("poor", "mixed")
    expect(panel.locator(".prose").first).to_contain_text(_normal(harmful_ending.situation)[:60])
    turning = panel.locator("ol.turning-points > li")
    expect(turning).to_have_count(sum(r.rating == "harmful" for r in harmful))
    for response in harmful:
        if response.rating == "harmful":
            expect(turning.filter(has_text=_normal(response.text))).to_contain_text(
                "It was a harmful move"
            )
    expect(panel.locator("ol").nth(1).locator("> li")).to_have_count(len(harmful))
    expect(panel.locator("ol").nth(2).locator("> li")).to_have_count(len(strongest))
    assert_accessible(page, "debrief after the harmful path")

    _tab_to(page, "#attempt-panel button[type=submit]")
    expect(page.locator(":focus")).to_have_text("Try again")
    page.keyboard.press("Enter")
    expect(panel).to_contain_text(f"Decision 1: {strongest[0].step.title}")

    _play(page, strongest, "strongest path")
    expect(page.locator("#attempt-panel-heading")).to_have_text(f"Debrief: {best_ending.title}")
    assert best_ending.outcome == "best"
    expect(panel).to_contain_text(f"Your score: {best} out of {best}.")
    expect(panel).to_contain_text(f"Your best so far: {best} out of {best}, over 2 finished")
    expect(panel.get_by_text("You chose this too.")).to_have_count(len(strongest))
    assert_accessible(page, "debrief after the strongest path")

    page.goto(f"/scenarios/{SLUG}/")
    expect(page.get_by_role("cell", name=f"{best} of {best}")).to_be_visible()
    assert_accessible(page, "scenario page with two attempts")
