"""The assignment rules' writes and reads (learning/assignments.py), called directly, with
every value written out.

The clock stands still at 12:03:30 UTC on Tuesday 24 November 2026 (the `clock` fixture), so
"today" is 24 November 2026 and due dates are dates on a calendar, not offsets. Rows whose
`created_at` the code reads (a rule's, for a late joiner's window) are given one by hand:
the model's default reads the real clock, not the still one.
"""

import datetime
import hashlib
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from allyship.models import AuditEntry, Department
from learning.assignments import (
    RuleOutcome,
    _refuse_a_second_live_rule,
    _validate_due_on,
    _validate_group,
    assign_rule_members,
    assignment_rule_create,
    assignment_rule_set_due_date,
    assignment_rule_withdraw,
    assignment_rules_apply,
    late_joiner_due_on,
    rule_group_description,
    rule_members,
)
from learning.models import (
    Assignment,
    AssignmentRule,
    AssignmentScope,
    Course,
    CourseProgress,
    LearningSummary,
)
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 24, 12, 3, 30, tzinfo=datetime.UTC)
EARLIER = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _still_clock(clock):
    return clock


@pytest.fixture
def course(db):
    return Course.objects.create(slug="speaking-up", title="Speaking up", module_count=2)


@pytest.fixture
def other_course(db):
    return Course.objects.create(slug="fair-hiring", title="Fair hiring", module_count=1)


@pytest.fixture
def sales(db):
    return DepartmentFactory(name="Sales")


@pytest.fixture
def org(sales):
    """Engineering: Lee leads Ray (who leads Gia, in Sales) and Ivy, who has left.
    Sales: Ana, whose only report Sam has left, and Gia. Pat reports to Olga, who has left."""
    lee = UserFactory(full_name="Lee Lead", email="lee@test.example")
    ray = UserFactory(full_name="Ray Report", email="ray@test.example", manager=lee)
    gia = UserFactory(
        full_name="Gia Grand", email="gia@test.example", manager=ray, department=sales
    )
    ivy = UserFactory(full_name="Ivy Gone", email="ivy@test.example", manager=lee, is_active=False)
    ana = UserFactory(full_name="Ana Seller", email="ana@test.example", department=sales)
    sam = UserFactory(
        full_name="Sam Gone",
        email="sam@test.example",
        manager=ana,
        department=sales,
        is_active=False,
    )
    olga = UserFactory(full_name="Olga Gone", email="olga@test.example", is_active=False)
    pat = UserFactory(full_name="Pat Plain", email="pat@test.example", manager=olga)
    return {
        "lee": lee,
        "ray": ray,
        "gia": gia,
        "ivy": ivy,
        "ana": ana,
        "sam": sam,
        "olga": olga,
        "pat": pat,
    }


def emails(people) -> list[str]:
    return [person.email for person in people]


def rows(course) -> dict[str, tuple]:
    """Each assignment of the course, by email: (rule id, due, assigned by, assigned at,
    withdrawn at)."""
    return {
        a.user.email: (
            a.rule_id,
            a.due_on,
            a.assigned_by.email if a.assigned_by else None,
            a.assigned_at,
            a.withdrawn_at,
        )
        for a in Assignment.objects.filter(course=course).select_related("user", "assigned_by")
    }


def given(course) -> dict[str, tuple]:
    """Each assignment of the course, by email: (rule id, due, assigned by, withdrawn at).
    Late joiners' rows are stamped by the model's default, the real clock: left out."""
    return {email: row[:3] + row[4:] for email, row in rows(course).items()}


def audit_rows() -> list[tuple]:
    return [
        (e.actor.email if e.actor else None, e.action, e.target, e.old_value, e.new_value)
        for e in AuditEntry.objects.order_by("id")
    ]


def department_rule(course, department, *, due_on, created_by, created_at=NOW):
    return AssignmentRule.objects.create(
        course=course,
        scope=AssignmentScope.DEPARTMENT,
        department=department,
        due_on=due_on,
        created_by=created_by,
        created_at=created_at,
        group_key=f"department:{department.pk}",
    )


# Describing and listing a group ------------------------------------------------------------


