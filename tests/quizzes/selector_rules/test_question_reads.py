"""The question reads in quizzes.selectors, with the values written out: knowledge checks and
course tests, option orders, answers and reviews, knowledge gain, and the facts badges read."""

import pytest
from django.utils import timezone

from learning.models import CourseProgress, Principle
from learning.recognition.quiz_facts import ScenarioScore
from quizzes import selectors
from quizzes.models import (
    Answer,
    Option,
    Question,
    ScenarioResult,
)
from tests.factories import (
    QuestionFactory,
    QuizCourseFactory,
    QuizModuleFactory,
    UserFactory,
)
from tests.quizzes.conftest import answer_stored
from tests.quizzes.selector_rules.conftest import NOW, scenario_made

pytestmark = pytest.mark.django_db


# Knowledge checks and course tests ------------------------------------------------------


def test_check_questions_are_the_modules_live_checks_in_order_with_options_loaded(
    django_assert_num_queries,
):
    module = QuizModuleFactory()
    QuestionFactory(module=module, slug="q-late", order=2)
    QuestionFactory(module=module, slug="q-early", order=0)
    QuestionFactory(module=module, slug="q-retired", order=1, retired=True)
    QuestionFactory(module=module, slug="q-assessment", order=1, purpose="assessment")
    QuestionFactory(slug="q-elsewhere", order=1)
    with django_assert_num_queries(2):
        questions = [
            (q.slug, q.principle.slug, [o.order for o in q.options.all()])
            for q in selectors.check_questions(module)
        ]
    assert questions == [
        ("q-early", "interrupting-bias", [0, 1, 2]),
        ("q-late", "interrupting-bias", [0, 1, 2]),
    ]


@pytest.fixture
def tested_course(db):
    """A course whose module order, course order and question order all disagree."""
    first, second = QuizModuleFactory(order=50), QuizModuleFactory(order=10)
    retired = QuizModuleFactory(retired=True)
    # Listed earlier in another course, at a later position.
    QuizCourseFactory(modules=[second, retired, QuizModuleFactory(), first])
    for slug, module, order, form in (
        ("y-both", second, 0, ""),
        ("x-post", first, 2, "post"),
        ("x-pre", first, 1, "pre"),
        ("x-both", first, 0, ""),
        ("z-retired-module", retired, 0, ""),
    ):
        QuestionFactory(slug=slug, module=module, order=order, form=form, purpose="assessment")
    QuestionFactory(slug="x-check", module=first, order=0)
    QuestionFactory(slug="x-retired", module=first, order=3, purpose="assessment", retired=True)
    QuestionFactory(slug="w-elsewhere", order=0, purpose="assessment")
    return QuizCourseFactory(modules=[first, second, retired])


def test_course_test_questions_follow_the_course_order_then_the_question_order(
    tested_course, django_assert_num_queries
):
    with django_assert_num_queries(2):
        questions = [
            (q.slug, q.position, len(q.options.all()))
            for q in selectors.course_test_questions(tested_course)
        ]
    assert questions == [("x-both", 0, 3), ("x-pre", 0, 3), ("x-post", 0, 3), ("y-both", 1, 3)]


def test_each_course_test_asks_its_own_form_and_the_questions_of_no_form(tested_course):
    def slugs(context):
        return [q.slug for q in selectors.course_test_questions(tested_course, context)]

    assert slugs("pre") == ["x-both", "x-pre", "y-both"]
    assert slugs("post") == ["x-both", "x-post", "y-both"]


@pytest.fixture
def fixed_questions(db):
    """Questions 6001 (options 6101 to 6104) and 6002 (options 6201 to 6203)."""
    module = QuizModuleFactory()
    questions = []
    for pk, first_option, options in ((6001, 6101, 4), (6002, 6201, 3)):
        question = Question.objects.create(
            pk=pk,
            slug=f"fixed-{pk}",
            module=module,
            principle=module.principle,
            purpose="check",
            kind="single",
            prompt="?",
            explanation=".",
        )
        for order in range(options):
            Option.objects.create(
                pk=first_option + order, question=question, order=order, text=f"{order}"
            )
        questions.append(question)
    return questions


