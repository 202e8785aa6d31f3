"""Writes for HR's course assignments: rules for chosen people or whole groups.

A group assignment is an `AssignmentRule`: everyone in the group receives the course
now, and `assignment_rules_apply` gives it to whoever joins the group later (a new
hire, a move to another department or manager, someone taking on their first report).
Changing a due date or withdrawing
touches only assignment rows: learners' progress is never changed. Every HR action is
audited in the same transaction as the change.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from allyship.models import Department, User
from allyship.services import audit_record
from learning.models import Assignment, AssignmentRule, AssignmentScope, Course
from learning.summaries import learning_summaries_refresh

# A late joiner never gets a course that is already overdue: at least this many days.
LATE_JOINER_MIN_DAYS = 14
# SQLite allows a limited number of query parameters: long id lists go in slices.
ID_CHUNK = 900
MAX_DUE_DAYS = 366 * 2


@dataclass(frozen=True)
class RuleOutcome:
    rule: AssignmentRule
    assigned: int
    already_assigned: int


def rule_group_description(rule: AssignmentRule) -> str:
    """Who a rule is for, in words: "Engineering", "Maya Patel's team", "Everyone"."""
    if rule.scope == AssignmentScope.DEPARTMENT and rule.department_id:
        return f"The {rule.department} department"
    if rule.scope == AssignmentScope.TEAM and rule.team_manager_id:
        return f"{rule.team_manager}'s team"
    if rule.scope == AssignmentScope.PEOPLE_LEADERS:
        return "People leaders"
    if rule.scope == AssignmentScope.EVERYONE:
        return "Everyone"
    return "Chosen people"


def rule_members(rule: AssignmentRule) -> QuerySet[User]:
    """The active people a group rule covers today (a people rule covers its own assignees)."""
    people = User.objects.filter(is_active=True)
    if rule.scope == AssignmentScope.DEPARTMENT:
        return people.filter(department_id=rule.department_id)
    if rule.scope == AssignmentScope.TEAM:
        return people.filter(id__in=User.objects.team_of(rule.team_manager_id).values("id"))
    if rule.scope == AssignmentScope.PEOPLE_LEADERS:
        return people.filter(Exists(User.objects.filter(manager=OuterRef("pk"), is_active=True)))
    if rule.scope == AssignmentScope.EVERYONE:
        return people
    return people.filter(assignments__rule=rule)


def _validate_due_on(due_on: datetime.date | None) -> datetime.date:
    today = timezone.localdate()
    if due_on is None:
        raise ValidationError({"due_on": "Choose a due date."})
    if due_on < today:
        raise ValidationError({"due_on": "Choose a due date from today onwards."})
    if due_on > today + datetime.timedelta(days=MAX_DUE_DAYS):
        raise ValidationError({"due_on": "Choose a due date within the next two years."})
    return due_on


def _validate_group(
    *,
    scope: str,
    department: Department | None,
    team_manager: User | None,
    people: Sequence[User] | None,
) -> None:
    if scope not in AssignmentScope.values:
        raise ValidationError({"scope": "Choose who the course is for."})
    if scope == AssignmentScope.DEPARTMENT and department is None:
        raise ValidationError({"department": "Choose a department."})
    if scope == AssignmentScope.TEAM:
        if team_manager is None:
            raise ValidationError({"team_manager": "Enter the manager's email address."})
        if not User.objects.filter(manager=team_manager, is_active=True).exists():
            raise ValidationError({"team_manager": f"{team_manager} has nobody reporting to them."})
    if (
        scope == AssignmentScope.PEOPLE_LEADERS
        and not User.objects.filter(
            manager__isnull=False, manager__is_active=True, is_active=True
        ).exists()
    ):
        raise ValidationError(
            {"scope": "Nobody has an active report yet, so there are no people leaders."}
        )
    if scope == AssignmentScope.PEOPLE:
        if not people:
            raise ValidationError({"people": "Enter at least one person's email address."})
        inactive = [person.email for person in people if not person.is_active]
        if inactive:
            raise ValidationError(
                {"people": "These people have left and cannot be assigned: " + ", ".join(inactive)}
            )


def assignment_rule_create(
    *,
    course: Course,
    scope: str,
    due_on: datetime.date | None,
    acting_user: User | None,
    department: Department | None = None,
    team_manager: User | None = None,
    people: Sequence[User] | None = None,
) -> RuleOutcome:
    """Assign a course to people or a group now; group rules also reach later joiners. Audited.

    Someone who already has the course keeps their assignment and due date; a withdrawn
    assignment of the same course comes back under this rule, with its progress intact.
    """
    if course.retired:
        raise ValidationError({"course": "This course has been retired."})
    due_on = _validate_due_on(due_on)
    _validate_group(scope=scope, department=department, team_manager=team_manager, people=people)
    department = department if scope == AssignmentScope.DEPARTMENT else None
    team_manager = team_manager if scope == AssignmentScope.TEAM else None
    people_ids = sorted({person.pk for person in people or []})
    group_key = AssignmentRule.key_for(
        scope,
        department_id=department.pk if department else None,
        team_manager_id=team_manager.pk if team_manager else None,
        people_ids=people_ids,
    )
    with transaction.atomic():
        _refuse_a_second_live_rule(course, group_key)
        try:
            # A savepoint: the constraint decides between two identical posts at once.
            with transaction.atomic():
                rule = AssignmentRule.objects.create(
                    course=course,
                    scope=scope,
                    department=department,
                    team_manager=team_manager,
                    due_on=due_on,
                    created_by=acting_user,
                    group_key=group_key,
                )
        except IntegrityError:
            _refuse_a_second_live_rule(course, group_key)
            raise
        if scope == AssignmentScope.PEOPLE:
            member_ids = people_ids
        else:
            member_ids = list(rule_members(rule).values_list("id", flat=True))
        assigned, already = assign_rule_members(rule, member_ids, due_on=due_on, revive=True)
        audit_record(
            acting_user=acting_user,
            action="assignment.create",
            target=f"{course.title}: {rule_group_description(rule)}",
            new=f"due {due_on.isoformat()}; {assigned} assigned, {already} already had it",
        )
    return RuleOutcome(rule=rule, assigned=assigned, already_assigned=already)


def _refuse_a_second_live_rule(course: Course, group_key: str) -> None:
    """A live rule of the course for the same group already exists: say which, change nothing."""
    existing = (
        AssignmentRule.objects.filter(course=course, group_key=group_key, withdrawn_at__isnull=True)
        .select_related("course", "department", "team_manager")
        .first()
    )
    if existing is not None:
        group = rule_group_description(existing)
        if existing.scope in (AssignmentScope.DEPARTMENT, AssignmentScope.EVERYONE):
            group = group[0].lower() + group[1:]  # "the Sales department", "everyone"
        elif existing.scope == AssignmentScope.PEOPLE:
            group = "these same people"
        raise ValidationError(
            f"“{course.title}” is already assigned to {group} (due "
            f"{existing.due_on:%-d %B %Y}), so nothing new was made. To change the due date, "
            "open that assignment from the list of assignments.",
            code="duplicate_rule",
        )


def assign_rule_members(
    rule: AssignmentRule, user_ids: Sequence[int], *, due_on: datetime.date, revive: bool
) -> tuple[int, int]:
    """Give the rule's course to these people; returns (newly assigned, already had it).

    With `revive`, a withdrawn assignment of the same course comes back under this rule.
    """
    assigned = already = 0
    now = timezone.now()
    for start in range(0, len(user_ids), ID_CHUNK):
        chunk = user_ids[start : start + ID_CHUNK]
        existing = dict(
            Assignment.objects.filter(course_id=rule.course_id, user_id__in=chunk).values_list(
                "user_id", "withdrawn_at"
            )
        )
        withdrawn = [user_id for user_id, when in existing.items() if when is not None]
        if revive and withdrawn:
            assigned += Assignment.objects.filter(
                course_id=rule.course_id, user_id__in=withdrawn
            ).update(
                rule=rule,
                due_on=due_on,
                withdrawn_at=None,
                assigned_by=rule.created_by,
                assigned_at=now,
            )
        already += len(existing) - (len(withdrawn) if revive else 0)
        new = [
            Assignment(
                user_id=user_id,
                course_id=rule.course_id,
                rule=rule,
                due_on=due_on,
                assigned_by=rule.created_by,
                assigned_at=now,
            )
            for user_id in chunk
            if user_id not in existing
        ]
        Assignment.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
        assigned += len(new)
        learning_summaries_refresh(user_ids=chunk)
    return assigned, already


def late_joiner_due_on(rule: AssignmentRule, today: datetime.date) -> datetime.date:
    """The rule's due date, or for someone joining late, as long as the group first had."""
    window = max((rule.due_on - timezone.localdate(rule.created_at)).days, LATE_JOINER_MIN_DAYS)
    return max(rule.due_on, today + datetime.timedelta(days=window))