def test_each_kind_of_group_is_described_in_words(sales):
    lee = UserFactory(full_name="Lee Lead", email="lee@test.example")
    scope = AssignmentScope
    described = [
        rule_group_description(AssignmentRule(**fields))
        for fields in [
            {"scope": scope.DEPARTMENT, "department": sales},
            {"scope": scope.TEAM, "team_manager": lee},
            {"scope": scope.PEOPLE_LEADERS},
            {"scope": scope.EVERYONE},
            {"scope": scope.PEOPLE},
            # A group whose department or manager is missing says no more than "chosen".
            {"scope": scope.DEPARTMENT},
            {"scope": scope.TEAM},
            # A department or manager on a rule of another kind is not what it is for.
            {"scope": scope.EVERYONE, "department": sales, "team_manager": lee},
            {"scope": scope.PEOPLE_LEADERS, "department": sales, "team_manager": lee},
            {"scope": scope.PEOPLE, "department": sales, "team_manager": lee},
            {"scope": scope.TEAM, "department": sales},
            {"scope": scope.DEPARTMENT, "team_manager": lee},
        ]
    ]
    assert described == [
        "The Sales department",
        "Lee Lead's team",
        "People leaders",
        "Everyone",
        "Chosen people",
        "Chosen people",
        "Chosen people",
        "Everyone",
        "People leaders",
        "Chosen people",
        "Chosen people",
        "Chosen people",
    ]


def test_each_group_has_its_active_members_only(org, sales):
    scope = AssignmentScope

    def members(**fields):
        return emails(rule_members(AssignmentRule(**fields)))

    assert members(scope=scope.DEPARTMENT, department=sales) == [
        "ana@test.example",
        "gia@test.example",
    ]
    # The whole team below the manager, at any depth; not the manager.
    assert members(scope=scope.TEAM, team_manager=org["lee"]) == [
        "gia@test.example",
        "ray@test.example",
    ]
    assert members(scope=scope.TEAM, team_manager=org["ray"]) == ["gia@test.example"]
    # Ana's only report has left; Olga has left herself.
    assert members(scope=scope.PEOPLE_LEADERS) == ["lee@test.example", "ray@test.example"]
    assert members(scope=scope.EVERYONE) == [
        "ana@test.example",
        "gia@test.example",
        "lee@test.example",
        "pat@test.example",
        "ray@test.example",
    ]


def test_a_people_rule_has_its_own_assignees_who_are_still_here(org, course, other_course):
    rule = AssignmentRule.objects.create(
        course=course, scope=AssignmentScope.PEOPLE, due_on=date(2026, 12, 4), group_key="p:1"
    )
    other = AssignmentRule.objects.create(
        course=other_course, scope=AssignmentScope.PEOPLE, due_on=date(2026, 12, 4), group_key="p:2"
    )
    for person in ("ray", "ivy", "ana"):
        Assignment.objects.create(user=org[person], course=course, rule=rule, due_on=rule.due_on)
    Assignment.objects.create(user=org["pat"], course=other_course, rule=other, due_on=rule.due_on)
    Assignment.objects.create(user=org["lee"], course=course, due_on=rule.due_on)  # no rule
    assert emails(rule_members(rule)) == ["ana@test.example", "ray@test.example"]


# Refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "due_on", [date(2026, 11, 24), date(2026, 11, 25), date(2028, 11, 24), date(2028, 11, 25)]
)
def test_a_due_date_from_today_to_two_years_ahead_is_accepted(due_on):
    # Two years is 732 days: 24 November 2026 + 732 days is 25 November 2028 (2028 is leap).
    assert _validate_due_on(due_on) == due_on


@pytest.mark.parametrize(
    "due_on, message",
    [
        (None, "Choose a due date."),
        (date(2026, 11, 23), "Choose a due date from today onwards."),
        (date(2025, 1, 1), "Choose a due date from today onwards."),
        (date(2028, 11, 26), "Choose a due date within the next two years."),
    ],
)
def test_a_missing_past_or_far_due_date_is_refused(due_on, message):
    with pytest.raises(ValidationError) as caught:
        _validate_due_on(due_on)
    assert caught.value.message_dict == {"due_on": [message]}


def test_groups_that_exist_are_accepted(org, sales):
    def accepted(scope, department=None, team_manager=None, people=None):
        return _validate_group(
            scope=scope, department=department, team_manager=team_manager, people=people
        )

    assert accepted(AssignmentScope.EVERYONE) is None
    assert accepted(AssignmentScope.PEOPLE_LEADERS) is None
    assert accepted(AssignmentScope.DEPARTMENT, department=sales) is None
    # An empty department is still a department: later joiners will receive the rule.
    assert (
        accepted(AssignmentScope.DEPARTMENT, department=Department.objects.create(name="Legal"))
        is None
    )
    assert accepted(AssignmentScope.TEAM, team_manager=org["ray"]) is None
    assert accepted(AssignmentScope.PEOPLE, people=[org["ana"], org["pat"]]) is None


