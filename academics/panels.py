"""Dashboard panels academics adds to the portal's boards (registered in AcademicsConfig.ready)."""

from academics.models import GradeRecord, Offering, TransferRun
from academics.services.standing import latest_transfer_decision
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


def student_transfer_decision(user: User) -> Panel | None:
    """The signed-in student's latest transfer decision (AC-12), the part of their standing they are told;
    no panel until the registrar has computed one. One query: the dashboard is every student's landing page."""
    decision = latest_transfer_decision(user=user)
    if decision is None:
        return None
    return Panel("academics/panels/student_transfer_decision.html", {"decision": decision})


def registrar_decisions(user: User) -> Panel | None:
    """Links to the transfer decisions (AC-12) and the scholarship list (AC-17), with the latest run."""
    last_run = TransferRun.objects.select_related("academic_year").first()
    return Panel("academics/panels/registrar_decisions.html", {"last_run": last_run})


def dean_scholarship(user: User) -> Panel | None:
    """The dean's read-only way to the scholarship list of their scope (AC-17)."""
    return Panel("academics/panels/dean_scholarship.html", {})