def assignment_rules_apply(
    *, user: User | None = None, user_ids: Iterable[int] | None = None
) -> int:
    """Give late joiners the group assignments they are missing; returns how many were made.

    Call it when someone is created or changes department or manager, and for their new
    manager too (who may have just become a people leader). With neither `user`
    nor `user_ids`, every active person is checked. A constant number of queries per live
    rule (per slice of ids): no loops over people.
    """
    if user is not None:
        ids: list[int] | None = [user.pk]
    elif user_ids is not None:
        ids = sorted(set(user_ids))
    else:
        ids = None
    rules = list(
        AssignmentRule.objects.filter(withdrawn_at__isnull=True, course__retired=False)
        .exclude(scope=AssignmentScope.PEOPLE)
        .order_by("created_at", "id")
    )
    if not rules or ids == []:
        return 0
    today = timezone.localdate()
    made = 0
    with transaction.atomic():
        for rule in rules:
            # A withdrawn assignment of the course does not count: the group's rule brings
            # it back, as creating the rule does for the people in the group then.
            has_course = Assignment.objects.filter(
                user=OuterRef("pk"), course_id=rule.course_id, withdrawn_at__isnull=True
            )
            members = rule_members(rule).exclude(Exists(has_course))
            chunks = (
                [members]
                if ids is None
                else [
                    members.filter(id__in=ids[start : start + ID_CHUNK])
                    for start in range(0, len(ids), ID_CHUNK)
                ]
            )
            due_on = late_joiner_due_on(rule, today)
            for chunk in chunks:
                missing = list(chunk.values_list("id", flat=True))
                assigned, _ = assign_rule_members(rule, missing, due_on=due_on, revive=True)
                made += assigned
    return made