def test_option_order_is_a_shuffle_fixed_by_learner_question_context_and_course(
    fixed_questions,
):
    # The orders random.Random gives for "8001:6001:module:0" and "8001:6001:pre:5001".
    question = fixed_questions[0]
    order = selectors.option_order
    assert order(question, user_id=8001, context="module", course_id=None) == [
        6104,
        6103,
        6101,
        6102,
    ]
    assert order(question, user_id=8001, context="module", course_id=0) == [6104, 6103, 6101, 6102]
    assert order(question, user_id=8001, context="pre", course_id=5001) == [6102, 6103, 6104, 6101]


def test_option_orders_are_keyed_by_question_and_default_to_no_course(fixed_questions):
    assert selectors.option_orders(fixed_questions, user_id=8001, context="module") == {
        6001: [6104, 6103, 6101, 6102],
        6002: [6201, 6203, 6202],
    }


def test_answers_by_question_are_the_learners_own_in_that_context_and_course(employee, outsider):
    asked, also_asked, not_asked = QuestionFactory.create_batch(3)
    course, other_course = QuizCourseFactory(), QuizCourseFactory()
    checked = answer_stored(employee, asked, "module", 1)
    also_checked = answer_stored(employee, also_asked, "module", 0)
    answer_stored(employee, not_asked, "module", 1)
    answer_stored(outsider, asked, "module", 0)
    before = answer_stored(employee, asked, "pre", 0, course)
    before_elsewhere = answer_stored(employee, asked, "pre", 1, other_course)
    after = answer_stored(employee, asked, "post", 1, course)
    questions = [asked, also_asked]
    assert selectors.answers_by_question(employee, questions, "module") == {
        asked.pk: checked,
        also_asked.pk: also_checked,
    }
    assert selectors.answers_by_question(employee, questions, "pre", course) == {asked.pk: before}
    assert selectors.answers_by_question(employee, questions, "pre", other_course) == {
        asked.pk: before_elsewhere
    }
    assert selectors.answers_by_question(employee, questions, "post", course) == {asked.pk: after}
    assert selectors.answers_by_question(employee, questions, "post", other_course) == {}
    assert selectors.answers_by_question(outsider, questions, "pre", course) == {}


def test_a_review_names_the_verdict_and_the_score_as_a_whole_percent():
    def review(is_correct, score):
        answer = Answer(is_correct=is_correct, score=score)
        review = selectors.AnswerReview(Question(), answer)
        return review.verdict, review.percent

    assert [
        review(True, 1),
        review(False, 2 / 3),
        review(False, 0.5),
        review(False, 0.01),
        review(False, 0),
    ] == [
        ("Right", 100),
        ("Partly right", 67),
        ("Partly right", 50),
        ("Partly right", 1),
        ("Not quite", 0),
    ]


def test_answer_reviews_list_options_as_shown_then_any_unrecorded_in_written_order(
    django_assert_num_queries,
):
    module = QuizModuleFactory()
    shown = QuestionFactory(module=module, order=0)
    QuestionFactory(module=module, order=1)  # not answered: no review
    unrecorded = QuestionFactory(module=module, order=2)
    partly = QuestionFactory(module=module, order=3, multiple=True)
    questions = list(selectors.check_questions(module))
    a0, a1, a2 = shown.options.order_by("order")
    b0, b1, b2 = unrecorded.options.order_by("order")
    c0, c1, c2, c3 = partly.options.order_by("order")
    answers = {
        shown.pk: Answer(selected=[a2.pk], option_order=[a2.pk, a0.pk, a1.pk], score=0),
        # Answered before the order was recorded: the written order.
        unrecorded.pk: Answer(selected=[b1.pk], option_order=[], score=0),
        # Two options added since: after the two shown, in their written order.
        partly.pk: Answer(selected=[c1.pk, c0.pk], option_order=[c3.pk, c1.pk], score=0.5),
    }
    with django_assert_num_queries(0):
        reviews = selectors.answer_reviews(questions, answers)
    assert [
        (r.question.pk, r.answer, [(o.option, o.chosen) for o in r.options]) for r in reviews
    ] == [
        (shown.pk, answers[shown.pk], [(a2, True), (a0, False), (a1, False)]),
        (unrecorded.pk, answers[unrecorded.pk], [(b0, False), (b1, True), (b2, False)]),
        (partly.pk, answers[partly.pk], [(c3, False), (c1, True), (c0, True), (c2, False)]),
    ]


