import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from allyship.models import AuditEntry
from allyship.services import user_set_manager
from learning.assignments import (
    LATE_JOINER_MIN_DAYS,
    assignment_rule_create,
    assignment_rule_set_due_date,
    assignment_rule_withdraw,
    assignment_rules_apply,
    late_joiner_due_on,
    rule_members,
)
from learning.models import (
    Assignment,
    AssignmentRule,
    AssignmentScope,
    CourseProgress,
    LearningSummary,
)
from tests.factories import DepartmentFactory, UserFactory
from tests.hr.factories import course_with_modules, days

pytestmark = pytest.mark.django_db


def assigned(course) -> set[str]:
    return set(
        Assignment.objects.filter(course=course, withdrawn_at__isnull=True).values_list(
            "user__email", flat=True
        )
    )


def test_assign_to_chosen_people(hr, course, employee, outsider):
    outcome = assignment_rule_create(
        course=course,
        scope=AssignmentScope.PEOPLE,
        people=[employee, outsider],
        due_on=days(10),
        acting_user=hr,
    )
    assert outcome.assigned == 2
    assert assigned(course) == {employee.email, outsider.email}
    assert Assignment.objects.filter(course=course, due_on=days(10), assigned_by=hr).count() == 2


def test_assign_to_a_department_skips_people_who_have_left(hr, course):
    sales = DepartmentFactory(name="Sales")
    seller = UserFactory(department=sales)
    UserFactory(department=sales, is_active=False)
    UserFactory()  # Engineering
    assignment_rule_create(
        course=course,
        scope=AssignmentScope.DEPARTMENT,
        department=sales,
        due_on=days(10),
        acting_user=hr,
    )
    assert assigned(course) == {seller.email}


def test_assign_to_a_managers_whole_team_reaches_indirect_reports(hr, course, manager, employee):
    grandchild = UserFactory(manager=employee)
    assignment_rule_create(
        course=course,
        scope=AssignmentScope.TEAM,
        team_manager=manager,
        due_on=days(10),
        acting_user=hr,
    )
    assert assigned(course) == {employee.email, grandchild.email}


def test_assign_to_everyone(hr, course, employee, outsider):
    assignment_rule_create(
        course=course, scope=AssignmentScope.EVERYONE, due_on=days(10), acting_user=hr
    )
    assert {employee.email, outsider.email, hr.email} <= assigned(course)


def test_someone_who_already_has_the_course_keeps_their_due_date(hr, course, employee):
    assignment_rule_create(
        course=course,
        scope=AssignmentScope.PEOPLE,
        people=[employee],
        due_on=days(5),
        acting_user=hr,
    )
    outcome = assignment_rule_create(
        course=course, scope=AssignmentScope.EVERYONE, due_on=days(20), acting_user=hr
    )
    assert outcome.already_assigned == 1
    assert Assignment.objects.get(user=employee, course=course).due_on == days(5)


def test_a_withdrawn_assignment_comes_back_with_its_progress(hr, course, employee):
    first = assignment_rule_create(
        course=course,
        scope=AssignmentScope.PEOPLE,
        people=[employee],
        due_on=days(5),
        acting_user=hr,
    ).rule
    CourseProgress.objects.create(user=employee, course=course, percent=40)
    assignment_rule_withdraw(rule=first, acting_user=hr)
    again = assignment_rule_create(
        course=course, scope=AssignmentScope.EVERYONE, due_on=days(20), acting_user=hr
    )
    assignment = Assignment.objects.get(user=employee, course=course)
    assert assignment.withdrawn_at is None and assignment.rule == again.rule
    assert assignment.due_on == days(20)
    assert CourseProgress.objects.get(user=employee, course=course).percent == 40


