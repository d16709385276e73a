"""A student's academic standing, read by elections and advising (issue 3, item 10).

GPA (AC-11) counts signed grades only, weighted by the discipline's credits, summer and practice
included; academic debt (AC-14) is a signed FX/F grade, or an exam no-show not yet amended, or an
academic difference not cleared by the end of its academic period (AC-20).
Valid disciplinary sanctions (AC-21), the overdue tuition (AC-18), attendance alerts (AC-24: a
discipline of a running term below the year's attendance minimum) and the latest stored transfer
decision (AC-12), if the registrar has computed one, are included.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from academics import rules
from academics.models import AcademicDifference, AcademicYear, Enrolment, GradeRecord, Sanction, TransferDecision
from academics.services.tuition import tuition_status
from portal.models import StudentProfile

UNSATISFACTORY = ("FX", "F")


@dataclass(frozen=True)
class Debt:
    discipline: str
    term: str
    letter: str
    no_show: bool
    # "grade" (AC-14) or "difference" (AC-20: `term` then names the period it was due in).
    kind: str = "grade"


@dataclass(frozen=True)
class AttendanceAlert:
    discipline: str
    term: str
    percent: Decimal
    minimum: Decimal


@dataclass(frozen=True)
class Standing:
    year_of_study: int
    gpa_cumulative: Decimal
    gpa_year: Decimal | None
    debts: tuple[Debt, ...]
    sanctions: tuple[str, ...]
    attendance_alerts: tuple[AttendanceAlert, ...] = ()
    # AC-18: the tuition principal overdue today, in KZT (0 when none, and for students not paying).
    tuition_debt: Decimal = Decimal("0.00")
    transfer_decision: TransferDecision | None = None

    @property
    def has_academic_debt(self) -> bool:
        return bool(self.debts)


def _final_grades(student: StudentProfile) -> QuerySet[GradeRecord]:
    return GradeRecord.objects.filter(
        enrolment__student=student, signed_at__isnull=False, points__isnull=False
    ).select_related("enrolment__offering__discipline", "enrolment__offering__term__academic_year")


def gpa_for(student: StudentProfile, academic_year: AcademicYear | None = None) -> Decimal:
    """AC-11: the credit-weighted GPA, over one academic year (its summer term included) or all periods."""
    cumulative, of_year = gpas(student, academic_year)
    return cumulative if of_year is None else of_year


def gpas(student: StudentProfile, academic_year: AcademicYear | None) -> tuple[Decimal, Decimal | None]:
    """AC-11: the cumulative GPA and, when a year is given, that year's, from one query of the signed grades."""
    rows = _final_grades(student).values_list(
        "points", "enrolment__offering__discipline__credits", "enrolment__offering__term__academic_year_id"
    )
    signed = [(points, credits, year) for points, credits, year in rows if points is not None]
    cumulative = rules.gpa((points, credits) for points, credits, _year in signed)
    if academic_year is None:
        return cumulative, None
    return cumulative, rules.gpa((points, credits) for points, credits, year in signed if year == academic_year.pk)


def academic_debts(student: StudentProfile, today: date | None = None) -> list[Debt]:
    """AC-14: unsatisfactory final grades and exam no-shows, until cleared by an amendment; AC-20: academic
    differences not cleared by the end of their academic period."""
    rows = (
        _final_grades(student)
        .filter(Q(letter__in=UNSATISFACTORY) | Q(exam_no_show=True, amendments__isnull=True))
        .distinct()
    )
    debts = [
        Debt(str(g.enrolment.offering.discipline), str(g.enrolment.offering.term), g.letter, g.exam_no_show)
        for g in rows
    ]
    today = today or timezone.localdate()
    differences = AcademicDifference.objects.filter(student=student, cleared_at__isnull=True).select_related(
        "discipline", "due_term__academic_year"
    )
    debts += [
        Debt(str(d.discipline), str(d.due_term or f"{d.deadline:%d.%m.%Y}"), "", False, kind="difference")
        for d in differences
        if d.counts_as_debt(today)
    ]
    return debts


def attendance_alerts(student: StudentProfile, today: date | None = None) -> list[AttendanceAlert]:
    """AC-24: disciplines of terms not yet over (exam session included) with attendance below the year's
    minimum, in one query."""
    today = today or timezone.localdate()
    enrolments = (
        Enrolment.objects.filter(student=student, offering__term__exams_end__gte=today)
        .select_related("offering__discipline", "offering__term__academic_year")
        .annotate(held=Count("attendance"), attended=Count("attendance", filter=Q(attendance__present=True)))
        .order_by("offering__term__starts_on", "offering__discipline__code")
    )
    alerts = []
    for e in enrolments:
        minimum = e.offering.term.academic_year.attendance_minimum
        percent = rules.attendance_percent(e.attended, e.held)
        if e.held and percent < minimum:
            alerts.append(AttendanceAlert(str(e.offering.discipline), str(e.offering.term), percent, minimum))
    return alerts


def standing(student: StudentProfile, academic_year: AcademicYear | None = None, today: date | None = None) -> Standing:
    """Everything other apps need to know of a student's record (as of `today`), in one call."""
    today = today or timezone.localdate()
    gpa_cumulative, gpa_year = gpas(student, academic_year)
    return Standing(
        year_of_study=student.year_of_study,
        gpa_cumulative=gpa_cumulative,
        gpa_year=gpa_year,
        debts=tuple(academic_debts(student, today)),
        sanctions=tuple(str(s) for s in Sanction.objects.valid_on(today).filter(student=student)),
        attendance_alerts=tuple(attendance_alerts(student, today)),
        tuition_debt=tuition_status(student, today).overdue,
        transfer_decision=latest_transfer_decision(student),
    )


def latest_transfer_decision(student: StudentProfile) -> TransferDecision | None:
    """AC-12: the student's decision for the latest academic year the registrar computed, if any; one query."""
    return (
        TransferDecision.objects.filter(student=student)
        .select_related("academic_year")
        .order_by("-academic_year__start_year")
        .first()
    )
