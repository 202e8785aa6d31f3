"""factory-boy factories for every model, with sequences (no random data) and role traits."""

import factory
from django.contrib.auth.models import Group

from allyship.models import HR_GROUP, AuditEntry, Department, User

PASSWORD = "correct-horse-battery"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Department {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@test.example")
    full_name = factory.Sequence(lambda n: f"Person {n:04d}")
    department = factory.SubFactory(DepartmentFactory, name="Engineering")
    password = factory.django.Password(PASSWORD)

    class Params:
        hr = factory.Trait(
            is_staff=True,
            hr_role=factory.PostGeneration(
                lambda user, create, extracted, **kw: user.groups.add(
                    Group.objects.get_or_create(name=HR_GROUP)[0]
                )
            ),
        )


class AuditEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEntry

    actor = factory.SubFactory(UserFactory)
    action = "test.action"
    target = factory.Sequence(lambda n: f"target {n}")
