"""Team goals: a team's average progress per assigned course, never an individual's."""

import pytest
from django.urls import reverse

from learning.recognition.selectors import TEAM_GOAL_MINIMUM, team_goals, team_goals_shared
from tests.factories import UserFactory
from tests.queries import queries
from tests.recognition.factories import AssignmentFactory, CourseFactory, CourseProgressFactory
from tests.recognition.helpers import at_most

pytestmark = pytest.mark.django_db


def _assigned_team(manager, course, percents: list[int | None]) -> list:
    """People reporting to `manager`, each assigned `course` at that percent (None: not begun)."""
    people = []
    for percent in percents:
        person = UserFactory(manager=manager)
        AssignmentFactory(user=person, course=course)
        if percent is not None:
            CourseProgressFactory(user=person, course=course, percent=percent)
        people.append(person)
    return people


def test_a_team_of_five_sees_its_average_progress_per_assigned_course(manager):
    course = CourseFactory(title="Allyship foundations")
    people = _assigned_team(manager, course, [100, 100, 80, 20, None])
    goals = team_goals(people[0])
    assert [(goal.course_title, goal.percent, goal.people) for goal in goals] == [
        ("Allyship foundations", 60, 5)
    ]


def test_a_course_assigned_to_fewer_than_five_is_not_shown(manager):
    course = CourseFactory()
    people = _assigned_team(manager, course, [100] * (TEAM_GOAL_MINIMUM - 1))
    UserFactory(manager=manager)  # a fifth person in the team, without the course
    assert team_goals(people[0]) == []


def test_withdrawn_assignments_and_inactive_people_do_not_count(manager):
    course = CourseFactory()
    people = _assigned_team(manager, course, [100] * TEAM_GOAL_MINIMUM)
    people[1].is_active = False
    people[1].save()
    assert team_goals(people[0]) == []
    people[1].is_active = True
    people[1].save()
    people[2].assignments.update(withdrawn_at=people[2].date_joined)
    assert team_goals(people[0]) == []


def test_the_team_is_the_people_who_share_a_manager(manager, outsider):
    course = CourseFactory()
    _assigned_team(manager, course, [100] * TEAM_GOAL_MINIMUM)
    other_team = _assigned_team(outsider, course, [0] * TEAM_GOAL_MINIMUM)
    assert team_goals(other_team[0])[0].percent == 0
    assert team_goals(manager) == []  # the manager's own peers have no assignments
    assert team_goals(UserFactory()) == []  # nobody to share a manager with


def test_team_goals_cost_one_query_whatever_the_team_size(manager):
    course, other = CourseFactory(), CourseFactory()
    people = _assigned_team(manager, course, [50] * 12)
    for person in people:
        AssignmentFactory(user=person, course=other)
    with at_most(1):
        goals = team_goals(people[0])
    assert len(goals) == 2


def test_home_and_profile_show_the_team_goal(client_for, manager):
    course = CourseFactory(title="Allyship in meetings")
    people = _assigned_team(manager, course, [100, 100, 100, 100, 0])
    client = client_for(people[0])
    for name in ("learning:home", "recognition:profile"):
        text = client.get(reverse(name)).text
        assert "Your team is <strong>80%</strong> through" in text
        assert "Allyship in meetings" in text
        for person in people[1:]:
            assert person.full_name not in text  # no individual is ever named


def test_teammates_share_one_computation_of_their_team_goals(manager, client):
    course = CourseFactory(title="Allyship foundations")
    people = _assigned_team(manager, course, [100] * TEAM_GOAL_MINIMUM)
    client.force_login(people[0])
    assert "Allyship foundations" in client.get("/").text
    with queries(0):  # a teammate's figures come from the shared cache
        goals = team_goals_shared(people[1])
    assert [(goal.course_title, goal.percent) for goal in goals] == [("Allyship foundations", 100)]
    assert team_goals_shared(people[1]) == team_goals(people[0])
    assert team_goals_shared(UserFactory()) == []
