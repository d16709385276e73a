"""PT-01: roles, scopes, dashboards and switching between roles."""

import pytest
from django.db import IntegrityError
from django.test import Client

from portal.dashboards import dashboards_for, landing_dashboard
from portal.models import Role, RoleAssignment
from portal.permissions import holds_role_over_group
from tests.factories import RoleAssignmentFactory, StudyGroupFactory, UserFactory, make_student

pytestmark = pytest.mark.django_db


def test_pt01_every_role_of_the_catalogue_exists():
    """PT-01: all roles of the catalogue are available."""
    expected = {
        "student",
        "group_head",
        "advisor",
        "teacher",
        "head_of_department",
        "dean",
        "student_dean",
        "registrar",
        "desw_director",
        "youth_policy_head",
        "youth_policy_specialist",
        "vice_rector_social",
        "rector",
        "commission_chair",
        "commission_secretary",
        "commission_member",
        "sg_officer",
        "club_leader",
        "staff_applicant",
        "administrator",
    }
    assert expected <= set(Role.values)


def test_pt01_every_role_leads_to_a_dashboard():
    """PT-01: each role lands on some dashboard."""
    for role in Role.values:
        assert landing_dashboard({role}) is not None, role


def test_pt01_a_person_with_several_roles_lands_on_the_first_and_can_switch():
    """PT-01: a teacher who is also an advisor lands on the advisor board and may switch to the teacher board."""
    user = UserFactory.create()
    group = StudyGroupFactory.create()
    RoleAssignmentFactory.create(user=user, role=Role.TEACHER)
    RoleAssignmentFactory.create(user=user, role=Role.ADVISOR, group=group)
    assert [d.key for d in dashboards_for({"teacher", "advisor"})] == ["advisor", "teacher"]
    client = Client()
    client.force_login(user)
    assert client.get("/")["Location"] == "/dashboard/advisor/"
    response = client.post("/dashboard-switch/", {"dashboard": "teacher"})
    assert response["Location"] == "/dashboard/teacher/"
    assert client.get("/")["Location"] == "/dashboard/teacher/"


def test_pt01_a_dashboard_outside_ones_roles_is_403(student_client):
    """PT-01: a student cannot open the dean's board, nor switch to it."""
    assert student_client.get("/dashboard/dean/").status_code == 403
    assert student_client.post("/dashboard-switch/", {"dashboard": "dean"}).status_code == 403
    assert student_client.get("/dashboard/student/").status_code == 200


def test_pt01_role_scope_covers_contained_units():
    """PT-01: a dean of an institute covers its groups, not another institute's."""
    group = StudyGroupFactory.create()
    other = StudyGroupFactory.create()
    dean = UserFactory.create()
    RoleAssignmentFactory.create(user=dean, role=Role.DEAN, institute=group.programme.department.institute)
    assert holds_role_over_group(dean, (Role.DEAN,), group)
    assert not holds_role_over_group(dean, (Role.DEAN,), other)


def test_pt01_an_assignment_has_at_most_one_scope():
    """PT-01: scoped to the university, an institute, a department or a group: one of them."""
    group = StudyGroupFactory.create()
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(
            user=UserFactory.create(), role=Role.ADVISOR, group=group, department=group.programme.department
        )


def test_pt01_group_page_is_403_outside_scope_and_shown_inside():
    """PT-01: an advisor sees the advised group's page, not another group's."""
    group = StudyGroupFactory.create()
    other = StudyGroupFactory.create()
    make_student(group=group)
    advisor = UserFactory.create()
    RoleAssignmentFactory.create(user=advisor, role=Role.ADVISOR, group=group)
    client = Client()
    client.force_login(advisor)
    assert client.get(f"/groups/{group.pk}/").status_code == 200
    assert client.get(f"/groups/{other.pk}/").status_code == 403


def test_pt01_a_user_without_roles_sees_an_explanation():
    client = Client()
    client.force_login(UserFactory.create())
    response = client.get("/")
    assert response.status_code == 200
    assert "Тіркеу бөліміне хабарласыңыз" in response.content.decode()
