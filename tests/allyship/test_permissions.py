import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from allyship import permissions
from allyship.models import ImportBatch
from allyship.services import user_set_active, user_set_manager
from learning.models import BadgeAward, Commitment, Reflection, ReflectionPrompt
from tests.factories import UserFactory
from tests.hr.factories import build_scenario, play
from tests.learning.builders import build_module
from tests.recognition.factories import CertificateFactory

pytestmark = pytest.mark.django_db


def test_manager_team_includes_indirect_reports(manager, employee):
    grandchild = UserFactory(manager=employee)
    team = set(permissions.team_of(manager))
    assert team == {employee, grandchild}


def test_manager_does_not_see_a_peers_team(manager, employee):
    peer = UserFactory(manager=manager.manager)
    peers_report = UserFactory(manager=peer)
    with pytest.raises(Http404):
        permissions.get_team_member_for_user(manager, peers_report.pk)
    with pytest.raises(Http404):
        permissions.get_team_member_for_user(manager, peer.pk)
    assert permissions.get_team_member_for_user(manager, employee.pk) == employee


def test_manager_with_reports_does_not_see_their_own_manager(manager, employee):
    # The manager has a report, so a team query that walked up the chain as well as down
    # would find the boss here.
    assert permissions.is_manager(manager)
    boss = manager.manager
    assert set(permissions.team_of(manager)) == {employee}
    with pytest.raises(Http404):
        permissions.get_team_member_for_user(manager, boss.pk)
    assert set(permissions.team_of(boss)) == {manager, employee}


def test_manager_sees_indirect_report_through_the_helper(manager, employee):
    grandchild = UserFactory(manager=employee)
    assert permissions.get_team_member_for_user(manager, grandchild.pk) == grandchild


def test_nobody_is_in_their_own_team_and_an_employee_has_none(employee, outsider):
    assert not permissions.team_of(employee).exists()
    for pk in (employee.pk, outsider.pk, employee.manager.pk):
        with pytest.raises(Http404):
            permissions.get_team_member_for_user(employee, pk)


def test_an_inactive_report_is_not_reachable_through_the_helper(manager, employee):
    employee.is_active = False
    employee.save(update_fields=["is_active"])
    with pytest.raises(Http404):
        permissions.get_team_member_for_user(manager, employee.pk)


@pytest.mark.parametrize("pk", ["", "abc", None, -1, 10**12])
def test_a_team_member_id_that_is_no_one_is_a_404(manager, employee, pk):
    with pytest.raises(Http404):
        permissions.get_team_member_for_user(manager, pk)


def test_roles_follow_reports_and_group(hr, manager, employee):
    roles = {
        person.email: (permissions.is_manager(person), permissions.is_hr(person))
        for person in (employee, manager, hr)
    }
    assert roles == {
        "employee@test.example": (False, False),
        "manager@test.example": (True, False),
        "hr@test.example": (False, True),
    }


def test_inactive_reports_do_not_make_a_manager(manager, employee, hr):
    user_set_active(user=employee, active=False, acting_user=hr)
    assert not permissions.is_manager(type(manager).objects.get(pk=manager.pk))
    user_set_active(user=employee, active=True, acting_user=hr)
    assert permissions.is_manager(type(manager).objects.get(pk=manager.pk))


def test_manager_chain_cycle_is_refused_and_nothing_changes(manager, employee):
    boss = manager.manager
    with pytest.raises(ValidationError, match="cannot report to them"):
        user_set_manager(user=boss, manager=employee, acting_user=None)
    boss.refresh_from_db()
    assert boss.manager is None


def test_a_person_cannot_manage_themselves(employee):
    with pytest.raises(ValidationError, match="own manager"):
        user_set_manager(user=employee, manager=employee, acting_user=None)


def test_manager_change_is_audited(hr, employee, outsider):
    user_set_manager(user=employee, manager=outsider, acting_user=hr)
    from allyship.models import AuditEntry

    entry = AuditEntry.objects.get(action="manager.change")
    assert (entry.actor, entry.target, entry.new_value) == (hr, employee.email, outsider.email)


def test_hr_group_may_author_content_but_never_read_reflections(hr):
    from allyship.services import hr_group

    hr_group()
    hr = type(hr).objects.get(pk=hr.pk)
    assert hr.has_perm("learning.change_lesson")
    assert hr.has_perm("quizzes.change_scenario")
    assert not hr.has_perm("learning.view_reflection")
    assert not hr.has_perm("learning.view_commitment")
    assert not hr.has_perm("allyship.change_auditentry")


