"""The aggregates HR insights and knowledge gain use: known data in, known numbers out."""

import pytest

from allyship.models import User
from quizzes import selectors
from quizzes.models import Answer, Choice, Rating, Response, Step
from tests.factories import (
    QuestionFactory,
    QuizCourseFactory,
    QuizModuleFactory,
    UserFactory,
    principle_for_quizzes,
)

pytestmark = pytest.mark.django_db


def _answer(user, question, context, score, course=None) -> Answer:
    return Answer.objects.create(
        user=user,
        question=question,
        context=context,
        course=course,
        score=score,
        is_correct=score == 1,
    )


@pytest.fixture
def assessed(course):
    """Six learners: pre-test scores 0 and 0.5, post-test 1 and 1, on two principles."""
    first, second = (
        cm.module.questions.get(purpose="assessment") for cm in course.course_modules.all()
    )
    people = UserFactory.create_batch(6)
    for person in people:
        _answer(person, first, "pre", 0, course)
        _answer(person, second, "pre", 0.5, course)
        _answer(person, first, "post", 1, course)
        _answer(person, second, "post", 1, course)
    return people


def test_principle_averages_are_aggregated_in_one_query(
    assessed, course, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rows = selectors.principle_pre_post_averages()
    # Principles come in their curriculum order, then by name (both are order 0 here).
    assert [(r["slug"], r["pre"], r["post"], r["gain"], r["pre_people"]) for r in rows] == [
        ("active-listening", 50.0, 100.0, 50.0, 6),
        ("interrupting-bias", 0.0, 100.0, 100.0, 6),
    ]


def test_principle_averages_for_a_small_group_are_withheld(assessed, course):
    group = User.objects.filter(pk__in=[p.pk for p in assessed[:4]]).values("pk")
    rows = selectors.principle_pre_post_averages(group, course=course)
    assert all(r["pre"] is None and r["post"] is None and r["pre_people"] == 4 for r in rows)
    rows = selectors.principle_pre_post_averages(group, course=course, minimum_group=None)
    assert sorted(r["gain"] for r in rows) == [50.0, 100.0]


def test_principle_averages_count_people_not_answers_and_withhold_below_five(course):
    first, second = (
        cm.module.questions.get(purpose="assessment") for cm in course.course_modules.all()
    )
    # A second question on the first principle: two answers each, still one person each.
    also_first = QuestionFactory(module=first.module, purpose="assessment")
    # Curriculum order puts interrupting-bias first, against the alphabet.
    first.principle.__class__.objects.filter(pk=first.principle.pk).update(order=1)
    second.principle.__class__.objects.filter(pk=second.principle.pk).update(order=2)
    people = UserFactory.create_batch(6)
    for person in people[:5]:  # exactly five before
        for question in (first, also_first):
            _answer(person, question, "pre", 0.5, course)
    for person in people[2:]:  # four after (one of them new)
        for question in (first, also_first):
            _answer(person, question, "post", 1, course)
    for person in people[:5]:
        _answer(person, second, "pre", 1 / 3 if person == people[0] else 0, course)
        _answer(person, second, "post", 1 if person in people[:3] else 0.5, course)
    rows = selectors.principle_pre_post_averages()
    assert rows == [
        {
            "slug": "interrupting-bias",
            "name": first.principle.name,
            "pre": 50.0,
            "post": None,  # four people: withheld
            "gain": None,
            "pre_people": 5,
            "post_people": 4,
        },
        {
            "slug": "active-listening",
            "name": second.principle.name,
            "pre": 6.7,
            "post": 80.0,
            "gain": 73.3,
            "pre_people": 5,
            "post_people": 5,
        },
    ]
    rows = selectors.principle_pre_post_averages(minimum_group=None)
    assert [(row["post"], row["gain"]) for row in rows] == [(100.0, 50.0), (80.0, 73.3)]


def test_principle_averages_ignore_module_knowledge_checks(assessed):
    question = QuestionFactory(module=QuizModuleFactory(principle=principle_for_quizzes("safe")))
    for person in assessed:
        _answer(person, question, "module", 1)
    assert "safe" not in {row["slug"] for row in selectors.principle_pre_post_averages()}


def test_course_knowledge_gain_is_post_minus_pre_in_points(course, employee):
    first, second = (
        cm.module.questions.get(purpose="assessment") for cm in course.course_modules.all()
    )
    assert selectors.course_knowledge_gain(user=employee, course=course) is None
    _answer(employee, first, "pre", 0, course)
    _answer(employee, second, "pre", 0.5, course)
    assert selectors.course_knowledge_gain(user=employee, course=course) is None
    _answer(employee, first, "post", 1, course)
    _answer(employee, second, "post", 0.5, course)
    assert selectors.course_knowledge_gain(user=employee, course=course) == 50.0
    by_principle = {
        row["slug"]: row["gain"]
        for row in selectors.knowledge_gain_by_principle(user=employee, course=course)
    }
    assert by_principle == {"interrupting-bias": 100.0, "active-listening": 0.0}


def test_course_knowledge_gain_counts_only_this_learner_in_this_course(course, employee):
    first, second = (
        cm.module.questions.get(purpose="assessment") for cm in course.course_modules.all()
    )
    _answer(employee, first, "pre", 1 / 3, course)
    _answer(employee, first, "post", 1, course)
    # Another learner, and this learner in another course, do not move the figure.
    _answer(UserFactory(), first, "pre", 1, course)
    other_course = QuizCourseFactory(modules=[first.module])
    _answer(employee, first, "pre", 0, other_course)
    assert selectors.course_knowledge_gain(user=employee, course=course) == 66.7


def test_turning_points_name_each_reason_a_choice_turned_the_path():
    ending = Step(title="Trust rebuilt", conditions={"all_of": ["credited"]})
    plain = Step(dilemma=False)
    dilemma = Step(dilemma=True)

    def choice(step, rating, sets=()):
        return Choice(step=step, response=Response(rating=rating, sets=list(sets)))

    credited = choice(plain, Rating.STRONG, ["credited"])
    harmful_dilemma = choice(dilemma, Rating.HARMFUL)
    quiet = choice(plain, Rating.PARTIAL, ["unrelated"])
    points = selectors.turning_points([credited, quiet, harmful_dilemma], ending)
    assert [(point.choice, point.reasons) for point in points] == [
        (credited, ["It decided the ending you reached: “Trust rebuilt”."]),
        (
            harmful_dilemma,
            [
                "It was a harmful move, and the story changed course because of it.",
                "It was a real dilemma: more than one move was defensible, and the feedback "
                "weighs what each one costs.",
            ],
        ),
    ]
    # No ending reached (an older attempt): flags decide nothing, the other reasons stand.
    assert [
        point.choice for point in selectors.turning_points([credited, harmful_dilemma], None)
    ] == [harmful_dilemma]
