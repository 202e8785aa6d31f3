"""The attacker's test: no two insight reports HR or a manager can ask for differ by fewer
than five people's answers, choices, scores or commitments.

A seeded organisation mixes small and large teams across two departments, including a
team that spans both, so that departments, teams and their intersections overlap by one
to four people in many ways. The test asks for every filter combination each role can set,
reads every published figure, and for every pair of reports that publish the same figure
with different values, works out from the facts (not from the code under test) which
people's data could explain the difference: those who contributed to that figure in one
report's group and not in the other's. Fewer than five is a failure.
"""

import itertools

import pytest
from django.urls import reverse

from allyship.models import Department, User
from learning.models import Commitment
from quizzes.models import Answer, AnswerContext, Choice, Rating
from tests.factories import UserFactory
from tests.hr.factories import (
    answer,
    assessment_question,
    build_scenario,
    commit,
    play,
    refresh_figures,
)
from tests.learning.builders import build_module

pytestmark = pytest.mark.django_db

RATINGS = [Rating.STRONG, Rating.PARTIAL, Rating.HARMFUL]


@pytest.fixture
def organisation(course):
    """Two departments; managers with 6, 3, 5 (+1 elsewhere) and 7 reports; the head of
    engineering also answers, as in the issue's leak. Everyone plays, answers and commits."""
    engineering = Department.objects.create(name="Platform")
    sales = Department.objects.create(name="Field Sales")
    head = UserFactory(full_name="Head Engineering", department=engineering)
    small = UserFactory(full_name="Small Lead", department=engineering, manager=head)
    mixed = UserFactory(full_name="Mixed Lead", department=engineering, manager=head)
    seller = UserFactory(full_name="Sales Head", department=sales)
    people = [head, small, mixed, seller]
    for index in range(6):
        people.append(UserFactory(department=engineering, manager=head, full_name=f"E{index}"))
    for index in range(3):
        people.append(UserFactory(department=engineering, manager=small, full_name=f"S{index}"))
    for index in range(5):
        people.append(UserFactory(department=engineering, manager=mixed, full_name=f"M{index}"))
    people.append(UserFactory(department=sales, manager=mixed, full_name="M-sales"))
    for index in range(7):
        people.append(UserFactory(department=sales, manager=seller, full_name=f"D{index}"))
    scenario = build_scenario()
    module = build_module(lessons=1)
    check = assessment_question(module)
    for index, person in enumerate(people):
        play(person, scenario, RATINGS[index % 3])
        commit(person, module)
        answer(person, check, context=AnswerContext.MODULE, score=(index % 4) / 3)
        answer(person, check, context=AnswerContext.PRE, course=course, score=(index % 2) / 1)
        answer(person, check, context=AnswerContext.POST, course=course, score=1.0)
    return {"scenario": scenario, "people": people, "heads": [head, small, mixed, seller]}


def _published(insights) -> dict[tuple, tuple]:
    """Every figure a report shows, by a key naming what it measures."""
    if not insights or not insights.enough:
        return {}
    found = {}
    for row in insights.hardest:
        found["check", row["name"]] = (row["check"],)
        found["strong", row["name"]] = (row["scenario"],)
    for row in insights.pre_post:
        found["prepost", row["name"]] = (row["pre"], row["post"])
    for row in insights.departments:
        found["gain", row["label"]] = (row["pre"], row["post"])
    overall = insights.commitments["overall"]
    if overall["made"]:
        found["commit", "all"] = tuple(overall[k] for k in ("made", "done", "partly", "open"))
    for row in insights.commitments["departments"]:
        found["commit", row["label"]] = tuple(row[k] for k in ("made", "done", "partly", "open"))
    for step in insights.steps:
        found["step", step["title"]] = tuple(row["times"] for row in step["rows"])
    return {key: value for key, value in found.items() if any(v is not None for v in value)}


def _group(department: Department | None, team_of: User | None) -> set[int]:
    people = User.objects.filter(is_active=True)
    if department:
        people = people.filter(department=department)
    if team_of:
        people = people.team_of(team_of.pk)
    return set(people.values_list("id", flat=True))


def _contributors(key: tuple, group: set[int], course) -> set[int]:
    """From the facts: the people of a group whose data a figure could include."""
    kind, label = key
    if kind == "check":
        ids = Answer.objects.filter(context=AnswerContext.MODULE).values_list("user_id", flat=True)
    elif kind == "strong" or kind == "step":
        ids = Choice.objects.values_list("attempt__user_id", flat=True)
    elif kind in ("prepost", "gain"):
        answers = Answer.objects.filter(context__in=[AnswerContext.PRE, AnswerContext.POST])
        if course is not None:
            answers = answers.filter(course=course)
        if kind == "gain" and label != "No department":
            answers = answers.filter(user__department__name=label)
        ids = answers.values_list("user_id", flat=True)
    else:
        commitments = Commitment.objects.all()
        if label != "all":
            commitments = commitments.filter(user__department__name=label)
        ids = commitments.values_list("user_id", flat=True)
    return group & set(ids)