def test_groups_that_do_not_exist_are_refused_with_the_reason(org):
    def refused(scope, department=None, team_manager=None, people=None):
        with pytest.raises(ValidationError) as caught:
            _validate_group(
                scope=scope, department=department, team_manager=team_manager, people=people
            )
        return caught.value.message_dict

    assert refused("") == {"scope": ["Choose who the course is for."]}
    assert refused("Everyone") == {"scope": ["Choose who the course is for."]}
    assert refused(AssignmentScope.DEPARTMENT) == {"department": ["Choose a department."]}
    assert refused(AssignmentScope.TEAM) == {"team_manager": ["Enter the manager's email address."]}
    # Ana's only report has left; Gia has nobody at all.
    assert refused(AssignmentScope.TEAM, team_manager=org["ana"]) == {
        "team_manager": ["Ana Seller has nobody reporting to them."]
    }
    assert refused(AssignmentScope.TEAM, team_manager=org["gia"]) == {
        "team_manager": ["Gia Grand has nobody reporting to them."]
    }
    assert refused(AssignmentScope.PEOPLE) == {
        "people": ["Enter at least one person's email address."]
    }
    assert refused(AssignmentScope.PEOPLE, people=[org["ana"], org["sam"]]) == {
        "people": ["These people have left and cannot be assigned: sam@test.example"]
    }
    assert refused(AssignmentScope.PEOPLE, people=[org["sam"], org["ana"], org["ivy"]]) == {
        "people": [
            "These people have left and cannot be assigned: sam@test.example, ivy@test.example"
        ]
    }


def test_people_leaders_need_an_active_person_with_an_active_manager():
    lead = UserFactory(email="lead@test.example")
    UserFactory(email="left@test.example", manager=lead, is_active=False)
    gone_lead = UserFactory(email="gone.lead@test.example", is_active=False)
    UserFactory(email="stays@test.example", manager=gone_lead)
    with pytest.raises(ValidationError) as caught:
        _validate_group(
            scope=AssignmentScope.PEOPLE_LEADERS, department=None, team_manager=None, people=None
        )
    assert caught.value.message_dict == {
        "scope": ["Nobody has an active report yet, so there are no people leaders."]
    }


@pytest.mark.parametrize(
    "scope, group",
    [
        (AssignmentScope.DEPARTMENT, "the Sales department"),
        (AssignmentScope.TEAM, "Lee Lead's team"),
        (AssignmentScope.PEOPLE_LEADERS, "People leaders"),
        (AssignmentScope.EVERYONE, "everyone"),
        (AssignmentScope.PEOPLE, "these same people"),
    ],
)
def test_a_second_live_rule_for_the_same_group_names_the_first(course, sales, scope, group):
    lee = UserFactory(full_name="Lee Lead", email="lee@test.example")
    AssignmentRule.objects.create(
        course=course,
        scope=scope,
        department=sales if scope == AssignmentScope.DEPARTMENT else None,
        team_manager=lee if scope == AssignmentScope.TEAM else None,
        due_on=date(2026, 12, 4),
        group_key="the-group",
    )
    with pytest.raises(ValidationError) as caught:
        _refuse_a_second_live_rule(course, "the-group")
    assert caught.value.code == "duplicate_rule"
    assert caught.value.messages == [
        f"“Speaking up” is already assigned to {group} (due 4 December 2026), so nothing new "
        "was made. To change the due date, open that assignment from the list of assignments."
    ]


def test_a_withdrawn_rule_or_another_courses_rule_is_no_second_rule(course, other_course):
    AssignmentRule.objects.create(
        course=course,
        scope=AssignmentScope.EVERYONE,
        due_on=date(2026, 12, 4),
        group_key="everyone",
        withdrawn_at=EARLIER,
    )
    AssignmentRule.objects.create(
        course=other_course,
        scope=AssignmentScope.EVERYONE,
        due_on=date(2026, 12, 4),
        group_key="everyone",
    )
    assert _refuse_a_second_live_rule(course, "everyone") is None


# Creating a rule -----------------------------------------------------------------------------


