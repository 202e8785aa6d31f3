import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from allyship import permissions
from allyship.services import user_set_active, user_set_manager
from tests.factories import UserFactory

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
