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


def test_manager_does_not_see_a_peers_team(manager):
    peer = UserFactory(manager=manager.manager)
    peers_report = UserFactory(manager=peer)
    assert not permissions.can_view_person(manager, peers_report)
    with pytest.raises(Http404):
        permissions.get_team_member_for_user(manager, peers_report.pk)


def test_manager_does_not_see_their_own_manager(manager):
    assert not permissions.can_view_person(manager, manager.manager)
    with pytest.raises(Http404):
        permissions.get_team_member_for_user(manager, manager.manager.pk)


def test_manager_sees_indirect_report_through_the_helper(manager, employee):
    grandchild = UserFactory(manager=employee)
    assert permissions.get_team_member_for_user(manager, grandchild.pk) == grandchild


def test_hr_sees_everyone_and_employee_only_themselves(hr, employee, outsider):
    assert permissions.can_view_person(hr, outsider)
    assert permissions.can_view_person(employee, employee)
    assert not permissions.can_view_person(employee, outsider)


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