# The lookup helpers: 404 for a bad or foreign id, and what they return comes with the
# related rows its page shows (no query when the page reads them).

BAD_IDS = ["abc", None, "", 10**12]


def _import_batch(hr):
    from allyship.models import ImportBatch

    return ImportBatch.objects.create(
        file_name="people.csv", sha256="0" * 64, created_by=hr, applied_by=hr
    )


def test_hr_gets_an_import_with_its_people_loaded(hr, django_assert_num_queries):
    batch = _import_batch(hr)
    hr = type(hr).objects.get(pk=hr.pk)
    permissions.is_hr(hr)
    found = permissions.get_import_batch_for_user(hr, batch.pk)
    with django_assert_num_queries(0):
        assert (found, found.created_by, found.applied_by) == (batch, hr, hr)


@pytest.mark.parametrize("pk", BAD_IDS)
def test_an_import_id_that_is_no_import_is_a_404(hr, pk):
    _import_batch(hr)
    with pytest.raises(Http404):
        permissions.get_import_batch_for_user(hr, pk)


def test_only_hr_reaches_an_import_or_an_assignment(hr, manager, employee):
    from tests.hr.factories import AssignmentRuleFactory

    batch, rule = _import_batch(hr), AssignmentRuleFactory(created_by=hr)
    for person in (manager, employee):
        with pytest.raises(Http404):
            permissions.get_import_batch_for_user(person, batch.pk)
        with pytest.raises(Http404):
            permissions.get_assignment_rule_for_user(person, rule.pk)


def test_hr_gets_an_assignment_with_its_course_group_and_author_loaded(
    hr, manager, employee, django_assert_num_queries
):
    from tests.hr.factories import AssignmentRuleFactory

    rule = AssignmentRuleFactory(
        created_by=hr, scope="team", team_manager=manager, department=employee.department
    )
    found = permissions.get_assignment_rule_for_user(hr, rule.pk)
    with django_assert_num_queries(0):
        assert (found.course, found.team_manager, found.created_by) == (rule.course, manager, hr)
        assert found.department == employee.department


@pytest.mark.parametrize("pk", BAD_IDS)
def test_an_assignment_id_that_is_no_assignment_is_a_404(hr, pk):
    from tests.hr.factories import AssignmentRuleFactory

    AssignmentRuleFactory(created_by=hr)
    with pytest.raises(Http404):
        permissions.get_assignment_rule_for_user(hr, pk)


@pytest.mark.parametrize("pk", [*BAD_IDS, "1.5", []])
def test_a_course_id_that_is_no_course_is_a_404(pk):
    from tests.hr.factories import course_with_modules

    course_with_modules(modules=1)
    with pytest.raises(Http404):
        permissions.get_course_or_404(pk)


def test_a_course_is_found_by_its_id_as_text_retired_or_not():
    from tests.hr.factories import course_with_modules

    course = course_with_modules(modules=1)
    course.retired = True
    course.save(update_fields=["retired"])
    assert permissions.get_course_or_404(str(course.pk)) == course


def test_a_certificate_is_its_earners_alone_with_person_and_course_loaded(
    employee, outsider, django_assert_num_queries
):
    from tests.recognition.factories import CertificateFactory

    certificate = CertificateFactory(user=employee)
    slug = certificate.course.slug
    found = permissions.get_certificate_for_user(employee, slug)
    with django_assert_num_queries(0):
        assert (found.user, found.course) == (employee, certificate.course)
    for person, course_slug in ((outsider, slug), (employee, "no-such-course")):
        with pytest.raises(Http404):
            permissions.get_certificate_for_user(person, course_slug)


def test_an_award_is_its_earners_alone_and_an_unknown_badge_is_a_404(employee, outsider):
    from learning.models import BadgeAward

    BadgeAward.objects.create(user=employee, badge="first-lesson")
    BadgeAward.objects.create(user=employee, badge="no-such-badge")
    award, badge = permissions.get_award_for_user(employee, "first-lesson")
    assert (award.user, award.badge, badge.slug) == (employee, "first-lesson", "first-lesson")
    for person, slug in ((outsider, "first-lesson"), (employee, "no-such-badge")):
        with pytest.raises(Http404):
            permissions.get_award_for_user(person, slug)


