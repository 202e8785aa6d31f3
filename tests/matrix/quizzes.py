"""Role-matrix rows for quizzes/ URLs.

Attempts are private to their learner: the employee persona owns the attempt, so the
manager and HR personas get a 404 for it, exactly like a stranger would.
"""

from tests.matrix.rows import SIGNED_IN, Row

SIGNED_IN_SLUG = Row(302, 200, 200, 200, kwargs=("slug",))
OWNER_ONLY = Row(302, 200, 404, 404, kwargs=("pk=attempt_pk",))

ROWS = {
    "quizzes:scenario-list": SIGNED_IN,
    "quizzes:scenario-detail": SIGNED_IN_SLUG,
    # Anyone signed in may start (or resume) their own attempt.
    "quizzes:attempt-start": Row(302, 302, 302, 302, kwargs=("slug",), method="post"),
    "quizzes:attempt-detail": OWNER_ONLY,
    "quizzes:attempt-choose": Row(
        302,
        302,
        404,
        404,
        kwargs=("pk=attempt_pk",),
        method="post",
        data=(("step", "attempt_step"), ("response", "attempt_response")),
    ),
    "quizzes:module-check": SIGNED_IN_SLUG,
    "quizzes:course-test": Row(302, 200, 200, 200, kwargs=("slug", "kind")),
}


def _shared_slug() -> str:
    """One slug for a module, a course and a scenario: URL kwargs named `slug` share a value.

    Reuses a module and course that another matrix file already made with one slug.
    """
    from learning.models import Course, Module

    live_courses = Course.objects.filter(retired=False).values("slug")
    existing = Module.objects.filter(retired=False, slug__in=live_courses)
    return existing.values_list("slug", flat=True).first() or "matrix-topic"


def objects(people: dict) -> dict:
    from quizzes import services
    from tests.factories import (
        QuestionFactory,
        QuizCourseFactory,
        QuizModuleFactory,
        scenario_file,
        scenario_from_file,
    )

    slug = _shared_slug()
    module = QuizModuleFactory(slug=slug)
    QuestionFactory(module=module, purpose="check")
    QuestionFactory(module=module, purpose="assessment")
    QuizCourseFactory(slug=slug, modules=[module])
    scenario = scenario_from_file(scenario_file(slug=slug))
    attempt = services.attempt_start(scenario=scenario, acting_user=people["employee"])
    strong = attempt.current_step.responses.get(rating="strong")
    return {
        "slug": slug,
        "kind": "pre",
        "attempt_pk": attempt.pk,
        "attempt_step": attempt.current_step_id,
        "attempt_response": strong.pk,
    }
