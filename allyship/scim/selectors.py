"""Reads for SCIM: the people and departments a client may see, and its filters in SQL."""

from django.db.models import CharField, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from scim2_filter_parser.lexer import SCIMLexer
from scim2_filter_parser.parser import SCIMParser
from scim2_filter_parser.transpilers.django_q_object import Transpiler
from scim2_models import InvalidFilterException, NotFoundException

from allyship.models import Department, User

# The attributes a filter may name, and the field each is stored in.
USER_FILTERS = {
    ("id", None, None): "pk",
    ("userName", None, None): "scim_user_name",
    ("externalId", None, None): "scim__external_id",
    ("emails", "value", None): "email",
    ("emails", None, None): "email",
    ("displayName", None, None): "full_name",
    ("active", None, None): "is_active",
}
GROUP_FILTERS = {
    ("id", None, None): "pk",
    ("displayName", None, None): "name",
    ("externalId", None, None): "scim__external_id",
}


class _StrictTranspiler(Transpiler):
    """scim2-filter-parser's Django transpiler, refusing attributes we do not filter on
    (the library would silently drop them, widening the result)."""

    def visit_AttrPath(self, node):
        field = super().visit_AttrPath(node)
        if field is None:
            raise InvalidFilterException(
                detail="Filter on an attribute this server does not index."
            )
        return field


def scim_filter(text: str | None, attr_map: dict) -> Q:
    if not text:
        return Q()
    try:
        tree = SCIMParser().parse(SCIMLexer().tokenize(text))
        query = _StrictTranspiler(attr_map).transpile(tree)
    except InvalidFilterException:
        raise
    except Exception:  # the parser raises bare errors of several kinds on malformed input
        raise InvalidFilterException(detail=f"The filter {text!r} is not valid SCIM.") from None
    if query is None:
        raise InvalidFilterException(detail=f"The filter {text!r} selects nothing we know.")
    return query


def scim_people(filter_text: str | None = None) -> QuerySet[User]:
    """People a SCIM client may see, matching the filter, with everything a resource shows."""
    return (
        User.objects.filter(scim__deleted_at__isnull=True)
        .annotate(scim_user_name=Coalesce("scim__user_name", "email", output_field=CharField()))
        .filter(scim_filter(filter_text, USER_FILTERS))
        .select_related("scim", "department", "manager")
        .order_by("pk")
        .distinct()
    )


def scim_person(pk: str) -> User:
    person = scim_people().filter(pk=int(pk) if pk.isdigit() else None).first()
    if person is None:
        raise NotFoundException(detail=f"No User with id {pk!r}.")
    return person


def scim_departments(filter_text: str | None = None) -> QuerySet[Department]:
    """Departments a SCIM client may see, with their members preloaded."""
    return (
        Department.objects.filter(scim__deleted_at__isnull=True)
        .filter(scim_filter(filter_text, GROUP_FILTERS))
        .select_related("scim")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=User.objects.filter(scim__deleted_at__isnull=True).order_by("pk"),
            )
        )
        .order_by("pk")
        .distinct()
    )


def scim_department(pk: str) -> Department:
    department = scim_departments().filter(pk=int(pk) if pk.isdigit() else None).first()
    if department is None:
        raise NotFoundException(detail=f"No Group with id {pk!r}.")
    return department
