"""Role-matrix rows for the recognition URLs (badges, profile, certificates).

The employee persona owns the certificate and the badge: the manager and HR personas get a
404 for them, as a stranger would. Verification is public; dismissing only ever touches the
poster's own celebrations, so it redirects for everyone signed in.
"""

from tests.matrix.rows import SIGNED_IN, Row

ROWS = {
    "recognition:badge-list": SIGNED_IN,
    "recognition:profile": SIGNED_IN,
    "recognition:badge-credential": Row(302, 200, 404, 404, kwargs=("badge_slug",)),
    "recognition:certificate-detail": Row(302, 200, 404, 404, kwargs=("course_slug",)),
    "recognition:certificate-pdf": Row(302, 200, 404, 404, kwargs=("course_slug",)),
    "recognition:verify": Row(200, 200, 200, 200, kwargs=("code",)),
    # Signed out, the toasts region gets "204 No Content": htmx then leaves it alone.
    "recognition:toasts": Row(204, 200, 200, 200),
    "recognition:toast-dismiss": Row(
        302, 302, 302, 302, method="post", data=(("award", "badge_award_id"),)
    ),
}


def objects(people: dict) -> dict:
    from learning.recognition.badges import REGISTRY, badge_award
    from learning.recognition.certificates import certificate_issue
    from tests.recognition.factories import CourseFactory, CourseProgressFactory

    employee = people["employee"]
    course = CourseFactory(slug="matrix-certificate-course")
    CourseProgressFactory(user=employee, course=course, completed=True)
    certificate = certificate_issue(user=employee, course=course)
    award = badge_award(user=employee, badge=REGISTRY["first-lesson"])
    return {
        "course_slug": course.slug,
        "code": certificate.code,
        "badge_slug": award.badge,
        "badge_award_id": award.pk,
    }
