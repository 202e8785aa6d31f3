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


def hr_group() -> Group:
    """The HR admin group, created on first use with the permissions HR needs."""
    group, _ = Group.objects.get_or_create(name=HR_GROUP)
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
