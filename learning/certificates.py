"""Course certificates (filled in by the gamification work)."""


def certificate_issue(*, user, course):
    """Issue the learner's certificate for a completed course (once)."""
    import secrets

    from learning.models import Certificate

    certificate, _ = Certificate.objects.get_or_create(
        user=user, course=course, defaults={"code": secrets.token_hex(8).upper()}
    )
    return certificate