def test_a_department_rule_assigns_the_new_revives_the_withdrawn_and_keeps_the_rest(
    hr, course, sales
):
    other_hr = UserFactory(email="other.hr@test.example", hr=True)
    ana = UserFactory(email="ana@test.example", department=sales)
    bo = UserFactory(email="bo@test.example", department=sales)
    gia = UserFactory(email="gia@test.example", department=sales)
    UserFactory(email="gone@test.example", department=sales, is_active=False)
    UserFactory(email="engineer@test.example")
    Assignment.objects.create(
        user=ana, course=course, due_on=date(2026, 12, 1), assigned_by=other_hr, assigned_at=EARLIER
    )
    Assignment.objects.create(
        user=gia,
        course=course,
        due_on=date(2026, 11, 30),
        assigned_by=other_hr,
        assigned_at=EARLIER,
        withdrawn_at=EARLIER,
    )
    outcome = assignment_rule_create(
        course=course,
        scope=AssignmentScope.DEPARTMENT,
        department=sales,
        due_on=date(2026, 12, 4),
        acting_user=hr,
    )
    rule = AssignmentRule.objects.get()
    assert outcome == RuleOutcome(rule=rule, assigned=2, already_assigned=1)
    assert (
        rule.course,
        rule.scope,
        rule.department,
        rule.team_manager,
        rule.due_on,
        rule.created_by,
        rule.group_key,
        rule.withdrawn_at,
    ) == (course, "department", sales, None, date(2026, 12, 4), hr, f"department:{sales.pk}", None)
    assert rows(course) == {
        "ana@test.example": (None, date(2026, 12, 1), "other.hr@test.example", EARLIER, None),
        "bo@test.example": (rule.pk, date(2026, 12, 4), "hr@test.example", NOW, None),
        "gia@test.example": (rule.pk, date(2026, 12, 4), "hr@test.example", NOW, None),
    }
    summaries = LearningSummary.objects.filter(user__in=[bo, gia]).order_by("user__email")
    assert [(s.assigned, s.next_due_on) for s in summaries] == [
        (1, date(2026, 12, 4)),
        (1, date(2026, 12, 4)),
    ]
    assert audit_rows() == [
        (
            "hr@test.example",
            "assignment.create",
            "Speaking up: The Sales department",
            "",
            "due 2026-12-04; 2 assigned, 1 already had it",
        )
    ]


def test_a_rule_due_today_is_made(hr, course):
    outcome = assignment_rule_create(
        course=course, scope=AssignmentScope.EVERYONE, due_on=date(2026, 11, 24), acting_user=hr
    )
    assert (outcome.assigned, outcome.already_assigned) == (1, 0)
    assert rows(course) == {
        "hr@test.example": (outcome.rule.pk, date(2026, 11, 24), "hr@test.example", NOW, None)
    }


def test_chosen_people_named_twice_are_assigned_once(hr, course):
    emma = UserFactory(email="emma@test.example")
    oscar = UserFactory(email="oscar@test.example")
    Assignment.objects.create(user=oscar, course=course, due_on=date(2026, 12, 1))
    outcome = assignment_rule_create(
        course=course,
        scope=AssignmentScope.PEOPLE,
        people=[oscar, emma, emma],
        due_on=date(2026, 12, 4),
        acting_user=hr,
    )
    ids = f"{emma.pk},{oscar.pk}"
    assert outcome.rule.group_key == "people:" + hashlib.sha256(ids.encode()).hexdigest()
    assert (outcome.assigned, outcome.already_assigned) == (1, 1)
    assert rows(course)["emma@test.example"][:3] == (
        outcome.rule.pk,
        date(2026, 12, 4),
        "hr@test.example",
    )
    assert audit_rows() == [
        (
            "hr@test.example",
            "assignment.create",
            "Speaking up: Chosen people",
            "",
            "due 2026-12-04; 1 assigned, 1 already had it",
        )
    ]


