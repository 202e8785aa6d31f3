"""Reads for the organisation pages: each returns a queryset with what its template needs."""

from django.db.models import Q, QuerySet

from allyship.models import Department, User


def people_search(*, query: str = "", department_id: int | None = None) -> QuerySet[User]:
    """The organisation, searched by name or email; preloads department and manager."""
    people = User.objects.select_related("department", "manager").order_by("full_name", "id")
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    if department_id:
        people = people.filter(department_id=department_id)
    return people


def departments() -> QuerySet[Department]:
    return Department.objects.order_by("name")


def direct_reports(user: User) -> QuerySet[User]:
    """The person's active direct reports, with their department."""
    return (
        User.objects.filter(manager=user, is_active=True)
        .select_related("department")
        .order_by("full_name", "id")
    )