def test_the_closing_quiz_waits_for_the_course_and_the_starting_quiz_closes_after_it(
    employee, outsider
):
    course, other_course = QuizCourseFactory(), QuizCourseFactory()
    not_yet = (
        "The closing quiz opens once you have finished every module of the course, "
        "so it can show what you learned."
    )
    too_late = (
        "The starting quiz is taken before the course begins, and you have already "
        "finished this course. Take the closing quiz instead."
    )

    def reasons():
        return [
            selectors.course_test_lock_reason(employee, course, context, answered)
            for context, answered in (("post", False), ("pre", False), ("pre", True))
        ]

    # Half done here, and finished by someone else or in another course: not finished.
    CourseProgress.objects.create(user=employee, course=course, percent=50)
    CourseProgress.objects.create(user=outsider, course=course, percent=100, completed_at=NOW)
    CourseProgress.objects.create(user=employee, course=other_course, percent=100, completed_at=NOW)
    assert selectors.course_completed(employee, course) is False
    assert reasons() == [not_yet, None, None]
    CourseProgress.objects.filter(user=employee, course=course).update(
        percent=100, completed_at=timezone.now()
    )
    assert selectors.course_completed(employee, course) is True
    # Once finished, a starting quiz already taken can still be reviewed.
    assert reasons() == [None, too_late, None]


def test_an_average_percent_is_whole_and_none_without_answers():
    def average(*scores):
        return selectors.average_percent(Answer(score=score) for score in scores)

    assert [average(), average(1), average(0, 0.5, 1), average(1 / 3, 0), average(0)] == [
        None,
        100,
        50,
        17,
        0,
    ]


# Knowledge gain and HR aggregates --------------------------------------------------------


def test_a_share_becomes_a_percent_with_one_decimal():
    assert [
        selectors._percent(None),
        selectors._percent(0),
        selectors._percent(1),
        selectors._percent(1 / 3),
        selectors._percent(0.12345),
    ] == [None, 0.0, 100.0, 33.3, 12.3]


def test_the_course_gain_needs_both_tests_and_may_be_zero_or_a_loss(course, employee):
    first, second = (
        cm.module.questions.get(purpose="assessment") for cm in course.course_modules.all()
    )
    # A knowledge check of the same question is no course test, nor a test in another course.
    answer_stored(employee, first, "module", 1)
    answer_stored(employee, first, "pre", 1, QuizCourseFactory())
    answer_stored(employee, first, "post", 0.5, course)
    assert selectors.course_knowledge_gain(user=employee, course=course) is None
    answer_stored(employee, first, "pre", 0.5, course)
    assert selectors.course_knowledge_gain(user=employee, course=course) == 0.0
    answer_stored(employee, second, "pre", 5 / 6, course)
    # Pre (0.5 + 5/6) / 2 = 2/3, post 0.5: a loss of 16.67 points.
    assert selectors.course_knowledge_gain(user=employee, course=course) == -16.7


def _row(slug, name, pre, post, gain) -> dict:
    return {"slug": slug, "name": name, "pre": pre, "post": post, "gain": gain}


@pytest.fixture
def principles(db):
    """Principles whose curriculum order, name, slug and creation order disagree."""
    return {
        "listen": Principle.objects.create(slug="listen", name="Listening", order=2),
        "credit": Principle.objects.create(slug="credit", name="Sharing credit", order=1),
        "voice": Principle.objects.create(slug="voice", name="Amplifying voices", order=1),
        "checks": Principle.objects.create(slug="checks", name="Checks only", order=0),
    }