def test_each_group_rule_is_keyed_and_audited_by_its_group(hr, course, org, sales):
    def create(scope, **group):
        outcome = assignment_rule_create(
            course=course, scope=scope, due_on=date(2026, 12, 4), acting_user=None, **group
        )
        return outcome.rule.group_key, outcome.assigned, outcome.already_assigned

    made = [
        create(AssignmentScope.TEAM, team_manager=org["ray"]),
        create(AssignmentScope.DEPARTMENT, department=sales),
        create(AssignmentScope.PEOPLE_LEADERS),
        create(AssignmentScope.EVERYONE),
    ]
    assert made == [
        (f"team:{org['ray'].pk}", 1, 0),  # Gia
        (f"department:{sales.pk}", 1, 1),  # Ana; Gia has it
        ("people-leaders", 2, 0),  # Lee and Ray
        ("everyone", 2, 4),  # Hana and Pat
    ]
    assert audit_rows() == [
        (None, "assignment.create", target, "", new)
        for target, new in [
            ("Speaking up: Ray Report's team", "due 2026-12-04; 1 assigned, 0 already had it"),
            ("Speaking up: The Sales department", "due 2026-12-04; 1 assigned, 1 already had it"),
            ("Speaking up: People leaders", "due 2026-12-04; 2 assigned, 0 already had it"),
            ("Speaking up: Everyone", "due 2026-12-04; 2 assigned, 4 already had it"),
        ]
    ]


def test_giving_members_without_reviving_leaves_a_withdrawn_assignment_withdrawn(
    hr, course, other_course
):
    rule = AssignmentRule.objects.create(
        course=course,
        scope=AssignmentScope.EVERYONE,
        due_on=date(2026, 12, 4),
        created_by=hr,
        group_key="everyone",
    )
    ana = UserFactory(email="ana@test.example")
    bo = UserFactory(email="bo@test.example")
    gia = UserFactory(email="gia@test.example")
    Assignment.objects.create(
        user=ana, course=course, due_on=date(2026, 12, 1), assigned_at=EARLIER
    )
    Assignment.objects.create(
        user=gia,
        course=course,
        due_on=date(2026, 11, 30),
        assigned_at=EARLIER,
        withdrawn_at=EARLIER,
    )
    Assignment.objects.create(user=bo, course=other_course, due_on=date(2026, 12, 2))
    ids = [bo.pk, ana.pk, gia.pk]
    assert assign_rule_members(rule, ids, due_on=date(2026, 12, 9), revive=False) == (1, 2)
    assert rows(course) == {
        "ana@test.example": (None, date(2026, 12, 1), None, EARLIER, None),
        "bo@test.example": (rule.pk, date(2026, 12, 9), "hr@test.example", NOW, None),
        "gia@test.example": (None, date(2026, 11, 30), None, EARLIER, EARLIER),
    }
    # Reviving, the withdrawn one comes back under the rule and counts as newly assigned.
    assert assign_rule_members(rule, ids, due_on=date(2026, 12, 11), revive=True) == (1, 2)
    assert rows(course) == {
        "ana@test.example": (None, date(2026, 12, 1), None, EARLIER, None),
        "bo@test.example": (rule.pk, date(2026, 12, 9), "hr@test.example", NOW, None),
        "gia@test.example": (rule.pk, date(2026, 12, 11), "hr@test.example", NOW, None),
    }


# Late joiners --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "created_on, due_on, today, joiner_due_on",
    [
        # Made ten days ago, due in twenty: the group had thirty days, and so does a joiner.
        (date(2026, 11, 14), date(2026, 12, 14), date(2026, 11, 24), date(2026, 12, 24)),
        # Made today: a joiner today has exactly the group's window.
        (date(2026, 11, 24), date(2026, 12, 9), date(2026, 11, 24), date(2026, 12, 9)),
        (date(2026, 11, 24), date(2026, 12, 8), date(2026, 11, 24), date(2026, 12, 8)),
        # A window shorter than fourteen days is stretched to fourteen.
        (date(2026, 11, 24), date(2026, 12, 7), date(2026, 11, 24), date(2026, 12, 8)),
        (date(2026, 11, 24), date(2026, 11, 24), date(2026, 11, 24), date(2026, 12, 8)),
        # A rule already past its due date still gives a joiner its nineteen days.
        (date(2026, 10, 1), date(2026, 10, 20), date(2026, 11, 24), date(2026, 12, 13)),
        # Never earlier than the rule's own due date.
        (date(2026, 11, 24), date(2026, 12, 24), date(2026, 11, 20), date(2026, 12, 24)),
    ],
)
def test_a_late_joiner_has_as_long_as_the_group_first_had(created_on, due_on, today, joiner_due_on):
    made = datetime.datetime.combine(created_on, datetime.time(9), tzinfo=datetime.UTC)
    rule = AssignmentRule(created_at=made, due_on=due_on)
    assert late_joiner_due_on(rule, today) == joiner_due_on


