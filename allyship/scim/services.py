"""Writes made by SCIM clients and by HR for SCIM. Each validates first, then saves inside
one transaction with an audit row; nothing is ever deleted (a deleted person is inactive).

Errors are the protocol's own exceptions (scim2-models), which the views turn into SCIM
error responses: the client learns what was wrong and nothing has changed.
"""

import json
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from scim2_models import (
    EnterpriseUser,
    Group,
    InvalidValueException,
    UniquenessException,
)

from allyship.models import Department, User
from allyship.scim.models import ScimGroup, ScimToken, ScimUser, token_digest
from allyship.scim.resources import ScimPerson
from allyship.services import audit_record, roles_refresh, validate_manager
from learning.assignments import assignment_rules_apply
from learning.summaries import learning_summaries_refresh

TOKEN_BYTES = 32


def scim_token_create(*, name: str, acting_user: User | None) -> tuple[ScimToken, str]:
    """Create a bearer token; returns it with its only readable copy. Audited."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, such as the identity provider's."})
    if ScimToken.objects.filter(name=name).exists():
        raise ValidationError({"name": f"A token named {name!r} already exists."})
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        token = ScimToken.objects.create(
            name=name, digest=token_digest(raw), prefix=raw[:8], created_by=acting_user
        )
        audit_record(acting_user=acting_user, action="scim.token.create", target=name)
    return token, raw


def scim_token_revoke(*, token: ScimToken, acting_user: User | None) -> bool:
    """Revoke a token at once; False when it was already revoked. Audited."""
    with transaction.atomic():
        revoked = ScimToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if revoked:
            audit_record(acting_user=acting_user, action="scim.token.revoke", target=token.name)
    return bool(revoked)


def _summary(person: User) -> dict:
    return {
        "email": person.email,
        "name": person.full_name,
        "active": person.is_active,
        "department": person.department.name if person.department_id else "",
        "manager": person.manager.email if person.manager_id else "",
    }


def _audit(*, token: ScimToken, action: str, target: str, old: dict | None, new: dict) -> None:
    audit_record(
        acting_user=None,
        action=action,
        target=target,
        old=json.dumps(old, sort_keys=True) if old else "",
        new=json.dumps({**new, "via": f"SCIM token {token.name}"}, sort_keys=True),
    )


def _full_name(resource: ScimPerson, email: str) -> str:
    if resource.display_name:
        return resource.display_name.strip()[:150]
    name = resource.name
    if name and name.formatted:
        return name.formatted.strip()[:150]
    if name and (name.given_name or name.family_name):
        return " ".join(part for part in (name.given_name, name.family_name) if part)[:150]
    return email.split("@")[0]


def _manager_for(person: User, resource: ScimPerson) -> User | None:
    enterprise = resource[EnterpriseUser]
    value = enterprise.manager.value if enterprise and enterprise.manager else None
    if not value:
        return None
    manager = (
        User.objects.filter(pk=int(value), scim__deleted_at__isnull=True).first()
        if value.isdigit()
        else None
    )
    if manager is None:
        raise InvalidValueException(detail=f"The manager {value!r} is not a person here.")
    try:
        validate_manager(user=person, manager=manager)
    except ValidationError as error:
        raise InvalidValueException(detail=" ".join(error.messages)) from None
    return manager


def _department_for(resource: ScimPerson) -> Department | None:
    enterprise = resource[EnterpriseUser]
    name = (enterprise.department or "").strip() if enterprise else ""
    if not name:
        return None
    department, _ = Department.objects.get_or_create(name=name[:120])
    return department


def _valid_email(value: str | None) -> str | None:
    value = (value or "").strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        return None
    return value


def _email_for(resource: ScimPerson) -> str:
    """The address a person signs in with: their primary email, else the first one, else a
    userName that is an email address."""
    emails = sorted(resource.emails or [], key=lambda email: not email.primary)
    for candidate in [email.value for email in emails] + [resource.user_name]:
        if email := _valid_email(candidate):
            return email
    raise InvalidValueException(
        detail="A person needs a work email address: in emails, or as their userName."
    )


def _check_unique(person: User, user_name: str, email: str, external_id: str | None) -> None:
    others = User.objects.exclude(pk=person.pk) if person.pk else User.objects.all()
    if others.filter(email__iexact=email).exists():
        raise UniquenessException(detail=f"Someone already has the email address {email!r}.")
    if (
        others.filter(scim__user_name__iexact=user_name).exists()
        or others.filter(scim__user_name__isnull=True, email__iexact=user_name).exists()
    ):
        raise UniquenessException(detail=f"Someone already has the userName {user_name!r}.")
    if (
        external_id
        and ScimUser.objects.filter(external_id=external_id).exclude(user_id=person.pk).exists()
    ):
        raise UniquenessException(detail=f"Someone already has the externalId {external_id!r}.")


def _apply(person: User, resource: ScimPerson, *, token: ScimToken, action: str) -> User:
    """Write the resource onto the person (new or existing) with their SCIM link; audited."""
    user_name = (resource.user_name or "").strip()
    if not user_name:
        raise InvalidValueException(detail="userName is required.")
    email = _email_for(resource)
    _check_unique(person, user_name, email, resource.external_id)
    old = _summary(person) if person.pk else None
    moved_from = (person.department_id, person.manager_id)
    try:
        with transaction.atomic():
            manager = _manager_for(person, resource)
            person.email = email
            person.full_name = _full_name(resource, email)
            person.is_active = resource.active is not False
            person.department = _department_for(resource)
            person.manager = manager
            if person.pk is None:
                person.set_unusable_password()
            person.save()
            # The old and new manager gain or lose a report (joining, leaving, going inactive).
            roles_refresh(user_ids=[person.pk, moved_from[1], person.manager_id])
            ScimUser.objects.update_or_create(
                user=person,
                defaults={
                    "user_name": user_name,
                    "external_id": resource.external_id or None,
                    "display_name": resource.display_name,
                    "name": resource.name.model_dump(exclude_none=True) if resource.name else {},
                    "emails": [
                        email.model_dump(exclude_none=True) for email in resource.emails or []
                    ],
                    "updated_at": timezone.now(),
                    "deleted_at": None,
                },
            )
            new = _summary(person)
            if new != old:
                _audit(token=token, action=action, target=email, old=old, new=new)
            if old is None or moved_from != (person.department_id, person.manager_id):
                assignment_rules_apply(user=person)
    except IntegrityError:
        # Two requests creating the same person at once: the database keeps one.
        raise UniquenessException(
            detail=f"Someone already has the userName {user_name!r}."
        ) from None
    return person


def scim_user_create(*, resource: ScimPerson, token: ScimToken, acting_user: None = None) -> User:
    """Create a person from a SCIM User; their groups' assignment rules reach them. Audited."""
    return _apply(User(), resource, token=token, action="scim.user.create")


