"""Insights are aggregates over many answers: kept for a minute per group, course and
scenario, never shared between two managers' teams or two HR filters."""

import pytest
from django.urls import reverse

from allyship.models import Department, User
from quizzes.models import Rating
from tests.factories import UserFactory
from tests.hr.factories import build_scenario, bulk_team, play

pytestmark = pytest.mark.django_db


def _played_team(manager, scenario, size, course, department=None):
    team = bulk_team(size, manager=manager, course=course, department=department)
    for person in team:
        play(person, scenario, Rating.STRONG)
    return team


def test_team_insights_are_kept_for_a_minute_then_refreshed(client, manager, course, clock):
    scenario = build_scenario()
    _played_team(manager, scenario, 5, course)
    client.force_login(manager)
    first = client.get(reverse("manager:insights"), {"scenario": scenario.pk})
    assert "Based on 5 people" in first.text
    assert "Figures as of 12:03; they refresh every minute." in first.text
    play(UserFactory(manager=manager), scenario, Rating.HARMFUL)
    within = client.get(reverse("manager:insights"), {"scenario": scenario.pk})
    assert "Based on 5 people" in within.text
    clock.advance(seconds=61)
    later = client.get(reverse("manager:insights"), {"scenario": scenario.pk})
    assert "Based on 6 people" in later.text
    assert "Figures as of 12:04" in later.text


def test_two_managers_never_share_insights(client, manager, course, clock):
    scenario = build_scenario()
    _played_team(manager, scenario, 5, course)
    other = UserFactory(full_name="Other Manager")
    _played_team(other, scenario, 4, course)
    client.force_login(manager)
    assert "Based on 5 people" in client.get(reverse("manager:insights")).text
    client.force_login(other)
    page = client.get(reverse("manager:insights")).text
    assert "Not enough people to show this without identifying someone" in page
    assert "Based on 5 people" not in page


def test_hr_insights_are_kept_per_filter(client, hr, manager, course, clock):
    scenario = build_scenario()
    sales = Department.objects.create(name="Sales")
    _played_team(manager, scenario, 5, course)
    _played_team(manager, scenario, 6, course, department=sales)
    client.force_login(hr)
    url = reverse("hr:insights")
    everyone = f"Based on {User.objects.filter(is_active=True).count()} people"
    assert everyone in client.get(url).text
    assert "Based on 6 people" in client.get(url, {"department": sales.pk}).text
    assert everyone in client.get(url).text
