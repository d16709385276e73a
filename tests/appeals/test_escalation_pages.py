"""The advisor's page and the escalation page (AP-20)."""

import pytest
from django.urls import reverse

from appeals.models import Application, Channel, Level, Outcome
from appeals.services import workflow
from appeals.services.escalation import pass_to_department
from portal.models import Role
from tests.academics.factories import make_staff
from tests.appeals.factories import TEXT, at, filing, make_school
from tests.appeals.grades_support import client_for, make_head
from tests.factories import RoleAssignmentFactory, StaffProfileFactory

pytestmark = pytest.mark.django_db
PASS = reverse("appeals:advisor_pass")


def make_advisor(school):
    advisor = StaffProfileFactory.create(department=school.student.group.programme.department).user
    RoleAssignmentFactory.create(user=advisor, role=Role.ADVISOR, group=school.student.group)
    return advisor


def _data(student, **kwargs):
    return {"student": student.pk, "kind": "complaint", "subject": "Жатақхана", "text": TEXT, **kwargs}


def test_ap20_the_advisor_passes_a_complaint_on_from_the_page():
    school = make_school()
    advisor = make_advisor(school)
    head = make_head(school.student.group.programme.department)
    other = make_school().student
    client = client_for(advisor)
    page = client.get(PASS).content.decode()
    assert school.student.user.full_name in page and f'value="{other.pk}"' not in page
    assert client.post(PASS, _data(school.student)).status_code == 302
    case = Application.objects.get()
    assert (case.applicant, case.filed_by, case.channel, case.level) == (
        school.student.user,
        advisor,
        Channel.ADVISOR,
        Level.DEPARTMENT,
    )
    assert list(case.handlers.all()) == [head]
    assert case.number in client.get(PASS).content.decode()
    board = client.get(reverse("dashboard", args=["advisor"])).content.decode()
    assert 'id="panel-advisor-pass"' in board


def test_ap20_another_groups_student_or_kind_is_refused_and_nothing_stored():
    school = make_school()
    advisor = make_advisor(school)
    make_head(school.student.group.programme.department)
    client = client_for(advisor)
    assert client.post(PASS, _data(make_school().student)).status_code == 200
    assert client.post(PASS, _data(school.student, kind="application")).status_code == 200
    assert not Application.objects.exists()


def test_ap20_only_advisors_open_the_page():
    school = make_school()
    for person in (school.teacher, school.dean, school.student.user):
        assert client_for(person).get(PASS).status_code == 403
        assert client_for(person).post(PASS, _data(school.student)).status_code == 403
    assert not Application.objects.exists()


def _department_case():
    school = make_school()
    head = make_head(school.student.group.programme.department)
    case = pass_to_department(make_advisor(school), school.student, filing(), now=at(2026, 11, 17))
    return school, head, case


def test_ap20_the_head_passes_the_case_up_to_the_dean_from_the_page():
    school, head, case = _department_case()
    vice_rector = make_staff(Role.VICE_RECTOR_SOCIAL)
    escalate = reverse("appeals:escalate", args=[case.pk])
    client = client_for(head)
    page = client.get(escalate).content.decode()
    assert f'value="{Level.INSTITUTE}:{school.dean.pk}"' in page
    assert f'value="{Level.VICE_RECTOR}:{vice_rector.pk}"' in page
    forged = client.post(escalate, {"target": f"{Level.VICE_RECTOR}:{school.dean.pk}", "reason": "Жоғарыға"})
    assert forged.status_code == 200 and Application.objects.get().level == Level.DEPARTMENT
    data = {"target": f"{Level.INSTITUTE}:{school.dean.pk}", "reason": "Кафедрада шешілмейді"}
    response = client.post(escalate, data)
    assert response.status_code == 302 and response["Location"] == reverse("appeals:case", args=[case.pk])
    case.refresh_from_db()
    assert case.level == Level.INSTITUTE and school.dean in case.handlers.all()


def test_ap20_a_stranger_gets_403_on_the_escalation_page():
    school, _head, case = _department_case()
    escalate = reverse("appeals:escalate", args=[case.pk])
    for person in (school.teacher, school.student.user, make_school().dean):
        assert client_for(person).get(escalate).status_code == 403
        data = {"target": f"{Level.INSTITUTE}:{school.dean.pk}", "reason": "Институтқа"}
        assert client_for(person).post(escalate, data).status_code == 403
    assert Application.objects.get().level == Level.DEPARTMENT


def test_ap20_an_answered_case_is_not_passed_on():
    school, head, case = _department_case()
    workflow.answer_case(head, case, Outcome.EXPLAINED, "Жылу қосылды.")
    escalate = reverse("appeals:escalate", args=[case.pk])
    client = client_for(head)
    page = client.get(escalate).content.decode()
    assert 'id="not-possible"' in page and 'id="escalate-form"' not in page
    data = {"target": f"{Level.INSTITUTE}:{school.dean.pk}", "reason": "Институтқа"}
    assert client.post(escalate, data).status_code == 200
    assert Application.objects.get().level == Level.DEPARTMENT