def scim_user_update(
    *, person: User, resource: ScimPerson, token: ScimToken, acting_user: None = None
) -> User:
    """Replace a person's SCIM-managed fields (PUT, or the result of a PATCH). Audited;
    moving department or manager applies the new group's assignment rules."""
    return _apply(person, resource, token=token, action="scim.user.update")


def scim_user_delete(*, person: User, token: ScimToken, acting_user: None = None) -> None:
    """The provider deleted the person: they become inactive and leave SCIM; their learning
    records stay. Audited."""
    with transaction.atomic():
        old = _summary(person)
        User.objects.filter(pk=person.pk).update(is_active=False)
        roles_refresh(user_ids=[person.manager_id])
        learning_summaries_refresh(user_ids=[person.pk])
        ScimUser.objects.update_or_create(
            user=person, defaults={"deleted_at": timezone.now(), "updated_at": timezone.now()}
        )
        _audit(
            token=token,
            action="scim.user.delete",
            target=person.email,
            old=old,
            new={**old, "active": False},
        )


def _members(resource: Group) -> list[User]:
    ids = [member.value for member in resource.members or [] if member.value]
    wanted = {int(value) for value in ids if value.isdigit()}
    found = list(User.objects.filter(pk__in=wanted, scim__deleted_at__isnull=True))
    missing = sorted(set(ids) - {str(person.pk) for person in found})
    if missing:
        raise InvalidValueException(detail=f"These members are not people here: {missing}.")
    return found