def _assert_no_subtraction_isolates_fewer_than_five(reports: list[dict]) -> int:
    pairs = 0
    for first, second in itertools.combinations(reports, 2):
        for key in set(first["figures"]) & set(second["figures"]):
            pairs += 1
            if first["figures"][key] == second["figures"][key]:
                continue
            one = _contributors(key, first["group"], first["course"])
            other = _contributors(key, second["group"], second["course"])
            isolated = one ^ other
            assert not 0 < len(isolated) < 5, (
                f"{key}: {first['name']} minus {second['name']} isolates "
                f"{len(isolated)} people: {first['figures'][key]} vs {second['figures'][key]}"
            )
    for report in reports:
        for key in report["figures"]:
            assert len(_contributors(key, report["group"], report["course"])) >= 5, (
                report["name"],
                key,
            )
    return pairs


def test_no_pair_of_hr_or_manager_reports_isolates_fewer_than_five_people(
    client, hr, course, organisation
):
    scenario = organisation["scenario"]
    departments = [None, *Department.objects.order_by("name")]
    managers = [None, *organisation["heads"]]
    courses = [None, course]
    hr_requests = [
        (department, manager, chosen)
        for department in departments
        for manager in managers
        for chosen in courses
    ]
    manager_requests = [(None, manager, chosen) for manager in managers[1:] for chosen in courses]

    def fetch(viewer, department, manager, chosen):
        client.force_login(viewer)
        params = {"scenario": scenario.pk}
        if chosen:
            params["course"] = chosen.pk
        if viewer == hr:
            if department:
                params["department"] = department.pk
            if manager:
                params["manager"] = manager.email
            url = reverse("hr:insights")
        else:
            url = reverse("manager:insights")
        response = client.get(url, params)
        assert response.status_code == 200
        return response

    everything = [(hr, *request) for request in hr_requests]
    everything += [(request[1], *request) for request in manager_requests]
    for request in everything:
        fetch(*request)  # each scope asked for once, then computed in the background
    refresh_figures()
    reports = []
    for viewer, department, manager, chosen in everything:
        insights = fetch(viewer, department, manager, chosen).context["insights"]
        reports.append(
            {
                "name": f"{'HR' if viewer == hr else viewer.full_name}: department="
                f"{department}, team={manager}, course={chosen}",
                "figures": _published(insights),
                "group": _group(department, manager),
                "course": chosen,
            }
        )
    published = sum(len(report["figures"]) for report in reports)
    assert published >= 40, "the seeded organisation must publish figures to attack"
    pairs = _assert_no_subtraction_isolates_fewer_than_five(reports)
    print(f"{len(reports)} reports, {published} figures, {pairs} figure pairs compared")
    assert pairs > 1000


def test_one_persons_score_and_department_figures_are_never_shown(client, hr, course):
    """A department of one: neither its knowledge-check score nor its pre/post figures
    appear, alone or as the difference of the organisation and the other departments."""
    lonely = Department.objects.create(name="Lonely")
    crowd = Department.objects.create(name="Crowd")
    boss = UserFactory(department=crowd)
    module = build_module(lessons=1)
    check = assessment_question(module)
    people = [UserFactory(department=crowd, manager=boss) for _ in range(6)]
    solo = UserFactory(department=lonely, manager=boss)
    for person in people:
        answer(person, check, context=AnswerContext.MODULE, score=1.0)
        answer(person, check, context=AnswerContext.PRE, course=course, score=0.0)
        answer(person, check, context=AnswerContext.POST, course=course, score=1.0)
    answer(solo, check, context=AnswerContext.MODULE, score=0.0)
    answer(solo, check, context=AnswerContext.PRE, course=course, score=1.0)
    answer(solo, check, context=AnswerContext.POST, course=course, score=0.0)
    refresh_figures()
    client.force_login(hr)
    everyone = client.get(reverse("hr:insights")).context["insights"]
    crowd_only = client.get(reverse("hr:insights"), {"department": crowd.pk}).context["insights"]
    alone = client.get(reverse("hr:insights"), {"department": lonely.pk}).context["insights"]
    assert not alone.enough
    assert [row["label"] for row in everyone.departments] == ["Crowd"]
    # The organisation's figures equal the crowd's: the one person adds nothing to subtract.
    assert everyone.hardest == crowd_only.hardest
    assert everyone.pre_post == crowd_only.pre_post
    assert [row["check"] for row in everyone.hardest] == [100.0]
    assert [(row["pre"], row["post"]) for row in everyone.pre_post] == [(0.0, 100.0)]