def test_the_window_starts_on_the_day_the_rule_was_made_where_it_was_made(settings):
    settings.TIME_ZONE = "Pacific/Auckland"  # 23:30 UTC on the 13th is the 14th there
    made = datetime.datetime(2026, 11, 13, 23, 30, tzinfo=datetime.UTC)
    rule = AssignmentRule(created_at=made, due_on=date(2026, 12, 14))
    assert late_joiner_due_on(rule, date(2026, 11, 24)) == date(2026, 12, 24)


def test_a_late_joiner_receives_the_groups_course_once(hr, course, sales):
    rule = department_rule(
        course,
        sales,
        due_on=date(2026, 12, 14),
        created_by=hr,
        created_at=datetime.datetime(2026, 11, 14, 9, 0, tzinfo=datetime.UTC),
    )
    bo = UserFactory(email="bo@test.example", department=sales)
    UserFactory(email="cy@test.example", department=sales)  # joins too, checked another time
    UserFactory(email="engineer@test.example")
    UserFactory(email="gone@test.example", department=sales, is_active=False)
    assert assignment_rules_apply(user=bo) == 1
    assert given(course) == {
        "bo@test.example": (rule.pk, date(2026, 12, 24), "hr@test.example", None)
    }
    assert LearningSummary.objects.get(user=bo).next_due_on == date(2026, 12, 24)
    assert assignment_rules_apply(user=bo) == 0
    assert given(course) == {
        "bo@test.example": (rule.pk, date(2026, 12, 24), "hr@test.example", None)
    }


def test_a_late_joiner_whose_earlier_assignment_was_withdrawn_gets_the_course_back(
    hr, course, sales
):
    bo = UserFactory(email="bo@test.example")
    earlier = AssignmentRule.objects.create(
        course=course, scope=AssignmentScope.PEOPLE, due_on=date(2026, 12, 1), created_at=EARLIER
    )
    Assignment.objects.create(
        user=bo, course=course, rule=earlier, due_on=date(2026, 12, 1), withdrawn_at=EARLIER
    )
    rule = department_rule(course, sales, due_on=date(2026, 12, 14), created_by=hr)
    bo.department = sales
    bo.save()
    assert assignment_rules_apply(user=bo) == 1
    assert rows(course) == {
        "bo@test.example": (rule.pk, date(2026, 12, 14), "hr@test.example", NOW, None)
    }
    assert assignment_rules_apply(user=bo) == 0


def test_applying_counts_every_assignment_made_across_rules(hr, course, other_course, sales):
    sales_rule = department_rule(course, sales, due_on=date(2026, 12, 8), created_by=hr)
    everyone = AssignmentRule.objects.create(
        course=other_course,
        scope=AssignmentScope.EVERYONE,
        due_on=date(2026, 12, 20),
        created_by=None,
        created_at=NOW,
        group_key="everyone",
    )
    bo = UserFactory(email="bo@test.example", department=sales)
    eve = UserFactory(email="eve@test.example")
    gone = UserFactory(email="gone@test.example", department=sales, is_active=False)
    # Bo twice, and someone who has left: the ids are a set, and only active people count.
    assert assignment_rules_apply(user_ids=[bo.pk, eve.pk, bo.pk, gone.pk]) == 3
    assert given(course) == {
        "bo@test.example": (sales_rule.pk, date(2026, 12, 8), "hr@test.example", None)
    }
    assert given(other_course) == {
        "bo@test.example": (everyone.pk, date(2026, 12, 20), None, None),
        "eve@test.example": (everyone.pk, date(2026, 12, 20), None, None),
    }
    # With nobody named, everyone is checked: only Hana was still missing a course.
    assert assignment_rules_apply() == 1
    assert given(other_course)["hr@test.example"] == (everyone.pk, date(2026, 12, 20), None, None)
    assert assignment_rules_apply() == 0


def test_a_late_joiner_who_already_has_the_course_keeps_their_own(hr, course, sales):
    department_rule(course, sales, due_on=date(2026, 12, 8), created_by=hr)
    bo = UserFactory(email="bo@test.example", department=sales)
    Assignment.objects.create(user=bo, course=course, due_on=date(2026, 12, 1))
    assert assignment_rules_apply(user=bo) == 0
    assert given(course) == {"bo@test.example": (None, date(2026, 12, 1), None, None)}


