"""The demo organisation: a few named people to sign in as, and a generated crowd around them.

Deterministic (no random data) and idempotent: people are matched by email, so
running it again creates nothing and changes nothing.
"""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from allyship.models import Department, User
from allyship.services import hr_group, roles_refresh

DEMO_PASSWORD = "allyship-demo"
DEPARTMENTS = ["Engineering", "Product", "People", "Sales", "Operations"]
FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Carmen",
    "Dev",
    "Elif",
    "Farah",
    "Gabriel",
    "Hana",
    "Ibrahim",
    "Jonas",
    "Kemi",
    "Luca",
    "Mei",
    "Nadia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sipho",
    "Tomasz",
    "Uma",
    "Victor",
    "Wen",
    "Xavier",
    "Yara",
    "Zeynep",
    "Ama",
    "Bruno",
    "Chen",
    "Dara",
]
LAST_NAMES = [
    "Adeyemi",
    "Bianchi",
    "Cohen",
    "Dubois",
    "Eriksen",
    "Fernandes",
    "Gupta",
    "Haddad",
    "Ivanova",
    "Johansson",
    "Kowalski",
    "Larsen",
    "Mensah",
    "Nakamura",
    "O'Brien",
    "Petrova",
    "Quispe",
    "Rahman",
    "Santos",
    "Tanaka",
    "Usman",
    "Varga",
    "Wójcik",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Abara",
    "Brennan",
    "Castillo",
    "Diallo",
    "Evans",
]


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    department: str
    manager_email: str | None
    is_hr: bool = False


# The named accounts the README lists. manager@ manages employee@ and, through lead@, has
# indirect reports too; the chain goes ceo@ > head > manager@ > lead@ > people.
NAMED_PEOPLE = [
    DemoPerson("ceo@example.com", "Alex Morgan", "Operations", None),
    DemoPerson("head.engineering@example.com", "Ruth Okonkwo", "Engineering", "ceo@example.com"),
    DemoPerson("head.product@example.com", "Marco Rossi", "Product", "ceo@example.com"),
    DemoPerson("head.people@example.com", "Leila Ahmadi", "People", "ceo@example.com"),
    DemoPerson("head.sales@example.com", "Tom Becker", "Sales", "ceo@example.com"),
    DemoPerson("head.operations@example.com", "Ines Duarte", "Operations", "ceo@example.com"),
    DemoPerson("hr@example.com", "Jordan Lee", "People", "head.people@example.com", is_hr=True),
    DemoPerson("manager@example.com", "Maya Patel", "Engineering", "head.engineering@example.com"),
    DemoPerson("employee@example.com", "Sam Rivera", "Engineering", "manager@example.com"),
    DemoPerson("lead@example.com", "Chris Okafor", "Engineering", "manager@example.com"),
    DemoPerson("dana@example.com", "Dana Kim", "Engineering", "manager@example.com"),
    DemoPerson("eli@example.com", "Eli Novak", "Engineering", "manager@example.com"),
    DemoPerson("fatima@example.com", "Fatima Zahra", "Engineering", "manager@example.com"),
    DemoPerson("grace@example.com", "Grace Mwangi", "Engineering", "lead@example.com"),
    DemoPerson("hugo@example.com", "Hugo Laurent", "Engineering", "lead@example.com"),
    DemoPerson("isla@example.com", "Isla Murray", "Engineering", "lead@example.com"),
]
HEAD_OF = {
    "Engineering": "head.engineering@example.com",
    "Product": "head.product@example.com",
    "People": "head.people@example.com",
    "Sales": "head.sales@example.com",
    "Operations": "head.operations@example.com",
}
FAN_OUT = 8


def demo_people(total: int) -> list[DemoPerson]:
    """The named people plus generated ones, each department a tree under its head."""
    people = list(NAMED_PEOPLE)
    generated = max(total - len(people), 0)
    per_department: dict[str, list[str]] = {name: [] for name in DEPARTMENTS}
    for index in range(generated):
        department = DEPARTMENTS[index % len(DEPARTMENTS)]
        members = per_department[department]
        position = len(members)
        # The first FAN_OUT people report to the head; each next person to an earlier colleague.
        if position < FAN_OUT:
            manager_email = HEAD_OF[department]
        else:
            manager_email = members[position // FAN_OUT - 1]
        email = f"person{index + 1:05d}@example.com"
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = LAST_NAMES[(index // len(FIRST_NAMES)) % len(LAST_NAMES)]
        people.append(DemoPerson(email, f"{first} {last}", department, manager_email))
        members.append(email)
    return people


def seed_demo_organisation(*, total: int, batch_size: int = 2000) -> dict[str, int]:
    """Create what is missing of the demo organisation; returns counts of what it created."""
    people = demo_people(total)
    with transaction.atomic():
        departments = {}
        for name in DEPARTMENTS:
            departments[name], _ = Department.objects.get_or_create(name=name)
        existing = set(
            User.objects.filter(email__in=[p.email for p in people]).values_list("email", flat=True)
        )
        password = make_password(DEMO_PASSWORD)
        new_users = [
            User(
                email=p.email,
                full_name=p.full_name,
                department=departments[p.department],
                password=password,
            )
            for p in people
            if p.email not in existing
        ]
        User.objects.bulk_create(new_users, batch_size=batch_size)
        ids = dict(
            User.objects.filter(email__in=[p.email for p in people]).values_list("email", "id")
        )
        created_emails = {user.email for user in new_users}
        to_link = []
        for person in people:
            if person.email in created_emails and person.manager_email:
                to_link.append(User(id=ids[person.email], manager_id=ids[person.manager_email]))
        User.objects.bulk_update(to_link, ["manager"], batch_size=batch_size)
        group = hr_group()
        for person in people:
            if person.is_hr and person.email in created_emails:
                group.user_set.add(ids[person.email])
        admin = User.objects.filter(email="hr@example.com", is_staff=False).update(is_staff=True)
        roles_refresh(user_ids=ids.values())
    return {"created": len(new_users), "departments": len(departments), "staff": admin}
