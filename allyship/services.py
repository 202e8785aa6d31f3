"""Writes to the organisation. Each function validates, then saves inside one transaction."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from allyship.models import HR_GROUP, AuditEntry, User


def validate_manager(*, user: User, manager: User | None) -> None:
    """Refuse a manager that would make the chain loop back to the person."""
    if manager is None:
        return
    if user.pk is not None and manager.pk == user.pk:
        raise ValidationError({"manager": "A person cannot be their own manager."})
    if user.pk is not None and User.objects.chain_above(manager.pk).filter(pk=user.pk).exists():
        raise ValidationError(
            {"manager": f"{manager} reports to {user}, so {user} cannot report to them."}
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
        audit_record(
            acting_user=acting_user,
            action="manager.change",
            target=user.email,
            old=old.email if old else "",
            new=manager.email if manager else "",
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
    from django.contrib.auth.models import Permission

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


def user_set_hr(*, user: User, is_hr: bool, acting_user: User | None) -> None:
    """Grant or withdraw the HR admin role; audited."""
    with transaction.atomic():
        group = hr_group()
        was_hr = user.groups.filter(pk=group.pk).exists()
        if was_hr == is_hr:
            return
        if is_hr:
            user.groups.add(group)
        else:
            user.groups.remove(group)
        audit_record(
            acting_user=acting_user,
            action="role.change",
            target=user.email,
            old="hr" if was_hr else "employee",
            new="hr" if is_hr else "employee",
        )
