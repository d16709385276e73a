"""The student's board: grades with attendance, GPA, standing, debts, alerts and deadlines (issue 3, item 12)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from academics.models import AttendanceMark, ClassSession, Term
from academics.services.gradebook import record_scores, sign_statement
from academics.services.standing import attendance_alerts
from tests.academics.factories import AcademicYearFactory, OfferingFactory, TermFactory
from tests.factories import UserFactory, make_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def running_term():
    """A term whose classes run now, with its exam session in three weeks and FX retakes after it."""
    today = timezone.localdate()
    year = AcademicYearFactory.create(
        start_year=today.year - 1, starts_on=today - timedelta(days=200), ends_on=today + timedelta(days=160)
    )
    return TermFactory.create(
        academic_year=year,
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=20),
        exams_start=today + timedelta(days=21),
        exams_end=today + timedelta(days=40),
        fx_retake_opens=today + timedelta(days=41),
        fx_retake_closes=today + timedelta(days=48),
    )


def _attendance(offering, enrolment, present, absent):
    for number in range(present + absent):
        held_on = offering.term.starts_on + timedelta(days=number)
        session = ClassSession.objects.create(offering=offering, held_on=held_on)
        AttendanceMark.objects.create(session=session, enrolment=enrolment, present=number < present)


def test_ac24_attendance_below_the_minimum_is_an_alert_in_the_standing(running_term):
    """AC-24: 7 of 10 classes is 70 %, below 80 %: an alert; 8 of 10 is not."""
    student = make_student()
    low = OfferingFactory.create(term=running_term, discipline__name_kk="Физика")
    ok = OfferingFactory.create(term=running_term, discipline__name_kk="Химия")
    _attendance(low, low.enrolments.create(student=student), present=7, absent=3)
    _attendance(ok, ok.enrolments.create(student=student), present=8, absent=2)
    alerts = attendance_alerts(student)
    assert [(a.discipline, a.percent) for a in alerts] == [("Физика", 70)]
    assert alerts[0].minimum == 80


def test_student_board_shows_gpa_debts_alerts_attendance_and_deadlines(running_term):
    student = make_student()
    teacher = UserFactory.create()
    offerings = [OfferingFactory.create(term=running_term, discipline__credits=5) for _ in range(8)]
    for i, offering in enumerate(offerings):
        offering.teachers.add(teacher)
        enrolment = offering.enrolments.create(student=student)
        _attendance(offering, enrolment, present=7 if i == 0 else 10, absent=3 if i == 0 else 0)
        if i < 2:  # one FX (a debt) and one A, both signed
            record_scores(
                teacher, enrolment, r1=40 if i == 0 else 100, r2=40 if i == 0 else 100, exam=40 if i == 0 else 100
            )
            sign_statement(teacher, offering)
        else:
            record_scores(teacher, enrolment, r1=80)
    summer = TermFactory.create(
        academic_year=running_term.academic_year,
        kind=Term.Kind.SUMMER,
        starts_on=timezone.localdate() + timedelta(days=100),
        ends_on=timezone.localdate() + timedelta(days=140),
        exams_start=timezone.localdate() + timedelta(days=141),
        exams_end=timezone.localdate() + timedelta(days=148),
    )
    client = Client()
    client.force_login(student.user)
    client.get("/dashboard/student/")  # the first view stores the board in the session; later ones write nothing
    with CaptureQueriesContext(connection) as before:
        body = client.get("/dashboard/student/").content.decode()
    # The session and user, the page, and the academics, elections and appeals panels, which share one read of
    # the student's record (User.student_profile).
    assert len(before) <= 30
    assert sum('FROM "portal_studentprofile"' in q["sql"] for q in before) == 1
    assert not any(q["sql"].startswith("UPDATE") for q in before)
    assert 'id="gpa-cumulative">2,25<' in body  # (0.5 x 5 + 4.0 x 5) / 10, shown with a decimal comma in Kazakh
    assert "Академиялық қарыз" in body and "FX" in body
    assert "70%" in body and "80%" in body  # the alert and the low attendance cell
    deadlines = body[body.index('id="deadlines"') :]
    assert running_term.exams_start.strftime("%d.%m.%Y") in deadlines
    assert running_term.fx_retake_closes.strftime("%d.%m.%Y") in deadlines
    assert (summer.starts_on - timedelta(days=10)).strftime("%d.%m.%Y") in deadlines
    # The query count does not grow with the number of disciplines.
    for _ in range(8):
        OfferingFactory.create(term=running_term).enrolments.create(student=student)
    with CaptureQueriesContext(connection) as after:
        client.get("/dashboard/student/")
    assert len(after) == len(before)
