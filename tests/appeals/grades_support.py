"""Test data for grade appeals (AP-18), higher appeals (AP-14) and escalation (AP-20)."""

from dataclasses import dataclass
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from academics.models import Enrolment, GradeRecord
from academics.services.gradebook import compute_result
from appeals.models import Application
from appeals.services.grades import GradeAppealFiling, file_grade_appeal
from portal.models import Department, Role, StudentProfile, User
from tests.academics.factories import DisciplineFactory, OfferingFactory
from tests.appeals.factories import School, at, make_school
from tests.factories import RoleAssignmentFactory, StaffProfileFactory, UserFactory

REASON = "Жеті сұрақтың нұсқаларында дұрыс жауап жоқ: екі нұсқа да силлабуста көрсетілгеннен өзгеше."


@dataclass
class GradeSchool:
    school: School
    department: Department
    head: User
    enrolment: Enrolment

    @property
    def student(self) -> User:
        return self.school.student.user

    @property
    def dean(self) -> User:
        return self.school.dean


def signed_enrolment(
    student: StudentProfile, r1: int = 70, r2: int = 70, exam: int = 60, signed: bool = True, name: str = "Физика"
) -> Enrolment:
    """The student's grade in a discipline, entered by the teacher (R1 70, R2 70, E 60 -> 66 % C) and signed."""
    offering = OfferingFactory.create(discipline=DisciplineFactory.create(name_kk=name))
    teacher = UserFactory.create()
    offering.teachers.add(teacher)
    enrolment = Enrolment.objects.create(offering=offering, student=student)
    grade = GradeRecord(enrolment=enrolment, r1=Decimal(r1), r2=Decimal(r2), exam=Decimal(exam))
    compute_result(grade, False, "handbook")
    if signed:
        grade.signed_at, grade.signed_by = timezone.now(), teacher
    grade.save()
    return enrolment


def make_head(department: Department) -> User:
    head = StaffProfileFactory.create(department=department).user
    RoleAssignmentFactory.create(user=head, role=Role.HEAD_OF_DEPARTMENT, department=department)
    return head


def make_grade_school(code: str | None = None) -> GradeSchool:
    """A school (dean, student) with the head of the student's department and a signed grade of 66 % (C)."""
    school = make_school(code)
    department = school.student.group.programme.department
    return GradeSchool(school, department, make_head(department), signed_enrolment(school.student))


def file_appeal(gs: GradeSchool, question: int = 7, ground: str = "no_correct_answer", **kwargs: object) -> Application:
    """A grade appeal filed by the school's student (default: a Tuesday morning in January 2027)."""
    appeal = GradeAppealFiling(enrolment=gs.enrolment, question_number=question, ground=ground, text=REASON)
    return file_grade_appeal(gs.student, appeal, now=kwargs.get("now") or at(2027, 1, 19))  # type: ignore[arg-type]


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
