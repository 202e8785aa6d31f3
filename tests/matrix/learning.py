"""Role-matrix rows for learning/ URLs.

Curriculum pages are open to everyone signed in. What a learner writes is theirs:
the employee persona owns the commitment and the reflection, so the manager and HR
personas get a 404 for them, exactly like a stranger would.
"""

import datetime

from django.utils import timezone

from tests.matrix.rows import SIGNED_IN, Row

COURSE = ("slug=learning_course",)
MODULE = ("slug=learning_module",)

ROWS = {
    "learning:home": SIGNED_IN,
    "learning:course-list": SIGNED_IN,
    "learning:course-detail": Row(302, 200, 200, 200, kwargs=COURSE),
    "learning:course-start": Row(302, 302, 302, 302, kwargs=COURSE, method="post"),
    "learning:module-detail": Row(302, 200, 200, 200, kwargs=MODULE),
    "learning:module-commit": Row(302, 200, 200, 200, kwargs=MODULE),
    "learning:lesson-detail": Row(302, 200, 200, 200, kwargs=(*MODULE, "lesson_slug")),
    "learning:lesson-complete": Row(
        302, 302, 302, 302, kwargs=(*MODULE, "lesson_slug"), method="post"
    ),
    "learning:commitment-list": SIGNED_IN,
    "learning:commitment-check-in": Row(302, 200, 404, 404, kwargs=("pk=commitment_pk",)),
    "learning:reflection-list": SIGNED_IN,
    "learning:reflection-download": Row(302, 200, 200, 200, kwargs=("extension",)),
    "learning:reflection-edit": Row(302, 200, 200, 200, kwargs=("prompt_id",)),
    "learning:reflection-delete": Row(302, 302, 404, 404, kwargs=("prompt_id",), method="post"),
}


def objects(people: dict) -> dict:
    from learning import services
    from tests.learning.builders import build_course, build_module

    module = build_module(slug="matrix-learning-module")
    course = build_course([module], slug="matrix-learning-course")
    employee = people["employee"]
    prompt = module.prompts.first()
    services.reflection_save(user=employee, prompt=prompt, text="Only mine")
    commitment = services.commitment_make(
        user=employee,
        module=module,
        suggestion=None,
        text="Credit ideas to who had them",
        check_in_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    return {
        "learning_course": course.slug,
        "learning_module": module.slug,
        "lesson_slug": "lesson-1",
        "commitment_pk": commitment.pk,
        "prompt_id": prompt.pk,
        "extension": "md",
    }
