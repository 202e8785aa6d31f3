"""Writes to the organisation. Each function validates, then saves inside one transaction."""

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Exists, OuterRef

from allyship.models import HR_GROUP, AuditEntry, User, validate_manager

ROLE_CHUNK = 500


def roles_refresh(*, user_ids: Iterable[int | None]) -> None:
    """Store the role facts of these people on their rows: member of the HR admin group, and
    at least one active direct report. Call it inside the transaction of the change."""
    ids = sorted({pk for pk in user_ids if pk})
    in_hr = User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name=HR_GROUP)
    reports = User.objects.filter(manager_id=OuterRef("pk"), is_active=True)
    for start in range(0, len(ids), ROLE_CHUNK):
        User.objects.filter(pk__in=ids[start : start + ROLE_CHUNK]).update(
            is_hr_admin=Exists(in_hr), has_reports=Exists(reports)
        )


def audit_record(
    *, acting_user: User | None, action: str, target: str = "", old: str = "", new: str = ""
) -> AuditEntry:
    """Write one audit row; call it inside the transaction of the change it records."""
    return AuditEntry.objects.create(
        actor=acting_user, action=action, target=target[:255], old_value=old, new_value=new
    )


def user_set_manager(*, user: User, manager: User | None, acting_user: User | None) -> User:
    """Change a person's manager after checking for cycles; audited."""
    with transaction.atomic():
        validate_manager(user=user, manager=manager)
        old = user.manager
        user.manager = manager
        user.save(update_fields=["manager"])
        roles_refresh(user_ids=[user.pk, old.pk if old else None, manager.pk if manager else None])
        audit_record(
            acting_user=acting_user,
            action="manager.change",
            target=user.email,
            old=old.email if old else "",
            new=manager.email if manager else "",
        )
    return user


def user_set_active(*, user: User, active: bool, acting_user: User | None) -> User:
    """Activate or deactivate a person (never delete: their learning records stay); their
    manager's role follows. Audited."""
    with transaction.atomic():
        if user.is_active == active:
            return user
        user.is_active = active
        user.save(update_fields=["is_active"])
        roles_refresh(user_ids=[user.pk, user.manager_id])
        audit_record(
            acting_user=acting_user,
            action="person.activate" if active else "person.deactivate",
            target=user.email,
            old="inactive" if active else "active",
            new="active" if active else "inactive",
        )
    return user


# What HR admins may do in the Django admin: author the curriculum, read the organisation
# and the audit log. Learners' reflections, commitments and answers are not among them.
HR_ADMIN_PERMISSIONS = {
    "learning": {
        "principle": ("view", "add", "change"),
        "module": ("view", "add", "change"),
        "lesson": ("view", "add", "change"),
        "reflectionprompt": ("view", "add", "change"),
        "commitmentsuggestion": ("view", "add", "change"),
        "course": ("view", "add", "change"),
        "coursemodule": ("view", "add", "change", "delete"),
        "assignmentrule": ("view",),
        "assignment": ("view",),
    },
    "quizzes": {
        "scenario": ("view", "change"),
        "step": ("view", "change"),
        "response": ("view", "change"),
        "question": ("view", "change"),
        "option": ("view", "change"),
    },
    "allyship": {
        "user": ("view",),
        "department": ("view", "add", "change"),
        "auditentry": ("view",),
        "importbatch": ("view",),
    },
    # SCIM bearer tokens: HR creates and revokes them (allyship.scim.admin), never edits.
    "scim": {"scimtoken": ("view", "add")},
}


def hr_group() -> Group:
    """The HR admin group, with the admin permissions HR needs (kept in step on every call)."""
    group, _ = Group.objects.get_or_create(name=HR_GROUP)
    codenames = {
        (app, f"{action}_{model}")
        for app, models in HR_ADMIN_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    }
    wanted = [
        permission
        for permission in Permission.objects.filter(
            content_type__app_label__in=HR_ADMIN_PERMISSIONS
        ).select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in codenames
    ]
    group.permissions.set(wanted)
    return group