def test_late_joiners_of_a_department_receive_its_rule(hr, course):
    sales = DepartmentFactory(name="Sales")
    rule = assignment_rule_create(
        course=course,
        scope=AssignmentScope.DEPARTMENT,
        department=sales,
        due_on=days(30),
        acting_user=hr,
    ).rule
    newcomer = UserFactory(department=sales)
    mover = UserFactory()  # joins Engineering, then moves to Sales
    assert assignment_rules_apply(user=newcomer) == 1
    assert assignment_rules_apply(user=mover) == 0
    mover.department = sales
    mover.save()
    assert assignment_rules_apply(user=mover) == 1
    assert assigned(course) == {newcomer.email, mover.email}
    assert Assignment.objects.get(user=newcomer).rule == rule
    assert assignment_rules_apply(user=newcomer) == 0  # once only


def test_late_joiners_of_a_team_receive_its_rule_at_any_depth(hr, course, manager, employee):
    assignment_rule_create(
        course=course,
        scope=AssignmentScope.TEAM,
        team_manager=manager,
        due_on=days(30),
        acting_user=hr,
    )
    newcomer = UserFactory()
    user_set_manager(user=newcomer, manager=employee, acting_user=hr)
    assignment_rules_apply(user=newcomer)
    assert newcomer.email in assigned(course)


def test_late_joiners_get_everyone_rules_but_not_people_rules(hr, course, employee):
    other = type(course).objects.create(slug="other", title="Other", module_count=0)
    assignment_rule_create(
        course=course, scope=AssignmentScope.EVERYONE, due_on=days(30), acting_user=hr
    )
    assignment_rule_create(
        course=other,
        scope=AssignmentScope.PEOPLE,
        people=[employee],
        due_on=days(30),
        acting_user=hr,
    )
    newcomer = UserFactory()
    assignment_rules_apply(user_ids=[newcomer.pk])
    assert set(Assignment.objects.filter(user=newcomer).values_list("course", flat=True)) == {
        course.pk
    }


def test_withdrawn_rules_do_not_reach_late_joiners(hr, course):
    rule = assignment_rule_create(
        course=course, scope=AssignmentScope.EVERYONE, due_on=days(30), acting_user=hr
    ).rule
    assignment_rule_withdraw(rule=rule, acting_user=hr)
    assert assignment_rules_apply(user=UserFactory()) == 0


def test_a_late_joiner_is_never_given_an_already_overdue_course(hr, course):
    rule = assignment_rule_create(
        course=course, scope=AssignmentScope.EVERYONE, due_on=days(3), acting_user=hr
    ).rule
    # The rule was made 40 days ago and its due date has passed.
    type(rule).objects.filter(pk=rule.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40), due_on=days(-20)
    )
    newcomer = UserFactory()
    assignment_rules_apply(user=newcomer)
    due = Assignment.objects.get(user=newcomer).due_on
    assert due >= days(LATE_JOINER_MIN_DAYS)


def test_a_late_joiner_gets_as_long_as_the_group_first_had():
    today = timezone.localdate()
    made = timezone.now() - datetime.timedelta(days=10)
    # Made ten days ago, due in twenty: the group had thirty days, and so does a newcomer.
    rule = AssignmentRule(created_at=made, due_on=today + datetime.timedelta(days=20))
    assert late_joiner_due_on(rule, today) == today + datetime.timedelta(days=30)
    # A short window is stretched to the minimum.
    rule = AssignmentRule(created_at=made, due_on=today - datetime.timedelta(days=8))
    assert late_joiner_due_on(rule, today) == today + datetime.timedelta(days=LATE_JOINER_MIN_DAYS)


def test_a_people_rule_covers_exactly_its_own_active_assignees(hr, course, employee, outsider):
    rule = assignment_rule_create(
        course=course,
        scope=AssignmentScope.PEOPLE,
        people=[employee],
        due_on=days(5),
        acting_user=hr,
    ).rule
    assignment_rule_create(
        course=course_with_modules(1, slug="other-course"),
        scope=AssignmentScope.PEOPLE,
        people=[outsider],
        due_on=days(5),
        acting_user=hr,
    )
    assert list(rule_members(rule)) == [employee]


