"""The one place that answers "may this user see or change that?".

Views never test roles inline: they call a `require_*` guard (403 for what a
role may not do) or a `get_<thing>_for_user` helper (404 for what the user may
not know exists).
"""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from allyship.models import ImportBatch, User
from learning.models import AssignmentRule, BadgeAward, Certificate, Commitment, Course, Reflection
from learning.recognition.badges import REGISTRY
from learning.recognition.certificates import certificate_code_normalise
from learning.refreshers.models import RefresherCard, RefresherReview
from quizzes.models import Attempt

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet


def is_hr(user: Any) -> bool:
    """True for members of the HR admin group."""
    return bool(getattr(user, "is_authenticated", False) and user.is_hr_admin)


def is_manager(user: Any) -> bool:
    """True for anyone with at least one active direct report."""
    return bool(getattr(user, "is_authenticated", False) and user.has_reports)


def hr_required(user: Any) -> None:
    """Refuse anyone but an HR admin with the friendly 403 page."""
    if not is_hr(user):
        raise PermissionDenied("This page is for HR admins.")


def manager_required(user: Any) -> None:
    """Refuse anyone without an active report with the friendly 403 page."""
    if not is_manager(user):
        raise PermissionDenied("This page is for people who manage a team.")


# The decorators only wire a check to a view: the rules are the checks above. They are applied
# when the views' modules are imported, before any test runs, so they are not mutated: a mutant
# of them would be judged by no test.
def require_hr(view: Callable) -> Callable:  # pragma: no mutate block
    """Guard a view for HR admins: anyone else gets the friendly 403 page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        hr_required(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def require_manager(view: Callable) -> Callable:  # pragma: no mutate block
    """Guard a view for people with reports: anyone else gets the friendly 403 page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        manager_required(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def team_of(manager: User) -> "QuerySet[User]":
    """Everyone below the manager at any depth (direct and indirect reports)."""
    return User.objects.team_of(manager.pk)


def get_team_member_for_user(user: User, pk: int) -> User:
    """A person in the user's team at any depth; 404 for anyone else, peers and bosses too."""
    try:
        return team_of(user).filter(is_active=True).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such person in your team.") from exc  # pragma: no mutate


def get_owned_or_404(
    queryset: "QuerySet", user: User, pk: Any, owner_field: str = "user"
) -> "Model":
    """An object the user owns; another person's object is a 404 (its existence is private)."""
    try:
        return queryset.get(pk=pk, **{owner_field: user})
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found.") from exc  # pragma: no mutate


# Learning: content is open to every signed-in person; what a learner writes is theirs alone.


def get_live_or_404(queryset: "QuerySet", **lookup: Any) -> "Model":
    """Live (not retired) curriculum content, open to every signed-in person."""
    try:
        return queryset.get(retired=False, **lookup)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404("No such content.") from exc  # pragma: no mutate


def get_commitment_for_user(user: User, pk: Any) -> "Model":
    """The learner's own commitment; anyone else's is a 404 (managers and HR included)."""
    return get_owned_or_404(Commitment.objects.select_related("module"), user, pk)


def get_reflection_for_user(user: User, prompt_pk: Any) -> "Model | None":
    """The learner's own reflection on a prompt, or None. Nobody else's is ever returned."""

    try:
        return Reflection.objects.filter(user=user, prompt_id=int(prompt_pk)).first()
    except (ValueError, TypeError) as exc:
        raise Http404("Not found.") from exc  # pragma: no mutate


# Refreshers: a learner's cards and answers are theirs alone.

_ID_MAX = 2**63 - 1


def _id_or_404(pk: Any) -> int:
    """A primary key within the database's range; anything else names nothing (404)."""
    try:
        value = int(pk)
    except (ValueError, TypeError) as exc:
        raise Http404("Not found.") from exc  # pragma: no mutate
    if not 0 < value <= _ID_MAX:
        raise Http404("Not found.")  # pragma: no mutate
    return value


def get_refresher_card_for_user(user: User, pk: Any) -> "Model":
    """The learner's own refresher card; anyone else's is a 404 (managers and HR included)."""
    return get_owned_or_404(RefresherCard.objects.all(), user, _id_or_404(pk))


def get_refresher_review_for_user(user: User, pk: Any) -> "Model":
    """One of the learner's own refresher answers, with its item; anyone else's is a 404."""

    return get_owned_or_404(
        RefresherReview.objects.select_related(
            "card__module", "card__question", "card__scenario_step", "principle"
        ),
        user,
        _id_or_404(pk),
    )


# Quizzes: a learner's attempts are theirs alone.


def get_attempt_for_user(user: User, pk: Any) -> "Model":
    """The learner's own scenario attempt, with its scenario and steps; anyone else's is a 404."""
    return get_owned_or_404(
        Attempt.objects.select_related("scenario__principle", "current_step", "ending"),
        user,
        pk,
    )


def get_attempt_row_for_user(user: User, pk: Any) -> "Model":
    """The learner's own attempt, its row alone: what answering a step needs (quizzes.services
    locks and reads the rest). Anyone else's is a 404."""
    return get_owned_or_404(Attempt.objects.all(), user, pk)


# HR and manager pages: HR reaches every import and assignment; a course is looked up by id.


def get_import_batch_for_user(user: User, pk: Any, with_preview: bool = True) -> "Model":
    """A people import, for HR admins only; anyone else gets a 404 (403 comes from the guard).

    Its rows (up to 100,000) are never loaded, and its preview only when asked for."""
    if not is_hr(user):
        raise Http404("Not found.")  # pragma: no mutate
    batches = ImportBatch.objects.select_related("created_by", "applied_by").defer("rows")
    if not with_preview:
        batches = batches.defer("preview")
    try:
        return batches.get(pk=pk)
    except (ImportBatch.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such import.") from exc  # pragma: no mutate


def get_assignment_rule_for_user(user: User, pk: Any) -> "Model":
    """A course assignment (rule) with its course and group, for HR admins only; else 404."""

    if not is_hr(user):
        raise Http404("Not found.")  # pragma: no mutate
    try:
        return AssignmentRule.objects.select_related(
            "course", "department", "team_manager", "created_by"
        ).get(pk=pk)
    except (AssignmentRule.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such assignment.") from exc  # pragma: no mutate


def get_course_or_404(pk: Any) -> "Model":
    """A course by id, retired or not (assignments and nudges name it by id)."""
    try:
        return Course.objects.get(pk=int(pk))
    except (Course.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such course.") from exc  # pragma: no mutate


# Recognition: certificates and badges belong to their earner; a code verifies publicly.


def get_certificate_for_user(user: User, course_slug: str) -> "Model":
    """The person's own certificate for a course; anyone else's (or none) is a 404."""

    certificate = (
        Certificate.objects.filter(user=user, course__slug=course_slug)
        .select_related("user", "course")
        .first()
    )
    if certificate is None:
        raise Http404("You have no certificate for that course.")  # pragma: no mutate
    return certificate


def get_certificate_by_code(code: str) -> "Model":
    """A certificate by its verification code, for anyone; an unknown code is a 404."""
    normalised = certificate_code_normalise(code)
    certificate = (
        Certificate.objects.filter(code=normalised).select_related("user", "course").first()
        if normalised
        else None
    )
    if certificate is None:
        raise Http404("No certificate has that code.")  # pragma: no mutate
    return certificate


def get_award_for_user(user: User, badge_slug: str) -> tuple:
    """The person's own award of a registered badge; not earned (or not theirs) is a 404."""
    badge = REGISTRY.get(badge_slug)
    award = (
        BadgeAward.objects.filter(user=user, badge=badge_slug).select_related("user").first()
        if badge
        else None
    )
    if award is None:
        raise Http404("You have not earned that badge.")  # pragma: no mutate
    return award, badge
