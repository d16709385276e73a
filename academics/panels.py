"""Dashboard panels academics adds to the portal's boards (registered in AcademicsConfig.ready)."""

from academics.models import GradeRecord, Offering
from portal.dashboards import Panel
from portal.models import User


def teacher_offerings(user: User) -> Panel | None:
    offerings = list(
        Offering.objects.filter(teachers=user)
        .select_related("discipline", "term__academic_year")
        .order_by("-term__starts_on", "discipline__code")
    )
    return Panel("academics/panels/teacher_offerings.html", {"offerings": offerings})


def student_grades(user: User) -> Panel | None:
    grades = list(
        GradeRecord.objects.filter(enrolment__student__user=user)
        .select_related("enrolment__offering__discipline", "enrolment__offering__term__academic_year")
        .order_by("-enrolment__offering__term__starts_on", "enrolment__offering__discipline__code")
    )
    return Panel("academics/panels/student_grades.html", {"grades": grades})


def registrar_import(user: User) -> Panel | None:
    """The registrar board links the import of groups, students and enrolments (issue 3)."""
    return Panel("academics/panels/registrar_import.html", {})
