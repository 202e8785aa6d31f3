"""Our people and departments as SCIM resources (scim2-models), and the discovery documents.

Only the attributes we keep are published in /Schemas, so a client never sends what we
would silently drop: userName (the work email address), name, displayName, emails, active,
groups (read-only: the department) and, from the enterprise extension, department and manager.
"""

from typing import Any

from django.urls import reverse
from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    EnterpriseUser,
    ETag,
    Filter,
    Group,
    GroupMember,
    GroupMembership,
    Manager,
    Meta,
    Patch,
    ResourceType,
    Schema,
    ScimPolicy,
    ServiceProviderConfig,
    Sort,
    User,
)

from allyship.models import Department
from allyship.models import User as Person

ScimPerson = User[EnterpriseUser]
ENTERPRISE_URN = str(EnterpriseUser.__schema__)
MAX_RESULTS = 200

# What we tolerate from clients: attributes outside our schema are dropped rather than
# refused, and the PATCH shapes Microsoft Entra ID sends (remove by value, a filter that
# describes the entry to create) are applied.
POLICY = ScimPolicy(
    unknown=ScimPolicy.Unknown.ignore,
    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
    unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create,
)

USER_ATTRIBUTES = {"userName", "name", "displayName", "active", "emails", "groups"}
ENTERPRISE_ATTRIBUTES = {"department", "manager"}
GROUP_ATTRIBUTES = {"displayName", "members"}


def absolute(request, name: str, *args: Any) -> str:
    return request.build_absolute_uri(reverse(f"scim:{name}", args=args))


def _trimmed(schema: Schema, keep: set[str], request, location_id: str) -> Schema:
    schema.attributes = [attribute for attribute in schema.attributes if attribute.name in keep]
    schema.meta = Meta(resource_type="Schema", location=absolute(request, "schema", location_id))
    return schema


def schemas(request) -> list[Schema]:
    """The three schemas we serve, each listing only the attributes we keep. A person signs
    in with a work email address, so `emails` is required (a userName need not be one)."""
    user = User.to_schema()
    for attribute in user.attributes:
        if attribute.name == "active":
            attribute.required = True  # everyone is active or not; omitted means active
        if attribute.name == "emails":
            attribute.required = True
            for sub_attribute in attribute.sub_attributes or []:
                if sub_attribute.name == "value":
                    sub_attribute.required = True
    enterprise = EnterpriseUser.to_schema()
    group = Group.to_schema()
    for attribute in group.attributes:
        if attribute.name == "members":
            # Membership is by id; we do not keep a client's label for it.
            attribute.sub_attributes = [
                sub for sub in attribute.sub_attributes or [] if sub.name != "display"
            ]
    return [
        _trimmed(user, USER_ATTRIBUTES, request, str(user.id)),
        _trimmed(enterprise, ENTERPRISE_ATTRIBUTES, request, str(enterprise.id)),
        _trimmed(group, GROUP_ATTRIBUTES, request, str(group.id)),
    ]


def resource_types(request) -> list[ResourceType]:
    user = ResourceType.from_resource(ScimPerson)
    user.meta = Meta(
        resource_type="ResourceType", location=absolute(request, "resource-type", "User")
    )
    group = ResourceType.from_resource(Group)
    group.meta = Meta(
        resource_type="ResourceType", location=absolute(request, "resource-type", "Group")
    )
    return [user, group]


def service_provider_config(request) -> ServiceProviderConfig:
    return ServiceProviderConfig(
        documentation_uri=None,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme(
                type="oauthbearertoken",
                name="Bearer token",
                description="A token HR creates in the admin or with manage.py scim_token.",
                primary=True,
            )
        ],
        meta=Meta(
            resource_type="ServiceProviderConfig",
            location=absolute(request, "service-provider-config"),
        ),
    )


def person_resource(request, person: Person) -> ScimPerson:
    """A person as a SCIM User; the person comes with scim, department and manager loaded."""
    link = getattr(person, "scim", None) if hasattr(person, "scim") else None
    if link is not None:
        display_name, name, emails = link.display_name, link.name or None, link.emails or None
        external_id, modified = link.external_id, link.updated_at
    else:
        display_name, name, emails = person.full_name or None, None, None
        external_id, modified = None, person.date_joined
        if person.full_name:
            name = {"formatted": person.full_name}
    if emails is None:
        emails = [{"value": person.email, "type": "work", "primary": True}]
    resource = ScimPerson(
        id=str(person.pk),
        external_id=external_id,
        user_name=(link.user_name if link is not None else None) or person.email,
        display_name=display_name,
        name=name,
        emails=emails,
        active=person.is_active,
        groups=(
            [
                GroupMembership(
                    value=str(person.department_id),
                    ref=absolute(request, "group", person.department_id),
                    display=person.department.name,
                )
            ]
            if person.department_id
            else None
        ),
        meta=Meta(
            resource_type="User",
            created=person.date_joined,
            last_modified=max(modified, person.date_joined),
            location=absolute(request, "user", person.pk),
        ),
    )
    enterprise = EnterpriseUser(
        department=person.department.name if person.department_id else None,
        manager=(
            Manager(
                value=str(person.manager_id),
                ref=absolute(request, "user", person.manager_id),
            )
            if person.manager_id
            else None
        ),
    )
    if enterprise.department or enterprise.manager:
        resource[EnterpriseUser] = enterprise
    return resource


def department_resource(request, department: Department, members: list[Person]) -> Group:
    """A department as a SCIM Group with its (active and inactive) members."""
    link = getattr(department, "scim", None) if hasattr(department, "scim") else None
    return Group(
        id=str(department.pk),
        external_id=link.external_id if link else None,
        display_name=department.name,
        members=[
            GroupMember(
                value=str(member.pk),
                ref=absolute(request, "user", member.pk),
                type="User",
            )
            for member in members
        ]
        or None,
        meta=Meta(
            resource_type="Group",
            created=link.updated_at if link else None,
            last_modified=link.updated_at if link else None,
            location=absolute(request, "group", department.pk),
        ),
    )
