"""Shared set-up of the expanded-commission tests: a school with people for every seat, a case referred."""

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.test import Client

from appeals.models import Application, Body, BodyMember, CommissionSeat, Decision, Kind
from appeals.services import commission
from portal.models import Department, Role, User
from tests.appeals.factories import School, file_case, make_school
from tests.factories import PASSWORD, DepartmentFactory, RoleAssignmentFactory, StaffProfileFactory

Seat = CommissionSeat.Role
ORDER_DAY = date(2026, 11, 18)  # the case is filed on Tuesday 17.11.2026, due 08.12.2026


@pytest.fixture
def tmp_media(settings, tmp_path):
    """Protocols, answer letters and department documents are written under the test's own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


def staff(home: Department, last_name: str, role: str | None = None, **scope: object) -> User:
    user = StaffProfileFactory.create(department=home, user__last_name=last_name).user
    if role:
        RoleAssignmentFactory.create(user=user, role=role, **scope)
    return user


@dataclass
class Commissioners:
    """The people who may sit on the school's expanded commissions, one per role."""

    school: School
    department: Department
    people: dict[str, User] = field(default_factory=dict)

    def seats(self, *roles: str) -> list[tuple[str, User]]:
        return [(role, self.people[role]) for role in roles]

    def student_seats(self) -> list[tuple[str, User]]:
        return self.seats(*commission.required_roles("student"))

    def staff_seats(self) -> list[tuple[str, User]]:
        return self.seats(*commission.required_roles("staff"))


def make_commissioners(code: str | None = None) -> Commissioners:
    school = make_school(code)
    department = school.student.group.programme.department
    institute = school.institute
    people: dict[str, User] = {
        Seat.YOUTH_POLICY: staff(department, "Жастарова", Role.YOUTH_POLICY_SPECIALIST),
        Seat.STUDENT_DEAN: staff(department, "Студдеканова", Role.STUDENT_DEAN, institute=institute),
        Seat.ETHICS_COUNCIL: staff(department, "Этикова"),
        Seat.STAFF_UNION: staff(department, "Кәсіподақов"),
        Seat.PROGRAMME_COMMITTEE: staff(department, "Бағдарламов"),
        Seat.QUALITY_COMMISSION: staff(department, "Сапаев"),
        Seat.LAWYER: staff(department, "Заңгерова"),
        Seat.INVITED: staff(department, "Шақырылған"),
    }
    BodyMember.objects.create(body=Body.ETHICS_COUNCIL, institute=None, user=people[Seat.ETHICS_COUNCIL])
    BodyMember.objects.create(body=Body.PROGRAMME_COMMITTEE, institute=institute, user=people[Seat.PROGRAMME_COMMITTEE])
    BodyMember.objects.create(body=Body.QUALITY_COMMISSION, institute=institute, user=people[Seat.QUALITY_COMMISSION])
    return Commissioners(school, department, people)


def referred(c: Commissioners, applicant: User | None = None, kind: str = Kind.COMPLAINT) -> Application:
    """A complaint referred to an expanded commission by the dean's order 15-к of 18.11.2026."""
    applicant = applicant or c.school.student.user
    case = file_case(applicant, kind=kind)
    seats = c.student_seats() if hasattr(applicant, "student") else c.staff_seats()
    commission.form_commission(
        c.school.dean, case, order_number="15-к", order_date=ORDER_DAY, seats=seats, today=ORDER_DAY
    )
    case.refresh_from_db()
    return case


def decide(c: Commissioners, case: Application, facts: str = Decision.Facts.CONFIRMED, **kwargs: object) -> Decision:
    seats = CommissionSeat.objects.filter(commission__application=case).values_list("pk", flat=True)
    values: dict[str, object] = {
        "facts": facts,
        "reasoning": "Кесте топқа хабарланбаған; деканат хатшысы хабарламаны жібермеген.",
        "measures": "Деканат хатшысына ескерту жасалсын." if facts == Decision.Facts.CONFIRMED else "",
        "present": list(seats),
        "decided_on": date(2026, 11, 20),
    }
    values.update(kwargs)
    return commission.record_decision(c.school.dean, case, **values)  # type: ignore[arg-type]


def head_of(department: Department | None = None) -> User:
    department = department or DepartmentFactory.create()
    return staff(department, "Меңгерушіев", Role.HEAD_OF_DEPARTMENT, department=department)


def client_for(user: User) -> Client:
    client = Client()
    assert client.login(username=user.id_code, password=PASSWORD)
    return client