def test_the_oldest_live_rule_of_a_course_decides_a_joiners_due_date(hr, course, sales):
    older = department_rule(
        course,
        sales,
        due_on=date(2026, 12, 8),
        created_by=hr,
        created_at=datetime.datetime(2026, 11, 24, 9, 0, tzinfo=datetime.UTC),
    )
    AssignmentRule.objects.create(
        course=course,
        scope=AssignmentScope.EVERYONE,
        due_on=date(2026, 12, 31),
        created_at=datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC),
        group_key="everyone",
    )
    bo = UserFactory(email="bo@test.example", department=sales)
    assert assignment_rules_apply(user=bo) == 1
    assert given(course) == {
        "bo@test.example": (older.pk, date(2026, 12, 8), "hr@test.example", None)
    }


def test_withdrawn_rules_and_retired_courses_reach_no_late_joiner(hr, course, other_course, sales):
    department_rule(course, sales, due_on=date(2026, 12, 8), created_by=hr)
    AssignmentRule.objects.create(
        course=other_course,
        scope=AssignmentScope.EVERYONE,
        due_on=date(2026, 12, 8),
        created_at=NOW,
        withdrawn_at=NOW,
        group_key="everyone",
    )
    course.retired = True
    course.save()
    bo = UserFactory(email="bo@test.example", department=sales)
    assert assignment_rules_apply(user=bo) == 0
    assert not Assignment.objects.exists()


def test_applying_to_nobody_or_with_only_people_rules_reads_the_rules_and_stops(
    hr, course, sales, django_assert_num_queries
):
    bo = UserFactory(email="bo@test.example", department=sales)
    rule = AssignmentRule.objects.create(
        course=course, scope=AssignmentScope.PEOPLE, due_on=date(2026, 12, 8), group_key="p:1"
    )
    Assignment.objects.create(user=hr, course=course, rule=rule, due_on=date(2026, 12, 8))
    # A people rule has no later joiners: it is not even looked at.
    with django_assert_num_queries(1):
        assert assignment_rules_apply(user=bo) == 0
    department_rule(course, sales, due_on=date(2026, 12, 8), created_by=hr, created_at=NOW)
    with django_assert_num_queries(1):
        assert assignment_rules_apply(user_ids=[]) == 0
    assert list(Assignment.objects.values_list("user__email", flat=True)) == ["hr@test.example"]


# Changing the due date -----------------------------------------------------------------------


@pytest.fixture
def sales_rule(hr, course, other_course, sales):
    """A Sales rule due 4 December for Ana, Bo (completed) and Cy (withdrawn on the 20th);
    Ana also has another course due 10 December."""
    rule = department_rule(course, sales, due_on=date(2026, 12, 4), created_by=hr)
    people = {}
    for name, withdrawn in [("ana", None), ("bo", None), ("cy", EARLIER)]:
        people[name] = UserFactory(email=f"{name}@test.example", department=sales)
        Assignment.objects.create(
            user=people[name],
            course=course,
            rule=rule,
            due_on=date(2026, 12, 4),
            assigned_by=hr,
            assigned_at=EARLIER,
            withdrawn_at=withdrawn,
        )
    CourseProgress.objects.create(
        user=people["bo"], course=course, percent=100, completed_at=EARLIER
    )
    other = AssignmentRule.objects.create(
        course=other_course,
        scope=AssignmentScope.EVERYONE,
        due_on=date(2026, 12, 10),
        group_key="everyone",
    )
    Assignment.objects.create(
        user=people["ana"], course=other_course, rule=other, due_on=date(2026, 12, 10)
    )
    return rule


def test_a_new_due_date_moves_the_rules_assignments_that_are_not_withdrawn(
    hr, course, other_course, sales_rule
):
    moved = assignment_rule_set_due_date(rule=sales_rule, due_on=date(2027, 1, 15), acting_user=hr)
    assert (moved.pk, moved.due_on) == (sales_rule.pk, date(2027, 1, 15))
    assert AssignmentRule.objects.get(pk=sales_rule.pk).due_on == date(2027, 1, 15)
    # Completed or not, every live one moves (the date no longer matters to a completer).
    assert rows(course) == {
        "ana@test.example": (sales_rule.pk, date(2027, 1, 15), "hr@test.example", EARLIER, None),
        "bo@test.example": (sales_rule.pk, date(2027, 1, 15), "hr@test.example", EARLIER, None),
        "cy@test.example": (sales_rule.pk, date(2026, 12, 4), "hr@test.example", EARLIER, EARLIER),
    }
    assert [a.due_on for a in Assignment.objects.filter(course=other_course)] == [
        date(2026, 12, 10)
    ]
    assert LearningSummary.objects.get(user__email="ana@test.example").open_due_dates == [
        "2026-12-10",
        "2027-01-15",
    ]
    assert audit_rows() == [
        (
            "hr@test.example",
            "assignment.due_date",
            "Speaking up: The Sales department",
            "2026-12-04",
            "2027-01-15",
        )
    ]


