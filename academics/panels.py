"""Dashboard panels academics adds to the portal's boards (registered in AcademicsConfig.ready)."""

from django.db.models import Count, Q

from academics import rules, selectors
from academics.models import AcademicYear, Enrolment, GradeRecord, Offering
from academics.services import standing
from portal.dashboards import Panel
from portal.models import StudentProfile, User


def teacher_offerings(user: User) -> Panel | None:
    offerings = list(
        Offering.objects.filter(teachers=user)
        .select_related("discipline", "term__academic_year")
        .order_by("-term__starts_on", "discipline__code")
    )
    return Panel("academics/panels/teacher_offerings.html", {"offerings": offerings})


def student_grades(user: User) -> Panel | None:
    """The current academic year's disciplines with their scores and attendance (AC-24)."""
    year = selectors.current_academic_year()
    enrolments = list(
        Enrolment.objects.filter(student__user=user, offering__term__academic_year=year)
        .select_related("grade", "offering__discipline", "offering__term__academic_year")
        .annotate(held=Count("attendance"), attended=Count("attendance", filter=Q(attendance__present=True)))
        .order_by("-offering__term__starts_on", "offering__discipline__code")
    )
    rows = [
        (e, getattr(e, "grade", None), rules.attendance_percent(e.attended, e.held) if e.held else None)
        for e in enrolments
    ]
    return Panel("academics/panels/student_grades.html", {"rows": rows, "year": year})


def student_standing(user: User) -> Panel | None:
    """GPA, standing, debts, alerts and what is coming (issue 3, item 12)."""
    student = StudentProfile.objects.filter(user=user).first()
    if student is None:
        return None
    year = selectors.current_academic_year()
    context: dict[str, object] = {
        "standing": standing.standing(student, year),
        "year": year,
        "deadlines": selectors.student_deadlines(student),
        "year_graded": GradeRecord.objects.filter(
            enrolment__student=student, signed_at__isnull=False, enrolment__offering__term__academic_year=year
        ).exists(),
    }
    return Panel("academics/panels/student_standing.html", context)


def registrar_calendar(user: User) -> Panel | None:
    years = list(AcademicYear.objects.order_by("-start_year")[:3])
    return Panel("academics/panels/registrar_calendar.html", {"years": years})


def registrar_import(user: User) -> Panel | None:
    """The registrar board links the import of groups, students and enrolments (issue 3)."""
    return Panel("academics/panels/registrar_import.html", {})


def dean_sanctions(user: User) -> Panel | None:
    """The dean's office keeps the register of disciplinary sanctions (AC-21)."""
    return Panel("academics/panels/dean_sanctions.html", {})