def assignment_rule_set_due_date(
    *, rule: AssignmentRule, due_on: datetime.date | None, acting_user: User | None
) -> AssignmentRule:
    """Move a rule's due date for everyone it assigned; progress is untouched. Audited."""
    due_on = _validate_due_on(due_on)
    with transaction.atomic():
        rule = AssignmentRule.objects.select_for_update().select_related("course").get(pk=rule.pk)
        if rule.withdrawn_at is not None:
            raise ValidationError("This assignment has been withdrawn.")
        old = rule.due_on
        if old == due_on:
            return rule
        rule.due_on = due_on
        rule.save(update_fields=["due_on"])
        live = Assignment.objects.filter(rule=rule, withdrawn_at__isnull=True)
        people = list(live.values_list("user_id", flat=True))
        live.update(due_on=due_on)
        learning_summaries_refresh(user_ids=people)
        audit_record(
            acting_user=acting_user,
            action="assignment.due_date",
            target=f"{rule.course.title}: {rule_group_description(rule)}",
            old=old.isoformat(),
            new=due_on.isoformat(),
        )
    return rule


def assignment_rule_withdraw(*, rule: AssignmentRule, acting_user: User | None) -> int:
    """Withdraw a rule and the assignments it made; learners keep their progress. Audited.

    Returns how many assignments were withdrawn (0 when it was already withdrawn).
    """
    with transaction.atomic():
        rule = AssignmentRule.objects.select_for_update().select_related("course").get(pk=rule.pk)
        if rule.withdrawn_at is not None:
            return 0
        now = timezone.now()
        rule.withdrawn_at = now
        rule.save(update_fields=["withdrawn_at"])
        live = Assignment.objects.filter(rule=rule, withdrawn_at__isnull=True)
        people = list(live.values_list("user_id", flat=True))
        withdrawn = live.update(withdrawn_at=now)
        learning_summaries_refresh(user_ids=people)
        audit_record(
            acting_user=acting_user,
            action="assignment.withdraw",
            target=f"{rule.course.title}: {rule_group_description(rule)}",
            old=f"due {rule.due_on.isoformat()}; {withdrawn} people",
            new="withdrawn",
        )
    return withdrawn
