"""Report figures are computed in the background into one table that every server reads:
the same figures and "as of" time everywhere, and no page aggregates the organisation."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from allyship.models import Department, User
from allyship.reporting.figures import report_figures_refresh, scopes_due
from allyship.reporting.models import ReportFigures
from allyship.reporting.organisation import scope_key
from quizzes.models import Rating
from tests.factories import UserFactory
from tests.hr.factories import build_scenario, bulk_team, play, refresh_figures

pytestmark = pytest.mark.django_db


def _played_team(manager, scenario, size, course, department=None):
    team = bulk_team(size, manager=manager, course=course, department=department)
    for person in team:
        play(person, scenario, Rating.STRONG)
    return team


def test_a_scope_asked_for_the_first_time_is_queued_and_said_to_be_prepared(
    client, manager, course
):
    scenario = build_scenario()
    _played_team(manager, scenario, 5, course)
    client.force_login(manager)
    with pytest.raises(ReportFigures.DoesNotExist):
        ReportFigures.objects.get(scope=f"team:{manager.pk}")
    with django_capture_on_commit():
        first = client.get(reverse("manager:insights"), {"scenario": scenario.pk})
    assert "These figures are being prepared" in first.text
    assert DBTaskResult.objects.filter(task_path__endswith="refresh_report_figures").count() == 1
    again = client.get(reverse("manager:insights"))
    assert "These figures are being prepared" in again.text
    assert DBTaskResult.objects.filter(task_path__endswith="refresh_report_figures").count() == 1
    assert f"team:{manager.pk}" in scopes_due()


def django_capture_on_commit():
    """Run on_commit callbacks of the request (the test runs inside one transaction)."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_figures_change_only_when_the_background_refresh_runs(client, manager, course, clock):
    scenario = build_scenario()
    team = _played_team(manager, scenario, 5, course)
    client.force_login(manager)
    client.get(reverse("manager:insights"))
    refresh_figures()
    first = client.get(reverse("manager:insights"), {"scenario": scenario.pk})
    assert "For a group of 5 people" in first.text
    assert "Figures as of 12:03" in first.text
    late = UserFactory(manager=manager, department=team[0].department)
    play(late, scenario, Rating.HARMFUL)
    clock.advance(seconds=61)
    cache.clear()  # another server: nothing is kept in a process
    unchanged = client.get(reverse("manager:insights"), {"scenario": scenario.pk})
    assert "For a group of 5 people" in unchanged.text
    assert "Figures as of 12:03" in unchanged.text
    refresh_figures()
    later = client.get(reverse("manager:insights"), {"scenario": scenario.pk})
    assert "For a group of 6 people" in later.text
    assert "Figures as of 12:04" in later.text


def test_two_managers_never_share_insights(client, manager, course):
    scenario = build_scenario()
    _played_team(manager, scenario, 5, course)
    other = UserFactory(full_name="Other Manager")
    _played_team(other, scenario, 4, course)
    for person in (manager, other):
        client.force_login(person)
        client.get(reverse("manager:insights"))
    refresh_figures()
    client.force_login(manager)
    assert "For a group of 5 people" in client.get(reverse("manager:insights")).text
    client.force_login(other)
    page = client.get(reverse("manager:insights")).text
    assert "Not enough people to show this without identifying someone" in page
    assert "For a group of 5 people" not in page


def test_hr_insights_are_kept_per_filter(client, hr, manager, course):
    scenario = build_scenario()
    sales = Department.objects.create(name="Sales")
    _played_team(manager, scenario, 5, course)
    _played_team(manager, scenario, 6, course, department=sales)
    refresh_figures()  # the organisation and every department are always refreshed
    client.force_login(hr)
    url = reverse("hr:insights")
    everyone = f"For a group of {User.objects.filter(is_active=True).count()} people"
    assert everyone in client.get(url).text
    assert "For a group of 6 people" in client.get(url, {"department": sales.pk}).text
    assert everyone in client.get(url).text


def test_the_dashboard_reads_the_stored_figures_with_their_time(client, hr, manager, course, clock):
    bulk_team(6, manager=manager, course=course)
    client.force_login(hr)
    assert "These figures are being prepared" in client.get(reverse("hr:dashboard")).text
    refresh_figures()
    page = client.get(reverse("hr:dashboard"))
    assert page.context["totals"]["assigned"] == 6
    assert "Figures as of 12:03" in page.text
    bulk_team(2, manager=manager, course=course)
    assert client.get(reverse("hr:dashboard")).context["totals"]["assigned"] == 6
    clock.advance(seconds=60)
    call_command("refresh_report_figures")
    page = client.get(reverse("hr:dashboard"))
    assert page.context["totals"]["assigned"] == 8
    assert "Figures as of 12:04" in page.text


def test_the_scheduled_refresh_covers_the_organisation_departments_and_asked_for_scopes(
    manager, employee
):
    Department.objects.create(name="Research")
    ReportFigures.objects.create(scope=scope_key(team_of=manager.pk))
    departments = {f"department:{pk}" for pk in Department.objects.values_list("id", flat=True)}
    assert report_figures_refresh() == 2 + len(departments)
    assert set(ReportFigures.objects.values_list("scope", flat=True)) == {
        "org",
        f"team:{manager.pk}",
        *departments,
    }
    assert not ReportFigures.objects.filter(taken_at__isnull=True).exists()


def test_an_unknown_scope_is_refused_before_any_work():
    with pytest.raises(ValueError):
        report_figures_refresh(scopes=["everyone-please"])