def test_the_same_due_date_again_changes_nothing_and_is_not_audited(hr, course, sales_rule):
    before = rows(course)
    same = assignment_rule_set_due_date(rule=sales_rule, due_on=date(2026, 12, 4), acting_user=hr)
    assert same.due_on == date(2026, 12, 4)
    assert rows(course) == before
    assert not AuditEntry.objects.exists()


def test_a_due_date_can_move_to_today_but_not_to_yesterday(hr, course, sales_rule):
    with pytest.raises(ValidationError) as caught:
        assignment_rule_set_due_date(rule=sales_rule, due_on=date(2026, 11, 23), acting_user=hr)
    assert caught.value.message_dict == {"due_on": ["Choose a due date from today onwards."]}
    assert AssignmentRule.objects.get(pk=sales_rule.pk).due_on == date(2026, 12, 4)
    assert not AuditEntry.objects.exists()
    assignment_rule_set_due_date(rule=sales_rule, due_on=date(2026, 11, 24), acting_user=hr)
    assert rows(course)["ana@test.example"][1] == date(2026, 11, 24)


# Withdrawing ---------------------------------------------------------------------------------


def test_withdrawing_a_rule_withdraws_its_live_assignments_and_counts_them(
    hr, course, other_course, sales_rule, clock
):
    assert assignment_rule_withdraw(rule=sales_rule, acting_user=hr) == 2
    assert AssignmentRule.objects.get(pk=sales_rule.pk).withdrawn_at == NOW
    assert rows(course) == {
        "ana@test.example": (sales_rule.pk, date(2026, 12, 4), "hr@test.example", EARLIER, NOW),
        "bo@test.example": (sales_rule.pk, date(2026, 12, 4), "hr@test.example", EARLIER, NOW),
        # Withdrawn before: keeps the moment it was.
        "cy@test.example": (sales_rule.pk, date(2026, 12, 4), "hr@test.example", EARLIER, EARLIER),
    }
    assert [a.withdrawn_at for a in Assignment.objects.filter(course=other_course)] == [None]
    assert LearningSummary.objects.get(user__email="ana@test.example").open_due_dates == [
        "2026-12-10"
    ]
    expected_audit = [
        (
            "hr@test.example",
            "assignment.withdraw",
            "Speaking up: The Sales department",
            "due 2026-12-04; 2 people",
            "withdrawn",
        )
    ]
    assert audit_rows() == expected_audit
    # Again, an hour later: nothing more happens, and the first moment stays.
    clock.advance(hours=1)
    assert assignment_rule_withdraw(rule=sales_rule, acting_user=hr) == 0
    assert AssignmentRule.objects.get(pk=sales_rule.pk).withdrawn_at == NOW
    assert rows(course)["ana@test.example"][4] == NOW
    assert audit_rows() == expected_audit


def test_withdrawing_a_rule_that_reached_nobody_counts_none_and_is_audited(hr, course, sales):
    rule = department_rule(course, sales, due_on=date(2026, 12, 4), created_by=hr)
    assert assignment_rule_withdraw(rule=rule, acting_user=None) == 0
    assert AssignmentRule.objects.get(pk=rule.pk).withdrawn_at == NOW
    assert audit_rows() == [
        (
            None,
            "assignment.withdraw",
            "Speaking up: The Sales department",
            "due 2026-12-04; 0 people",
            "withdrawn",
        )
    ]


def test_reviving_a_withdrawn_assignment_leaves_the_persons_other_courses_alone(
    hr, course, other_course, sales
):
    gia = UserFactory(email="gia@test.example", department=sales)
    for withdrawn in (course, other_course):
        Assignment.objects.create(
            user=gia,
            course=withdrawn,
            due_on=date(2026, 11, 30),
            assigned_at=EARLIER,
            withdrawn_at=EARLIER,
        )
    outcome = assignment_rule_create(
        course=course,
        scope=AssignmentScope.DEPARTMENT,
        department=sales,
        due_on=date(2026, 12, 4),
        acting_user=hr,
    )
    assert (outcome.assigned, outcome.already_assigned) == (1, 0)
    assert rows(other_course) == {
        "gia@test.example": (None, date(2026, 11, 30), None, EARLIER, EARLIER)
    }
