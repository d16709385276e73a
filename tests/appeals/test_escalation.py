"""Escalation (AP-20): advisors pass complaints to the head of department; cases go up the ladder."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from appeals.errors import AppealError
from appeals.models import Application, Body, Channel, Event, Kind, Level, Status
from appeals.services import workflow
from appeals.services.escalation import escalation_targets, pass_to_department
from portal.models import Notification, Role
from tests.academics.factories import make_staff
from tests.appeals.factories import at, filing, make_school
from tests.appeals.grades_support import make_head
from tests.factories import RoleAssignmentFactory, StaffProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The errors are matched by their English msgids, whatever the catalogues hold."""
    with translation.override("en"):
        yield


def make_advisor(school):
    advisor = StaffProfileFactory.create(department=school.student.group.programme.department).user
    RoleAssignmentFactory.create(user=advisor, role=Role.ADVISOR, group=school.student.group)
    return advisor


def test_ap20_an_advisor_passes_a_students_complaint_to_the_head_of_department():
    """AP-20 (002 9.2): registered for the student (number, date, 15 working days: 17.11 -> 08.12.2026),
    channel "advisor", filed by the advisor, at the department level, the head assigned and told."""
    school = make_school("IT")
    advisor = make_advisor(school)
    head = make_head(school.student.group.programme.department)
    case = pass_to_department(advisor, school.student, filing(Kind.COMPLAINT), now=at(2026, 11, 17))
    assert (case.number, case.registered_on, case.due_on) == ("IT-2026/00001", date(2026, 11, 17), date(2026, 12, 8))
    assert (case.applicant, case.filed_by, case.channel) == (school.student.user, advisor, Channel.ADVISOR)
    assert (case.level, case.body, case.status) == (Level.DEPARTMENT, Body.DEPARTMENT, Status.IN_REVIEW)
    assert case.department == school.student.group.programme.department
    assert list(case.handlers.all()) == [head]
    assert Notification.objects.filter(recipient=head, subject__contains=case.number).exists()
    assert Notification.objects.filter(recipient=school.student.user, subject__contains=case.number).exists()
    events = list(case.events.values_list("type", flat=True))
    assert events == [Event.Type.REGISTERED, Event.Type.ROUTED, Event.Type.ASSIGNED]


def test_ap20_a_proposal_too_but_not_other_kinds():
    school = make_school()
    advisor = make_advisor(school)
    make_head(school.student.group.programme.department)
    assert pass_to_department(advisor, school.student, filing(Kind.PROPOSAL)).kind == Kind.PROPOSAL
    with pytest.raises(AppealError, match="complaint or a proposal"):
        pass_to_department(advisor, school.student, filing(Kind.APPLICATION))
    assert Application.objects.count() == 1


def test_ap20_only_the_students_own_advisor_passes_it_on():
    school = make_school()
    make_head(school.student.group.programme.department)
    other_advisor = make_advisor(make_school())
    for stranger in (other_advisor, school.teacher, school.student.user):
        with pytest.raises(PermissionDenied):
            pass_to_department(stranger, school.student, filing(Kind.COMPLAINT))
    assert not Application.objects.exists()


def test_ap20_a_department_without_a_head_is_reported_and_nothing_is_stored():
    school = make_school()
    with pytest.raises(AppealError, match="no head of department"):
        pass_to_department(make_advisor(school), school.student, filing(Kind.COMPLAINT))
    assert not Application.objects.exists()


def _department_case():
    school = make_school()
    head = make_head(school.student.group.programme.department)
    case = pass_to_department(make_advisor(school), school.student, filing(Kind.COMPLAINT), now=at(2026, 11, 17))
    return school, head, case


def test_ap20_the_ladder_above_a_department_case_lists_each_levels_officials():
    """AP-20 (002 8.2): advisor - department - institute - vice-rector - rector."""
    school, _head, case = _department_case()
    vice_rector, rector = make_staff(Role.VICE_RECTOR_SOCIAL), make_staff(Role.RECTOR)
    targets = escalation_targets(case)
    assert [(level, people) for level, people in targets] == [
        (Level.INSTITUTE, [school.dean]),
        (Level.VICE_RECTOR, [vice_rector]),
        (Level.RECTOR, [rector]),
    ]
    assert [int(level) for level in Level] == [1, 2, 3, 4, 5]


def test_ap20_the_head_passes_the_case_up_to_the_dean():
    school, head, case = _department_case()
    workflow.escalate(head, case, Level.INSTITUTE, school.dean, "Кафедра деңгейінде шешілмейді")
    case.refresh_from_db()
    assert case.level == Level.INSTITUTE and case.status == Status.IN_REVIEW
    assert set(case.handlers.all()) == {head, school.dean}
    event = case.events.get(type=Event.Type.ESCALATED)
    assert event.actor == head and "Кафедра деңгейінде шешілмейді" in event.note


def test_ap20_the_new_handler_must_hold_the_role_of_that_level_nothing_changes_otherwise():
    """AP-20: passed to the vice-rector's level, the handler must be the vice-rector (the dean is not)."""
    school, head, case = _department_case()
    vice_rector = make_staff(Role.VICE_RECTOR_SOCIAL)
    with pytest.raises(AppealError, match="does not hold the role"):
        workflow.escalate(head, case, Level.VICE_RECTOR, school.dean, "Жоғары деңгейге")
    other_dean = make_school().dean
    with pytest.raises(AppealError, match="does not hold the role"):
        workflow.escalate(head, case, Level.INSTITUTE, other_dean, "Институтқа")
    with pytest.raises(AppealError, match="higher level"):
        workflow.escalate(head, case, Level.DEPARTMENT, head, "Сол деңгей")
    case.refresh_from_db()
    assert case.level == Level.DEPARTMENT and not case.events.filter(type=Event.Type.ESCALATED).exists()
    workflow.escalate(head, case, Level.VICE_RECTOR, vice_rector, "Жоғары деңгейге")
    assert Application.objects.get(pk=case.pk).level == Level.VICE_RECTOR


def test_ap20_a_stranger_cannot_pass_the_case_up():
    school, _head, case = _department_case()
    for stranger in (school.teacher, school.student.user, make_school().dean):
        with pytest.raises(PermissionDenied):
            workflow.escalate(stranger, case, Level.INSTITUTE, school.dean, "Институтқа")
    assert Application.objects.get(pk=case.pk).level == Level.DEPARTMENT
