"""Dashboard panels academics adds to the portal's boards (registered in AcademicsConfig.ready)."""

from django.db.models import Count, Q
from django.utils import timezone

from academics import rules, selectors
from academics.models import (
    AcademicDifference,
    AcademicYear,
    Enrolment,
    GradeRecord,
    Offering,
    TransferRun,
    TuitionContract,
)
from academics.services import differences, nonformal, standing, summer, tuition
from portal.dashboards import Panel
from portal.models import Role, User
from portal.permissions import groups_in_scope, user_roles


def teacher_offerings(user: User) -> Panel | None:
    offerings = list(
        Offering.objects.filter(teachers=user)
        .select_related("discipline", "term__academic_year")
        .order_by("-term__starts_on", "discipline__code")
    )
    return Panel("academics/panels/teacher_offerings.html", {"offerings": offerings})


def student_grades(user: User) -> Panel | None:
    """The current academic year's disciplines with their scores and attendance (AC-24)."""
    student = user.student_profile
    if student is None:
        return None
    year = selectors.current_academic_year()
    enrolments = list(
        # By the student's id, not through the user: Postgres then starts from the student's enrolments.
        Enrolment.objects.filter(student=student, offering__term__academic_year=year)
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
    student = user.student_profile
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


def student_summer(user: User) -> Panel | None:
    """AC-15/AC-16: the summer application window and the student's own applications and requests."""
    student = user.student_profile
    if student is None:
        return None
    term = summer.upcoming_summer_term()
    applications = list(
        student.summer_applications.select_related("discipline", "term__academic_year").order_by(
            "-term__starts_on", "discipline__code"
        )[:10]
    )
    recognitions = list(student.nonformal_recognitions.select_related("discipline")[:5])
    return Panel(
        "academics/panels/student_summer.html",
        {
            "term": term,
            "deadline": summer.application_deadline(term) if term else None,
            "window_open": term is not None and rules.summer_application_in_time(timezone.localdate(), term.starts_on),
            "applications": applications,
            "recognitions": recognitions,
        },
    )


def student_differences(user: User) -> Panel | None:
    """AC-20: the student's open academic differences (no panel when there are none)."""
    rows = list(
        AcademicDifference.objects.filter(student__user=user, cleared_at__isnull=True)
        .select_related("discipline", "due_term__academic_year")
        .order_by("pk")
    )
    return Panel("academics/panels/student_differences.html", {"rows": rows}) if rows else None


def registrar_summer(user: User) -> Panel | None:
    """AC-15: the coming summer term's courses, with those ready to open first."""
    term = summer.upcoming_summer_term()
    courses = summer.summer_courses(term) if term else []
    courses.sort(key=lambda c: (not c.can_open, -c.paid))
    return Panel(
        "academics/panels/registrar_summer.html",
        {"term": term, "courses": courses[:8], "ready": sum(c.can_open for c in courses), "total": len(courses)},
    )


def staff_differences(user: User) -> Panel | None:
    """AC-20: open and overdue academic differences in the registrar's or dean's scope."""
    today = timezone.localdate()
    counts = differences.in_scope(user).aggregate(
        open=Count("pk", filter=Q(cleared_at__isnull=True)),
        overdue=Count("pk", filter=differences.overdue(today)),
    )
    return Panel("academics/panels/staff_differences.html", counts)


def recognitions_to_agree(user: User) -> Panel | None:
    """AC-16: non-formal learning waiting for this lecturer's or head of department's agreement."""
    waiting = nonformal.awaiting(user)
    rows = list(waiting[:5])
    count = len(rows) if len(rows) < 5 else waiting.count()
    if not rows and Role.HEAD_OF_DEPARTMENT not in user_roles(user):
        return None  # a teacher without requests sees no empty panel
    return Panel("academics/panels/recognitions_to_agree.html", {"rows": rows, "count": count})


def student_tuition(user: User) -> Panel | None:
    """AC-18: the student's tuition at a glance, when they have a contract (one query)."""
    today = timezone.localdate()
    items = tuition.ledgers(TuitionContract.objects.filter(student__user=user), today)
    if not items:
        return None
    return Panel("academics/panels/student_tuition.html", {"status": tuition.status_of(ledger for _c, ledger in items)})


def _debtor_counts(user: User, roles: tuple[str, ...]) -> dict[str, object]:
    scope = None if user.is_superuser else groups_in_scope(user, roles)
    not_admitted, expulsion = tuition.debtor_counts(timezone.localdate(), scope)
    return {
        "not_admitted": not_admitted,
        "expulsion": expulsion,
        "can_manage": tuition.can_manage_tuition(user),
    }


def registrar_tuition(user: User) -> Panel | None:
    """AC-18: the registrar's links to the contracts and the debtor lists, with their sizes."""
    return Panel("academics/panels/tuition_lists.html", _debtor_counts(user, (Role.REGISTRAR,)))


def dean_tuition(user: User) -> Panel | None:
    """AC-18: a dean reads the debtor lists of their institute (a student dean does not); links only,
    so the dean's board costs no extra query."""
    if Role.DEAN not in user_roles(user):
        return None
    return Panel("academics/panels/tuition_lists.html", {"can_manage": False})


def registrar_decisions(user: User) -> Panel | None:
    """Links to the transfer decisions (AC-12) and the scholarship list (AC-17), with the latest run."""
    last_run = TransferRun.objects.select_related("academic_year").first()
    return Panel("academics/panels/registrar_decisions.html", {"last_run": last_run})


def dean_scholarship(user: User) -> Panel | None:
    """The dean's read-only way to the scholarship list of their scope (AC-17)."""
    return Panel("academics/panels/dean_scholarship.html", {})
