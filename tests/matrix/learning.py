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
    # Refreshers: the employee's card and answers are theirs; anyone else gets a 404.
    "refreshers:overview": SIGNED_IN,
    "refreshers:session": SIGNED_IN,
    "refreshers:answer": Row(
        302,
        302,
        404,
        404,
        kwargs=("pk=refresher_card_pk",),
        method="post",
        data=(("number", "refresher_number"), ("selected", "refresher_option")),
    ),
    "refreshers:history": SIGNED_IN,
    "refreshers:review-detail": Row(302, 200, 404, 404, kwargs=("pk=refresher_review_pk",)),
    "refreshers:pause": Row(302, 302, 302, 302, method="post"),
    "refreshers:resume": Row(302, 302, 302, 302, method="post"),
}


def objects(people: dict) -> dict:
    from learning import services
    from learning.models import ModuleProgress
    from tests.learning.builders import build_course, build_module
    from tests.learning.refresher_builders import refresher_due

    module = build_module(slug="matrix-learning-module")
    course = build_course([module], slug="matrix-learning-course")
    employee = people["employee"]
    prompt = module.prompts.first()
    services.reflection_save(user=employee, prompt=prompt, text="Only mine")
    # Started (one lesson read), without the badge a first lesson earns: the recognition
    # rows award that one themselves.
    ModuleProgress.objects.create(user=employee, module=module, lessons_completed=1)
    commitment = services.commitment_make(
        user=employee,
        module=module,
        suggestion=None,
        situation="a colleague's idea is repeated by someone else",
        text="Credit ideas to who had them",
        check_in_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    card, review = refresher_due(employee)
    return {
        "refresher_card_pk": card.pk,
        "refresher_number": card.reviews + 1,
        "refresher_option": card.question.options.get(is_correct=True).pk,
        "refresher_review_pk": review.pk,
        "learning_course": course.slug,
        "learning_module": module.slug,
        "lesson_slug": "lesson-1",
        "commitment_pk": commitment.pk,
        "prompt_id": prompt.pk,
        "extension": "md",
    }
