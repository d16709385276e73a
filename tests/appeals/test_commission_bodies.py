"""AP-09: the standing bodies' members, managed by the dean and (the ethics council) by the rector or an
administrator; audited; 403 out of scope."""

import pytest
from django.core.exceptions import PermissionDenied

from appeals.errors import AppealError
from appeals.models import Body, BodyMember
from appeals.permissions import visible_applications
from appeals.services import commission
from appeals.services.commission.bodies import StandingBody
from portal.models import Role
from tests.appeals.commission_support import client_for, make_commissioners, staff
from tests.appeals.factories import file_case, make_school
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_ap09_the_dean_manages_the_institutes_three_bodies():
    school = make_school()
    assert commission.managed_bodies(school.dean) == [
        StandingBody(Body.DEANS_COUNCIL, school.institute),
        StandingBody(Body.PROGRAMME_COMMITTEE, school.institute),
        StandingBody(Body.QUALITY_COMMISSION, school.institute),
    ]
    row = commission.add_body_member(school.dean, Body.PROGRAMME_COMMITTEE, school.institute, school.teacher)
    assert (row.body, row.institute, row.user) == (Body.PROGRAMME_COMMITTEE, school.institute, school.teacher)
    assert row.history.get().history_user == school.dean
    commission.remove_body_member(school.dean, row)
    assert not BodyMember.objects.exists()
    assert [h.history_type for h in BodyMember.history.order_by("history_id")] == ["+", "-"]
    assert BodyMember.history.latest("history_id").history_user == school.dean


def test_ap09_the_ethics_council_is_managed_by_the_rector_and_has_no_institute():
    school = make_school()
    rector = RoleAssignmentFactory.create(role=Role.RECTOR).user
    assert commission.managed_bodies(rector) == [StandingBody(Body.ETHICS_COUNCIL, None)]
    row = commission.add_body_member(rector, Body.ETHICS_COUNCIL, school.institute, school.teacher)
    assert row.institute is None
    with pytest.raises(PermissionDenied):
        commission.add_body_member(school.dean, Body.ETHICS_COUNCIL, None, school.dean)
    admin = RoleAssignmentFactory.create(role=Role.ADMINISTRATOR).user
    commission.remove_body_member(admin, row)
    assert not BodyMember.objects.exists()


def test_ap09_another_institutes_dean_is_refused_and_nothing_changes():
    school, other = make_school(), make_school()
    with pytest.raises(PermissionDenied):
        commission.add_body_member(other.dean, Body.DEANS_COUNCIL, school.institute, school.teacher)
    row = BodyMember.objects.create(body=Body.DEANS_COUNCIL, institute=school.institute, user=school.teacher)
    with pytest.raises(PermissionDenied):
        commission.remove_body_member(other.dean, row)
    assert BodyMember.objects.count() == 1


def test_ap09_a_member_twice_or_an_inactive_account_is_refused():
    school = make_school()
    commission.add_body_member(school.dean, Body.DEANS_COUNCIL, school.institute, school.teacher)
    with pytest.raises(AppealError, match="already a member of the Dean's council"):
        commission.add_body_member(school.dean, Body.DEANS_COUNCIL, school.institute, school.teacher)
    gone = UserFactory.create(is_active=False)
    with pytest.raises(AppealError, match="not active"):
        commission.add_body_member(school.dean, Body.DEANS_COUNCIL, school.institute, gone)
    with pytest.raises(AppealError, match="standing bodies"):
        commission.add_body_member(school.dean, Body.EXPANDED_COMMISSION, school.institute, gone)
    assert BodyMember.objects.count() == 1


def test_ap21_a_bodys_members_see_the_cases_sent_to_it():
    """AP-21: the members of the body considering a case see it; the ethics council's across institutes."""
    c = make_commissioners()
    case = file_case(c.school.student.user)
    case.body = Body.ETHICS_COUNCIL
    case.save()
    assert case in visible_applications(c.people["ethics_council"])
    assert case not in visible_applications(c.people["programme_committee"])


def test_ap09_the_bodies_page_lists_members_and_adds_one(django_assert_max_num_queries):
    school = make_school()
    department = school.student.group.programme.department
    for i in range(12):
        BodyMember.objects.create(
            body=Body.QUALITY_COMMISSION, institute=school.institute, user=staff(department, f"Мүше{i}")
        )
    client = client_for(school.dean)
    with django_assert_max_num_queries(12):
        page = client.get("/appeals/commission/bodies/")
    assert page.status_code == 200 and page.content.decode().count("Мүше") == 12
    key = f"{Body.DEANS_COUNCIL}:{school.institute.pk}"
    response = client.post("/appeals/commission/bodies/add/", {"body": key, "member": school.teacher.id_code})
    assert response.status_code == 302
    assert BodyMember.objects.filter(body=Body.DEANS_COUNCIL, user=school.teacher).exists()
    response = client.post("/appeals/commission/bodies/add/", {"body": key, "member": "NOBODY"}, follow=True)
    assert "NOBODY" in response.content.decode()


def test_ap09_the_bodies_page_is_403_out_of_scope():
    school, other = make_school(), make_school()
    assert client_for(school.teacher).get("/appeals/commission/bodies/").status_code == 403
    key = f"{Body.DEANS_COUNCIL}:{school.institute.pk}"
    client = client_for(other.dean)
    assert (
        client.post("/appeals/commission/bodies/add/", {"body": key, "member": school.teacher.id_code}).status_code
        == 403
    )
    row = BodyMember.objects.create(body=Body.DEANS_COUNCIL, institute=school.institute, user=school.teacher)
    assert client.post(f"/appeals/commission/bodies/{row.pk}/remove/").status_code == 403
    assert BodyMember.objects.count() == 1