def test_changing_the_due_date_keeps_progress_and_is_audited(hr, course, employee):
    rule = assignment_rule_create(
        course=course, scope=AssignmentScope.EVERYONE, due_on=days(5), acting_user=hr
    ).rule
    CourseProgress.objects.create(user=employee, course=course, percent=60)
    assignment_rule_set_due_date(rule=rule, due_on=days(25), acting_user=hr)
    assert set(Assignment.objects.filter(rule=rule).values_list("due_on", flat=True)) == {days(25)}
    assert CourseProgress.objects.get(user=employee, course=course).percent == 60
    entry = AuditEntry.objects.get(action="assignment.due_date")
    assert (entry.actor, entry.old_value, entry.new_value) == (
        hr,
        days(5).isoformat(),
        days(25).isoformat(),
    )


def _rule_and_another_courses(hr, course, employee, outsider):
    """A people rule for both, due in five days, and another course's rule for the employee."""

    def people_rule(for_course, people):
        return assignment_rule_create(
            course=for_course,
            scope=AssignmentScope.PEOPLE,
            people=people,
            due_on=days(5),
            acting_user=hr,
        ).rule

    other_course = course_with_modules(1, slug="other-course")
    return people_rule(course, [employee, outsider]), people_rule(other_course, [employee])


def test_a_new_due_date_moves_only_that_rules_live_assignments(hr, course, employee, outsider):
    rule, other = _rule_and_another_courses(hr, course, employee, outsider)
    Assignment.objects.filter(rule=rule, user=outsider).update(withdrawn_at=timezone.now())
    assignment_rule_set_due_date(rule=rule, due_on=days(40), acting_user=hr)
    due = {(a.rule_id, a.user_id): a.due_on for a in Assignment.objects.all()}
    assert due == {
        (rule.pk, employee.pk): days(40),
        (rule.pk, outsider.pk): days(5),  # withdrawn before: left as it was
        (other.pk, employee.pk): days(5),
    }
    assert LearningSummary.objects.get(user=employee).next_due_on == days(5)
    entry = AuditEntry.objects.get(action="assignment.due_date")
    assert entry.target == f"{course.title}: Chosen people"
    assignment_rule_withdraw(rule=rule, acting_user=hr)
    with pytest.raises(ValidationError) as caught:
        assignment_rule_set_due_date(rule=rule, due_on=days(50), acting_user=hr)
    assert caught.value.messages == ["This assignment has been withdrawn."]


def test_withdrawing_keeps_progress_and_is_audited(hr, course, employee):
    rule = assignment_rule_create(
        course=course, scope=AssignmentScope.EVERYONE, due_on=days(5), acting_user=hr
    ).rule
    CourseProgress.objects.create(user=employee, course=course, percent=60)
    count = assignment_rule_withdraw(rule=rule, acting_user=hr)
    assert count >= 1
    assert not assigned(course)
    assert Assignment.objects.filter(rule=rule).count() == count  # rows kept, marked withdrawn
    assert CourseProgress.objects.get(user=employee, course=course).percent == 60
    assert AuditEntry.objects.filter(action="assignment.withdraw", actor=hr).count() == 1
    assert assignment_rule_withdraw(rule=rule, acting_user=hr) == 0
    with pytest.raises(ValidationError):
        assignment_rule_set_due_date(rule=rule, due_on=days(9), acting_user=hr)


def test_withdrawing_touches_only_that_rules_live_assignments(hr, course, employee, outsider):
    rule, other = _rule_and_another_courses(hr, course, employee, outsider)
    earlier = timezone.now() - datetime.timedelta(days=3)
    Assignment.objects.filter(rule=rule, user=outsider).update(withdrawn_at=earlier)
    assert assignment_rule_withdraw(rule=rule, acting_user=hr) == 1
    # Withdrawn before: keeps its own date. The other course's rule is untouched.
    assert Assignment.objects.get(rule=rule, user=outsider).withdrawn_at == earlier
    assert Assignment.objects.get(rule=other, user=employee).withdrawn_at is None
    # The person's row in the HR table follows: one course left.
    assert LearningSummary.objects.get(user=employee).assigned == 1
    entry = AuditEntry.objects.get(action="assignment.withdraw")
    assert (entry.actor, entry.target, entry.old_value, entry.new_value) == (
        hr,
        f"{course.title}: Chosen people",
        f"due {days(5).isoformat()}; 1 people",
        "withdrawn",
    )


