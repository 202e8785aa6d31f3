"""SCIM provisioning: the shapes Entra ID and Okta send, leavers, managers, tokens, audit."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from allyship.models import AuditEntry, Department, User
from allyship.scim.models import ScimToken, token_digest
from learning.models import Assignment, AssignmentRule, AssignmentScope, LearningSummary
from tests.factories import UserFactory
from tests.hr.factories import course_with_modules

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def entra_user(email, **extra):
    """A user as Microsoft Entra ID's provisioning service creates it."""
    return {
        "schemas": [USER, ENTERPRISE],
        "externalId": extra.pop("external_id", email.split("@")[0]),
        "userName": email,
        "active": True,
        "displayName": extra.pop("display_name", "Ada Lovelace"),
        "emails": [{"primary": True, "type": "work", "value": email}],
        "name": {"formatted": "Ada Lovelace", "familyName": "Lovelace", "givenName": "Ada"},
        ENTERPRISE: extra,
    }


def patch(*operations):
    return {"schemas": [PATCH], "Operations": list(operations)}


pytestmark = pytest.mark.django_db


def test_entra_create_makes_an_active_person_in_their_department_and_audits_it(scim):
    response = scim.post("Users", entra_user("ada@acme.example", department="Research"))
    assert response.status_code == 201, response.content
    body = response.json()
    person = User.objects.get(email="ada@acme.example")
    assert body["id"] == str(person.pk)
    assert body["userName"] == "ada@acme.example"
    assert body[ENTERPRISE]["department"] == "Research"
    assert person.full_name == "Ada Lovelace"
    assert person.department.name == "Research"
    assert person.is_active
    assert not person.has_usable_password()
    entry = AuditEntry.objects.get(action="scim.user.create")
    assert entry.target == "ada@acme.example"
    assert "SCIM token Test IdP" in entry.new_value


def test_filters_find_people_by_user_name_external_id_and_email(scim):
    scim.post("Users", entra_user("ada@acme.example", external_id="e-1"))
    scim.post("Users", entra_user("bob@acme.example", external_id="e-2", display_name="Bob"))
    for query in (
        'userName eq "ADA@acme.example"',
        'externalId eq "e-1"',
        'emails.value eq "ada@acme.example"',
    ):
        body = scim.get("Users", data={"filter": query}).json()
        assert body["totalResults"] == 1, query
        assert body["Resources"][0]["userName"] == "ada@acme.example"
    assert (
        scim.get("Users", data={"filter": 'userName eq "nobody@x.example"'}).json()["totalResults"]
        == 0
    )


def test_a_filter_on_an_attribute_we_do_not_index_is_refused(scim):
    response = scim.get("Users", data={"filter": 'title eq "x"'})
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidFilter"


def test_pagination_pages_through_people_in_a_stable_order(scim):
    for n in range(5):
        UserFactory(email=f"p{n}@acme.example", department=None)
    body = scim.get("Users", data={"startIndex": 2, "count": 2}).json()
    assert body["totalResults"] == 5
    assert body["startIndex"] == 2
    assert body["itemsPerPage"] == 2
    assert [item["userName"] for item in body["Resources"]] == [
        "p1@acme.example",
        "p2@acme.example",
    ]


