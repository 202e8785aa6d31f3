"""Facts for badge evaluation, stored directly as rows (no service that would evaluate on its
own), so each test sees only the evaluation it calls.
"""

from django.utils import timezone

from learning.models import (
    BadgeAward,
    Commitment,
    CommitmentStatus,
    LessonCompletion,
    ModuleProgress,
)
from tests.factories import QuestionFactory
from tests.learning.builders import build_course, build_module
from tests.recognition.factories import (
    AssignmentFactory,
    CourseProgressFactory,
    scenario_result,
    seed_scenario,
    stats_with_streak,
)
from tests.recognition.helpers import in_days

# The test scenario's best possible score is 39; a strong path needs 80 % of it, rounded up.
BEST_SCORE = 39
STRONG_SCORE = 32


# Facts, stored as rows -----------------------------------------------------------------------


def lessons_stored(user, count: int) -> None:
    for lesson in build_module(lessons=count).lessons.all():
        LessonCompletion.objects.create(user=user, lesson=lesson)


def modules_done(user, count: int, *, completed: bool = True) -> None:
    for _ in range(count):
        ModuleProgress.objects.create(
            user=user,
            module=build_module(lessons=1),
            percent=100 if completed else 50,
            completed_at=timezone.now() if completed else None,
        )


def course_finished(user, *, due_in_days: int | None = None, **assignment):
    """A course the person completed today; assigned to them, due in that many days, if given."""
    course = build_course([build_module(lessons=1)])
    if due_in_days is not None:
        AssignmentFactory(user=user, course=course, due_on=in_days(due_in_days), **assignment)
    CourseProgressFactory(user=user, course=course, completed=True)
    return course


def commitments_made(
    user, count: int, *, status: str = CommitmentStatus.DONE, on_time=True
) -> None:
    """Plans reported today with `status`, their check-in yesterday (or, not on time, tomorrow)."""
    for _ in range(count):
        Commitment.objects.create(
            user=user,
            module=build_module(lessons=1),
            action="Credit the idea to the person who said it first",
            check_in_on=in_days(-1 if on_time else 1),
            status=status,
            reported_at=timezone.now(),
        )


def scenario_scored(user, best_score: int):
    """The seed scenario "interrupted-in-meetings" (best 39), finished with `best_score`."""
    from quizzes.models import Scenario

    scenario = Scenario.objects.filter(slug="interrupted-in-meetings").first()
    scenario = scenario or seed_scenario("interrupted-in-meetings")
    return scenario_result(user, scenario, best_score)


def course_tests_taken(user, pre: float, post: float) -> None:
    from quizzes.models import Answer

    course = build_course([build_module(lessons=1)])
    question = QuestionFactory(purpose="assessment")
    Answer.objects.create(user=user, question=question, context="pre", course=course, score=pre)
    Answer.objects.create(user=user, question=question, context="post", course=course, score=post)


def everything_done(user) -> None:
    """Enough of every kind of progress to meet every badge's rule but the strong paths of the
    ten seed scenarios not loaded."""
    lessons_stored(user, 1)
    modules_done(user, 1)
    course_finished(user, due_in_days=3)
    commitments_made(user, 5)
    scenario_scored(user, BEST_SCORE)
    course_tests_taken(user, pre=0.5, post=1.0)
    stats_with_streak(user, current=4)


def slugs_of(awards) -> list[str]:
    return [award.badge for award in awards]


def held_badges(user) -> set[str]:
    return set(BadgeAward.objects.filter(user=user).values_list("badge", flat=True))
