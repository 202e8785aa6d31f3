"""HR journeys in Chromium: import people, assign a course, and axe-core on every HR page."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from allyship.models import User
from allyship.reporting.figures import report_figures_refresh
from learning.models import Assignment, AssignmentRule, AssignmentScope
from tests.browser.conftest import (
    assert_accessible,
    follow_by_keyboard,
    sign_in_with_keyboard,
)
from tests.factories import PASSWORD, DepartmentFactory, UserFactory
from tests.hr.factories import (
    AssignmentFactory,
    build_scenario,
    bulk_team,
    commit,
    course_with_modules,
    csv_bytes,
    days,
    play,
)
from tests.learning.builders import build_module

pytestmark = pytest.mark.django_db(transaction=True)


def test_hr_imports_people_assigns_a_department_and_the_learner_sees_it(page, hr):
    course = course_with_modules(2, slug="speaking-up")
    sign_in_with_keyboard(page, hr.email, PASSWORD)

    page.goto("/hr/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import people")
    assert_accessible(page, "import page")
    page.get_by_label("CSV file").set_input_files(
        {
            "name": "people.csv",
            "mimeType": "text/csv",
            "buffer": csv_bytes(
                [
                    ["nia@test.example", "Nia Newcomer", "Research", "", "employee", "yes"],
                    ["broken-email", "Broken", "Research", "", "", ""],
                ]
            ),
        }
    )
    follow_by_keyboard(page, page.get_by_role("button", name="Upload and preview"))
    expect(page.get_by_role("alert")).to_contain_text("1 problem. Nothing was changed.")
    expect(
        page.get_by_role("cell", name="“broken-email” is not a valid email address.")
    ).to_be_visible()
    assert_accessible(page, "import with errors")

    page.get_by_label("CSV file").set_input_files(
        {
            "name": "people.csv",
            "mimeType": "text/csv",
            "buffer": csv_bytes(
                [["nia@test.example", "Nia Newcomer", "Research", hr.email, "employee", "yes"]]
            ),
        }
    )
    follow_by_keyboard(page, page.get_by_role("button", name="Upload and preview"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the changes before applying")
    expect(page.get_by_role("rowheader", name="Nia Newcomer")).to_be_visible()
    assert_accessible(page, "import preview")
    follow_by_keyboard(page, page.get_by_role("button", name="Apply these changes"))
    # Applied by the background worker: the page says it is waiting, then updates itself.
    expect(page.get_by_role("heading", level=1)).to_have_text("Applying the import")
    expect(page.get_by_text("Waiting for the background worker")).to_be_visible()
    assert_accessible(page, "import waiting for the worker")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    expect(page.get_by_text("Import applied: 1 new")).to_be_visible(timeout=10_000)
    assert_accessible(page, "import applied")

    page.goto("/hr/assignments/new/")
    assert_accessible(page, "assignment form")
    page.get_by_label("Course").select_option(label=course.title)
    page.get_by_label("A department").check()
    page.get_by_label("Department", exact=True).select_option(label="Research")
    page.get_by_label("Due date").fill(days(21).isoformat())
    follow_by_keyboard(page, page.get_by_role("button", name="Assign"))
    expect(page.get_by_text(f"Assigned “{course.title}” to 1 person.")).to_be_visible()
    assert_accessible(page, "assignment detail")
    follow_by_keyboard(page, page.get_by_role("link", name="Assignments", exact=True))
    expect(page.get_by_role("rowheader", name=course.title)).to_be_visible()
    assert_accessible(page, "assignment list")
    assert AssignmentRule.objects.get().scope == AssignmentScope.DEPARTMENT

    # The new person sets a password (as the reset email lets them) and signs in.
    nia = User.objects.get(email="nia@test.example")
    nia.set_password(PASSWORD)
    nia.save()
    follow_by_keyboard(page, page.get_by_role("button", name="Sign out"))
    sign_in_with_keyboard(page, nia.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    assigned = page.locator("section", has=page.get_by_role("heading", name="Assigned to you"))
    expect(assigned.get_by_role("link", name=course.title)).to_be_visible()
    expect(assigned).to_contain_text(f"Due {days(21):%-d %B %Y}")


def _organisation_with_history():
    """Enough people, progress and answers that every HR page has something to show."""
    boss = UserFactory(full_name="Bea Boss")
    course = course_with_modules(2, slug="allyship-basics")
    engineering = DepartmentFactory(name="Engineering")
    team = bulk_team(8, manager=boss, course=course, department=engineering)
    bulk_team(6, manager=boss, course=course, department=DepartmentFactory(name="Sales"))
    scenario = build_scenario()
    module = build_module(lessons=1)
    for index, person in enumerate(team[:6]):
        play(person, scenario, "strong" if index % 3 else "partial")
        commit(person, module)
    rule = AssignmentRule.objects.create(
        course=course, scope=AssignmentScope.EVERYONE, due_on=days(10), group_key="everyone"
    )
    Assignment.objects.filter(course=course).update(rule=rule)
    return course, rule


def test_every_hr_page_passes_axe(page, hr):
    course, rule = _organisation_with_history()
    report_figures_refresh()  # what the background refresh does every minute
    sign_in_with_keyboard(page, hr.email, PASSWORD)
    for url, heading in [
        ("/hr/", "Organisation dashboard"),
        (f"/hr/?course={course.pk}", "Organisation dashboard"),
        ("/hr/people/", "People"),
        ("/hr/people/?sort=-completion&overdue=on", "People"),
        ("/hr/assignments/", "Assignments"),
        (f"/hr/assignments/{rule.pk}/", course.title),
        ("/hr/insights/", "Insights into effectiveness"),
        ("/hr/audit/", "Audit log"),
    ]:
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page, url)
    page.goto("/hr/")
    expect(page.get_by_role("img", name="Completion by course")).to_be_visible()
    expect(page.get_by_role("img", name="Courses completed per week")).to_be_visible()


def test_hr_pages_work_at_phone_width(phone_page, hr):
    _organisation_with_history()
    sign_in_with_keyboard(phone_page, hr.email, PASSWORD)
    for url in ("/hr/", "/hr/people/", "/hr/insights/"):
        phone_page.goto(url)
        assert_accessible(phone_page, f"{url} at phone width")
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{url} scrolls sideways at 375px ({width}px)"


def test_people_table_sorts_by_keyboard(page, hr):
    course = course_with_modules(1)
    first = UserFactory(full_name="Aaron Able")
    last = UserFactory(full_name="Zora Zed")
    AssignmentFactory(user=first, course=course, due_on=days(3))
    AssignmentFactory(user=last, course=course, due_on=days(1))
    sign_in_with_keyboard(page, hr.email, PASSWORD)
    page.goto("/hr/people/")
    page.get_by_role("link", name="Next due").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("columnheader", name="Next due")).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(page.locator("tbody tr").first).to_contain_text("Zora Zed")
    assert_accessible(page, "people sorted by due date")