def test_entra_patch_shapes_update_name_email_manager_and_deactivate(scim):
    boss = UserFactory(email="boss@acme.example")
    pk = scim.post("Users", entra_user("ada@acme.example")).json()["id"]
    response = scim.patch(
        f"Users/{pk}",
        patch(
            {"op": "Replace", "path": "displayName", "value": "Ada King"},
            {
                "op": "Replace",
                "path": 'emails[type eq "work"].value',
                "value": "ada.k@acme.example",
            },
            {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": str(boss.pk)},
            {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Sales"},
        ),
    )
    assert response.status_code == 200, response.content
    person = User.objects.get(pk=pk)
    assert person.full_name == "Ada King"
    assert person.email == "ada.k@acme.example"
    assert person.manager == boss
    assert person.department.name == "Sales"
    response = scim.patch(
        f"Users/{pk}", patch({"op": "Replace", "path": "active", "value": "False"})
    )
    assert response.status_code == 200, response.content
    assert User.objects.get(pk=pk).is_active is False
    response = scim.patch(f"Users/{pk}", patch({"op": "Remove", "path": f"{ENTERPRISE}:manager"}))
    assert response.status_code == 200
    assert User.objects.get(pk=pk).manager is None


def test_okta_patch_without_a_path_deactivates(scim):
    pk = scim.post("Users", entra_user("ada@acme.example")).json()["id"]
    response = scim.patch(f"Users/{pk}", patch({"op": "replace", "value": {"active": False}}))
    assert response.status_code == 200, response.content
    assert response.json()["active"] is False
    assert User.objects.get(pk=pk).is_active is False


def test_delete_deactivates_keeps_the_learning_records_and_hides_the_person(scim):
    pk = scim.post("Users", entra_user("ada@acme.example")).json()["id"]
    person = User.objects.get(pk=pk)
    course = course_with_modules(1)
    Assignment.objects.create(user=person, course=course, due_on=timezone.localdate())
    assert scim.delete(f"Users/{pk}").status_code == 204
    person.refresh_from_db()
    assert person.is_active is False
    assert Assignment.objects.filter(user=person).count() == 1
    assert scim.get(f"Users/{pk}").status_code == 404
    assert AuditEntry.objects.filter(action="scim.user.delete", target="ada@acme.example").exists()


def test_a_manager_loop_is_refused_and_nothing_changes(scim):
    boss_pk = scim.post("Users", entra_user("boss@acme.example", external_id="b")).json()["id"]
    ada = entra_user("ada@acme.example", manager={"value": boss_pk})
    ada_pk = scim.post("Users", ada).json()["id"]
    audit_rows = AuditEntry.objects.count()
    response = scim.patch(
        f"Users/{boss_pk}", patch({"op": "Add", "path": f"{ENTERPRISE}:manager", "value": ada_pk})
    )
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidValue"
    assert User.objects.get(pk=boss_pk).manager is None
    assert AuditEntry.objects.count() == audit_rows


def test_an_unknown_manager_is_refused_and_nobody_is_created(scim):
    response = scim.post("Users", entra_user("ada@acme.example", manager={"value": "99999"}))
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidValue"
    assert not User.objects.filter(email="ada@acme.example").exists()


def test_a_second_person_with_the_same_user_name_is_a_conflict(scim):
    scim.post("Users", entra_user("ada@acme.example"))
    response = scim.post("Users", entra_user("ada@acme.example", external_id="other"))
    assert response.status_code == 409
    assert response.json()["scimType"] == "uniqueness"
    assert User.objects.filter(email="ada@acme.example").count() == 1


def test_joiners_through_scim_get_their_departments_assignment_rules(scim):
    research = Department.objects.create(name="Research")
    course = course_with_modules(1)
    today = timezone.localdate()
    AssignmentRule.objects.create(
        course=course,
        scope=AssignmentScope.DEPARTMENT,
        department=research,
        due_on=today + datetime.timedelta(days=30),
    )
    scim.post("Users", entra_user("ada@acme.example", department="Research"))
    assignment = Assignment.objects.get(user__email="ada@acme.example")
    assert assignment.course == course
    # A group membership change (Entra's members Add) reaches the mover too.
    bob = UserFactory(email="bob@acme.example", department=None)
    # A department from the CSV import is already a group the provider can find.
    found = scim.get("Groups", data={"filter": 'displayName eq "Research"'}).json()
    assert found["totalResults"] == 1
    gid = found["Resources"][0]["id"]
    assert gid == str(research.pk)
    response = scim.patch(
        f"Groups/{gid}", patch({"op": "Add", "path": "members", "value": [{"value": str(bob.pk)}]})
    )
    assert response.status_code == 200, response.content
    assert Assignment.objects.filter(user=bob, course=course).exists()
    # Entra removes a member with the value in the body.
    response = scim.patch(
        f"Groups/{gid}",
        patch({"op": "Remove", "path": "members", "value": [{"value": str(bob.pk)}]}),
    )
    assert response.status_code == 200, response.content
    bob.refresh_from_db()
    assert bob.department is None


def test_a_session_cookie_gives_no_access(client, hr, scim_token):
    client.force_login(hr)
    response = client.get("/scim/v2/Users")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused(client, scim):
    token = ScimToken.objects.get(name="Test IdP")
    assert scim.get("Users").status_code == 200
    token.revoked_at = timezone.now()
    token.save()
    response = scim.get("Users")
    assert response.status_code == 401
    assert response.json()["status"] == "401"


def test_the_command_prints_a_token_once_and_stores_only_its_digest(capsys, client):
    call_command("scim_token", "create", "Okta")
    raw = capsys.readouterr().out.strip()
    token = ScimToken.objects.get(name="Okta")
    assert token.digest == token_digest(raw)
    assert raw not in token.digest
    ok = client.get("/scim/v2/ServiceProviderConfig", headers={"Authorization": f"Bearer {raw}"})
    assert ok.status_code == 200
    assert ok.json()["patch"]["supported"] is True
    call_command("scim_token", "revoke", "Okta")
    denied = client.get("/scim/v2/Users", headers={"Authorization": f"Bearer {raw}"})
    assert denied.status_code == 401


def test_hr_creates_a_token_in_the_admin_and_sees_it_once(client, hr):
    from allyship.services import hr_group

    hr.groups.add(hr_group())
    client.force_login(hr)
    response = client.post("/admin/scim/scimtoken/add/", {"name": "Entra"}, follow=True)
    assert response.status_code == 200
    token = ScimToken.objects.get(name="Entra")
    shown = [str(message) for message in response.context["messages"]]
    raw = next(m for m in shown if "not shown again" in m).rsplit(" ", 1)[-1]
    assert token.digest == token_digest(raw)


def test_a_manager_set_over_scim_can_open_their_team_page_and_a_former_one_cannot(scim, client):
    first = UserFactory(email="first@acme.example")
    second = UserFactory(email="second@acme.example")
    pk = scim.post(
        "Users", entra_user("ada@acme.example", manager={"value": str(first.pk)})
    ).json()["id"]
    first.refresh_from_db()
    assert first.has_reports is True
    client.force_login(first)
    assert client.get("/manager/").status_code == 200

    response = scim.patch(
        f"Users/{pk}",
        patch({"op": "Replace", "path": f"{ENTERPRISE}:manager", "value": str(second.pk)}),
    )
    assert response.status_code == 200, response.content
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.has_reports, second.has_reports) == (False, True)
    assert client.get("/manager/").status_code == 403


def test_a_deleted_persons_manager_keeps_no_team_and_the_hr_tables_see_them_inactive(scim):
    boss = UserFactory(email="boss@acme.example")
    pk = scim.post("Users", entra_user("ada@acme.example", manager={"value": str(boss.pk)})).json()[
        "id"
    ]
    assert scim.delete(f"Users/{pk}").status_code == 204
    boss.refresh_from_db()
    assert boss.has_reports is False
    assert LearningSummary.objects.get(user_id=pk).is_active is False


def test_group_membership_over_scim_moves_people_in_the_hr_tables(scim):
    ada = UserFactory(email="ada@acme.example", department=None)
    bob = UserFactory(email="bob@acme.example", department=None)
    group = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Research"}
    response = scim.post("Groups", {**group, "members": [{"value": str(ada.pk)}]})
    assert response.status_code == 201, response.content
    research = Department.objects.get(name="Research")
    assert LearningSummary.objects.get(user=ada).department_id == research.pk
    gid = response.json()["id"]
    response = scim.put(f"Groups/{gid}", {**group, "members": [{"value": str(bob.pk)}]})
    assert response.status_code == 200, response.content
    assert LearningSummary.objects.get(user=ada).department_id is None
    assert LearningSummary.objects.get(user=bob).department_id == research.pk
    assert scim.delete(f"Groups/{gid}").status_code == 204
    assert LearningSummary.objects.get(user=bob).department_id is None