def test_creating_an_assignment_is_audited(hr, course):
    assignment_rule_create(
        course=course, scope=AssignmentScope.EVERYONE, due_on=days(5), acting_user=hr
    )
    entry = AuditEntry.objects.get(action="assignment.create")
    assert entry.actor == hr and course.title in entry.target and "Everyone" in entry.target
    assert entry.new_value == f"due {days(5).isoformat()}; 1 assigned, 0 already had it"


@pytest.mark.parametrize("size", [3, 30])
def test_applying_rules_costs_the_same_queries_for_many_people(
    hr, course, django_assert_num_queries, size
):
    sales = DepartmentFactory(name="Sales")
    assignment_rule_create(
        course=course,
        scope=AssignmentScope.DEPARTMENT,
        department=sales,
        due_on=days(9),
        acting_user=hr,
    )
    people = [UserFactory(department=sales) for _ in range(size)]
    # The rules and their members, their assignments of the course (a withdrawn one comes
    # back), the insert, then the learning summaries of the new assignees (create missing
    # rows, lock, read the people and their assignments, write): per slice of ids.
    with django_assert_num_queries(14):
        assert assignment_rules_apply(user_ids=[p.pk for p in people]) == size


# People leaders: everyone with at least one active report --------------------------------


def test_assign_to_people_leaders_reaches_everyone_with_an_active_report(hr, course, employee):
    boss = employee.manager.manager  # the manager fixture reports to a boss
    former_lead = UserFactory(email="former.lead@test.example")
    UserFactory(manager=former_lead, is_active=False)  # their only report has left
    departed_lead = UserFactory(email="departed.lead@test.example", is_active=False)
    UserFactory(manager=departed_lead)
    outcome = assignment_rule_create(
        course=course, scope=AssignmentScope.PEOPLE_LEADERS, due_on=days(21), acting_user=hr
    )
    assert outcome.assigned == 2
    assert assigned(course) == {"manager@test.example", boss.email}
    entry = AuditEntry.objects.get(action="assignment.create")
    assert entry.target == f"{course.title}: People leaders"


def test_someone_who_becomes_a_manager_later_receives_the_people_leaders_rule(
    hr, course, manager, outsider
):
    rule = assignment_rule_create(
        course=course, scope=AssignmentScope.PEOPLE_LEADERS, due_on=days(30), acting_user=hr
    ).rule
    assert outsider.email not in assigned(course)
    assert assignment_rules_apply(user=outsider) == 0  # no report yet
    hire = UserFactory(email="first.report@test.example")
    user_set_manager(user=hire, manager=outsider, acting_user=hr)
    assert assignment_rules_apply(user_ids=[hire.pk, outsider.pk]) == 1
    assignment = Assignment.objects.get(user=outsider, course=course)
    assert assignment.rule == rule and assignment.due_on == days(30)
    assert hire.email not in assigned(course)  # a report is not a people leader
    assert assignment_rules_apply(user=outsider) == 0  # once only