def test_an_attempt_row_is_its_learners_alone(employee, outsider):
    from tests.factories import AttemptFactory

    attempt = AttemptFactory(user=employee)
    assert permissions.get_attempt_row_for_user(employee, attempt.pk) == attempt
    for person, pk in ((outsider, attempt.pk), (employee, "abc"), (employee, None)):
        with pytest.raises(Http404):
            permissions.get_attempt_row_for_user(person, pk)


def test_the_role_guards_refuse_with_the_reason_the_403_page_shows(
    client_for, hr, manager, employee
):
    with pytest.raises(PermissionDenied) as caught:
        permissions.hr_required(employee)
    assert str(caught.value) == "This page is for HR admins."
    with pytest.raises(PermissionDenied) as caught:
        permissions.manager_required(employee)
    assert str(caught.value) == "This page is for people who manage a team."
    assert permissions.hr_required(hr) is None
    assert permissions.manager_required(manager) is None
    client = client_for(employee)
    for url, reason in [
        ("/hr/", "This page is for HR admins."),
        ("/manager/", "This page is for people who manage a team."),
    ]:
        response = client.get(url)
        assert response.status_code == 403
        assert reason in response.content.decode()


def test_an_id_is_a_positive_number_within_the_databases_range():
    assert permissions._id_or_404("1") == 1
    assert permissions._id_or_404(2**63 - 1) == 2**63 - 1
    for bad in (0, -1, 2**63, "1.5", "x", None):
        with pytest.raises(Http404):
            permissions._id_or_404(bad)


def test_an_attempt_is_read_with_everything_its_page_shows(employee, django_assert_num_queries):
    attempt = play(employee, build_scenario())
    with django_assert_num_queries(1):
        found = permissions.get_attempt_for_user(employee, attempt.pk)
        shown = (
            found.scenario.principle.name,
            found.current_step.title,
            found.ending.title,
        )
    assert shown == (attempt.scenario.principle.name, "Ending", "Ending")


def test_roles_are_false_for_anyone_not_signed_in():
    for nobody in (None, object(), AnonymousUser()):
        assert permissions.is_hr(nobody) is False
        assert permissions.is_manager(nobody) is False


def test_a_reflection_is_found_by_its_own_prompt(employee, django_assert_num_queries):
    module = build_module(lessons=1)
    first = ReflectionPrompt.objects.create(module=module, slug="one", prompt="One?")
    second = ReflectionPrompt.objects.create(module=module, slug="two", prompt="Two?", order=1)
    Reflection.objects.create(user=employee, prompt=first, text="About one")
    Reflection.objects.create(user=employee, prompt=second, text="About two")
    assert permissions.get_reflection_for_user(employee, str(second.pk)).text == "About two"
    assert permissions.get_reflection_for_user(employee, str(first.pk)).text == "About one"


def test_an_import_never_loads_its_rows_and_its_preview_only_when_asked(hr):
    batch = ImportBatch.objects.create(
        file_name="people.csv", rows=[{"email": "a@test.example"}], preview={"counts": {}}
    )
    assert permissions.get_import_batch_for_user(hr, batch.pk).get_deferred_fields() == {"rows"}
    light = permissions.get_import_batch_for_user(hr, batch.pk, with_preview=False)
    assert light.get_deferred_fields() == {"rows", "preview"}


def test_lookups_load_what_their_pages_show_in_one_query(employee, django_assert_num_queries):
    certificate = CertificateFactory(user=employee)
    with django_assert_num_queries(1):
        found = permissions.get_certificate_by_code(certificate.code)
        assert (found.user.full_name, found.course.title) == (
            employee.full_name,
            certificate.course.title,
        )
    with django_assert_num_queries(0), pytest.raises(Http404):
        permissions.get_certificate_by_code("  ")
    commitment = Commitment.objects.create(
        user=employee,
        module=build_module(lessons=1),
        action="Credit ideas by name",
        check_in_on=timezone.localdate(),
    )
    with django_assert_num_queries(1):
        assert permissions.get_commitment_for_user(employee, commitment.pk).module.title
    BadgeAward.objects.create(user=employee, badge="first-lesson")
    with django_assert_num_queries(1):
        award, badge = permissions.get_award_for_user(employee, "first-lesson")
        assert (award.user.full_name, badge.slug) == (employee.full_name, "first-lesson")
