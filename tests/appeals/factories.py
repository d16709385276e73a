"""Appeals test data: a school with its dean, students and staff, and cases filed through the services."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from appeals.models import Application, Kind
from appeals.services.filing import Filing, file_application
from portal.models import Institute, Role, StudentProfile, User
from tests.factories import (
    DepartmentFactory,
    ProgrammeFactory,
    RoleAssignmentFactory,
    StaffProfileFactory,
    StudyGroupFactory,
    make_student,
)

ALMATY = ZoneInfo("Asia/Almaty")
TEXT = "Емтихан кестесі өзгертілді, бірақ топқа ешкім хабарламады. Кестені қайта қарауды сұраймын."


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """An aware Almaty time, as the services receive it."""
    return datetime(year, month, day, hour, minute, tzinfo=ALMATY)


@dataclass
class School:
    institute: Institute
    dean: User
    student: StudentProfile
    teacher: User


def make_school(code: str | None = None) -> School:
    """An institute with a dean, one student and one teacher (staff)."""
    department = DepartmentFactory.create(**({"institute__code": code} if code else {}))
    programme = ProgrammeFactory.create(department=department)
    group = StudyGroupFactory.create(programme=programme)
    student = make_student(group=group)
    dean = StaffProfileFactory.create(department=department).user
    RoleAssignmentFactory.create(user=dean, role=Role.DEAN, institute=department.institute)
    teacher = StaffProfileFactory.create(department=department).user
    RoleAssignmentFactory.create(user=teacher, role=Role.TEACHER, department=department)
    return School(department.institute, dean, student, teacher)


def filing(kind: str = Kind.COMPLAINT, subject: str = "Емтихан кестесі", text: str = TEXT, **kwargs: object) -> Filing:
    return Filing(kind=kind, subject=subject, text=text, **kwargs)  # type: ignore[arg-type]


def file_case(applicant: User, when: datetime | None = None, **kwargs: object) -> Application:
    """A case filed in the portal by `applicant` (default: a Tuesday morning in November 2026)."""
    return file_application(applicant, filing(**kwargs), now=when or at(2026, 11, 17))  # type: ignore[arg-type]