def _apply_group(
    department: Department, resource: Group, *, token: ScimToken, action: str
) -> Department:
    name = (resource.display_name or "").strip()[:120]
    if not name:
        raise InvalidValueException(detail="displayName is required.")
    clash = Department.objects.filter(name=name).exclude(pk=department.pk).first()
    if clash is not None and department.pk is not None:
        raise UniquenessException(detail=f"A group named {name!r} already exists.")
    if clash is not None:
        link = ScimGroup.objects.filter(department=clash).first()
        if link is not None and link.deleted_at is None:
            raise UniquenessException(detail=f"A group named {name!r} already exists.")
        department = clash  # an existing department (say, from the CSV import) joins SCIM
    external_id = resource.external_id or None
    if (
        external_id
        and ScimGroup.objects.filter(external_id=external_id)
        .exclude(department_id=department.pk)
        .exists()
    ):
        raise UniquenessException(detail=f"A group has the externalId {external_id!r} already.")
    members = _members(resource)
    try:
        with transaction.atomic():
            old_name = department.name if department.pk else ""
            department.name = name
            department.save()
            ScimGroup.objects.update_or_create(
                department=department,
                defaults={
                    "external_id": external_id,
                    "updated_at": timezone.now(),
                    "deleted_at": None,
                },
            )
            before = set(User.objects.filter(department=department).values_list("email", flat=True))
            member_ids = {person.pk for person in members}
            leaving = list(
                User.objects.filter(department=department)
                .exclude(pk__in=member_ids)
                .values_list("pk", flat=True)
            )
            User.objects.filter(pk__in=leaving).update(department=None)
            joining = [person.pk for person in members if person.department_id != department.pk]
            User.objects.filter(pk__in=joining).update(department=department)
            learning_summaries_refresh(user_ids=leaving + joining)
            after = {person.email for person in members}
            if old_name != name or before != after:
                _audit(
                    token=token,
                    action=action,
                    target=name,
                    old={"name": old_name, "members": sorted(before)} if old_name else None,
                    new={"name": name, "members": sorted(after)},
                )
            if joining:
                assignment_rules_apply(user_ids=joining)
    except IntegrityError:
        raise UniquenessException(detail=f"A group named {name!r} already exists.") from None
    return department


def scim_group_create(*, resource: Group, token: ScimToken, acting_user: None = None) -> Department:
    """Create a department (or take over one of the same name) with its members. Audited."""
    return _apply_group(Department(), resource, token=token, action="scim.group.create")


def scim_group_update(
    *, department: Department, resource: Group, token: ScimToken, acting_user: None = None
) -> Department:
    """Rename a department and set its members; joiners get its assignment rules. Audited."""
    return _apply_group(department, resource, token=token, action="scim.group.update")


def scim_group_delete(
    *, department: Department, token: ScimToken, acting_user: None = None
) -> None:
    """The provider deleted the group: its people leave the department, which we keep (its
    assignment history refers to it) but no longer show over SCIM. Audited."""
    with transaction.atomic():
        people = dict(User.objects.filter(department=department).values_list("pk", "email"))
        members = sorted(people.values())
        User.objects.filter(pk__in=people).update(department=None)
        learning_summaries_refresh(user_ids=people)
        ScimGroup.objects.update_or_create(
            department=department,
            defaults={"deleted_at": timezone.now(), "updated_at": timezone.now()},
        )
        _audit(
            token=token,
            action="scim.group.delete",
            target=department.name,
            old={"name": department.name, "members": members},
            new={"name": department.name, "members": []},
        )