def test_a_learners_gain_by_principle_shows_every_figure_they_have_in_this_course(
    principles, employee, outsider, django_assert_num_queries
):
    module = QuizModuleFactory()
    course, other_course = QuizCourseFactory(modules=[module]), QuizCourseFactory(modules=[module])

    def question(slug):
        return QuestionFactory(module=module, principle=principles[slug], purpose="assessment")

    voice, voice_too, credit, listen, checks = (
        question(slug) for slug in ("voice", "voice", "credit", "listen", "checks")
    )
    for q, pre, post in ((voice, 1 / 3, 2 / 3), (voice_too, 0, 1)):
        answer_stored(employee, q, "pre", pre, course)
        answer_stored(employee, q, "post", post, course)
    answer_stored(employee, credit, "pre", 1, course)
    answer_stored(employee, listen, "post", 0.5, course)
    # None of these count: a knowledge check, another learner, another course.
    answer_stored(employee, checks, "module", 1)
    answer_stored(outsider, voice, "post", 0, course)
    answer_stored(outsider, checks, "pre", 0, course)
    answer_stored(employee, credit, "post", 0, other_course)
    with django_assert_num_queries(1):
        rows = selectors.knowledge_gain_by_principle(user=employee, course=course)
    # Curriculum order, then name (not slug or age).
    assert rows == [
        # (1/3 + 0) / 2 before, (2/3 + 1) / 2 after: a gain of 66.7 points from the
        # averages (not 83.3 - 16.7 = 66.6 from the rounded scores).
        _row("voice", "Amplifying voices", 16.7, 83.3, 66.7),
        _row("credit", "Sharing credit", 100.0, None, None),
        _row("listen", "Listening", None, 50.0, None),
    ]


# Facts that badges and XP read ------------------------------------------------------------


def test_scenario_scores_give_every_scenario_and_only_a_finished_best(employee, outsider):
    finished = scenario_made("finished", max_score=39)
    never_finished = scenario_made("never-finished", max_score=20)
    others_only = scenario_made("others-only", max_score=10, retired=True)
    ScenarioResult.objects.create(
        user=employee, scenario=finished, best_score=30, attempts_finished=1
    )
    ScenarioResult.objects.create(
        user=employee, scenario=never_finished, best_score=5, attempts_finished=0
    )
    ScenarioResult.objects.create(
        user=outsider, scenario=others_only, best_score=10, attempts_finished=3
    )
    assert selectors.scenario_scores_of(employee) == {
        "finished": ScenarioScore(39, 30),
        "never-finished": ScenarioScore(20, None),
        "others-only": ScenarioScore(10, None),
    }


def test_knowledge_is_gained_only_when_a_course_post_test_beats_its_pre_test(
    employee, outsider, django_assert_num_queries
):
    question = QuestionFactory(purpose="assessment")
    # Created in pk order; each is read only if this learner has a post-test in it.
    others, pre_only, level, worse, better = (
        QuizCourseFactory(modules=[question.module]) for _ in range(5)
    )
    answer_stored(outsider, question, "pre", 0, others)
    answer_stored(outsider, question, "post", 1, others)
    answer_stored(employee, question, "pre", 0, pre_only)
    answer_stored(employee, question, "pre", 0.5, level)
    answer_stored(employee, question, "post", 0.5, level)
    answer_stored(employee, question, "pre", 1, worse)
    answer_stored(employee, question, "post", 0, worse)
    answer_stored(employee, question, "module", 1)
    # The course list, then one gain per course with a post-test: level and worse.
    with django_assert_num_queries(3):
        assert selectors.knowledge_gained_by(employee) is False
    answer_stored(employee, question, "pre", 0.4, better)
    answer_stored(employee, question, "post", 0.6, better)
    with django_assert_num_queries(4):
        assert selectors.knowledge_gained_by(employee) is True
    assert selectors.knowledge_gained_by(UserFactory()) is False
