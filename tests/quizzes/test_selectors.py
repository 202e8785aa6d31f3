"""The figures a learner's knowledge gain shows: known data in, known numbers out."""

import pytest

from quizzes import selectors
from quizzes.models import Choice, Rating, Response, Step
from tests.factories import (
    QuizCourseFactory,
    UserFactory,
)
from tests.quizzes.conftest import answer_stored

pytestmark = pytest.mark.django_db


def test_course_knowledge_gain_is_post_minus_pre_in_points(course, employee):
    first, second = (
        cm.module.questions.get(purpose="assessment") for cm in course.course_modules.all()
    )
    assert selectors.course_knowledge_gain(user=employee, course=course) is None
    answer_stored(employee, first, "pre", 0, course)
    answer_stored(employee, second, "pre", 0.5, course)
    assert selectors.course_knowledge_gain(user=employee, course=course) is None
    answer_stored(employee, first, "post", 1, course)
    answer_stored(employee, second, "post", 0.5, course)
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
    answer_stored(employee, first, "pre", 1 / 3, course)
    answer_stored(employee, first, "post", 1, course)
    # Another learner, and this learner in another course, do not move the figure.
    answer_stored(UserFactory(), first, "pre", 1, course)
    other_course = QuizCourseFactory(modules=[first.module])
    answer_stored(employee, first, "pre", 0, other_course)
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