def test_a_people_import_that_gives_someone_their_first_report_assigns_them(hr, course, manager):
    from allyship.people.importer import people_import_apply, people_import_preview
    from tests.hr.factories import csv_bytes

    assignment_rule_create(
        course=course, scope=AssignmentScope.PEOPLE_LEADERS, due_on=days(30), acting_user=hr
    )
    future_lead = UserFactory(email="future.lead@test.example", full_name="Future Lead")
    data = csv_bytes(
        [
            ["future.lead@test.example", "Future Lead", future_lead.department.name, "", "", ""],
            ["their.hire@test.example", "Their Hire", "", "future.lead@test.example", "", ""],
        ]
    )
    batch = people_import_preview(data=data, file_name="people.csv", acting_user=hr)
    assert people_import_apply(batch=batch, acting_user=hr).applied
    assert "future.lead@test.example" in assigned(course)
    assert "their.hire@test.example" not in assigned(course)


def test_hr_assigns_a_course_to_people_leaders_through_the_form(client, hr, course, employee):
    from django.urls import reverse

    hr_client = client
    hr_client.force_login(hr)
    form = hr_client.get(reverse("hr:assignment-create"))
    assert 'value="people-leaders"' in form.text
    assert "People leaders (everyone with at least one report)" in form.text
    response = hr_client.post(
        reverse("hr:assignment-create"),
        {
            "course": course.pk,
            "scope": AssignmentScope.PEOPLE_LEADERS,
            "due_on": days(14).isoformat(),
        },
        follow=True,
    )
    assert f"Assigned “{course.title}” to 2 people." in response.text
    assert assigned(course) == {"manager@test.example", employee.manager.manager.email}
    listing = hr_client.get(reverse("hr:assignments"))
    assert "People leaders" in listing.text


def _rule_for_engineering(hr, course, department, due=30):
    return assignment_rule_create(
        course=course,
        scope=AssignmentScope.DEPARTMENT,
        department=department,
        due_on=days(due),
        acting_user=hr,
    )


def test_the_same_group_rule_twice_in_a_row_makes_one_rule_and_one_audit_row(hr, course):
    from learning.models import AssignmentRule

    engineering = DepartmentFactory(name="Engineering")
    UserFactory(department=engineering)
    _rule_for_engineering(hr, course, engineering)
    with pytest.raises(ValidationError) as caught:
        _rule_for_engineering(hr, course, engineering, due=40)
    assert caught.value.messages == [
        f"“{course.title}” is already assigned to the Engineering department (due "
        f"{days(30):%-d %B %Y}), so nothing new was made. To change the due date, open that "
        "assignment from the list of assignments."
    ]
    assert AssignmentRule.objects.filter(course=course).count() == 1
    assert AuditEntry.objects.filter(action="assignment.create").count() == 1


def test_after_withdrawing_the_group_can_be_assigned_the_course_again(hr, course):
    engineering = DepartmentFactory(name="Engineering")
    UserFactory(department=engineering)
    first = _rule_for_engineering(hr, course, engineering).rule
    assignment_rule_withdraw(rule=first, acting_user=hr)
    second = _rule_for_engineering(hr, course, engineering).rule
    assert second.pk != first.pk


def test_the_database_refuses_a_second_live_rule_for_the_same_group(hr, course):
    from django.db import IntegrityError, transaction

    from learning.models import AssignmentRule

    AssignmentRule.objects.create(
        course=course, scope=AssignmentScope.EVERYONE, due_on=days(5), group_key="everyone"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentRule.objects.create(
            course=course, scope=AssignmentScope.EVERYONE, due_on=days(9), group_key="everyone"
        )


def test_posting_the_assignment_form_twice_shows_the_existing_one(client, hr, course):
    from django.urls import reverse

    from learning.models import AssignmentRule

    engineering = DepartmentFactory(name="Engineering")
    UserFactory(department=engineering)
    client.force_login(hr)
    data = {
        "course": course.pk,
        "scope": AssignmentScope.DEPARTMENT,
        "department": engineering.pk,
        "due_on": days(30).isoformat(),
    }
    assert client.post(reverse("hr:assignment-create"), data).status_code == 302
    again = client.post(reverse("hr:assignment-create"), data)
    assert again.status_code == 400
    assert "is already assigned to the Engineering department" in again.content.decode()
    assert AssignmentRule.objects.count() == 1
