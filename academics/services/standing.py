"""A student's academic standing, read by elections and advising (issue 3, item 10).

GPA (AC-11) counts signed grades only, weighted by the discipline's credits, summer and practice
included; academic debt (AC-14) is a signed FX/F grade, or an exam no-show not yet amended.
Valid disciplinary sanctions (AC-21) are included, and the latest stored transfer decision (AC-12) if
the registrar has computed one; tuition debt (AC-18) and attendance alerts (AC-24) join this record
as their parts arrive.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from academics import rules
from academics.models import AcademicYear, GradeRecord, Sanction, TransferDecision
from portal.models import StudentProfile, User

UNSATISFACTORY = ("FX", "F")


@dataclass(frozen=True)
class Debt:
    discipline: str
    term: str
    letter: str
    no_show: bool


@dataclass(frozen=True)
class Standing:
    year_of_study: int
    gpa_cumulative: Decimal
    gpa_year: Decimal | None
    debts: tuple[Debt, ...]
    sanctions: tuple[str, ...]
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
    grades = _final_grades(student)
    if academic_year is not None:
        grades = grades.filter(enrolment__offering__term__academic_year=academic_year)
    pairs = grades.values_list("points", "enrolment__offering__discipline__credits")
    return rules.gpa((points, credits) for points, credits in pairs if points is not None)


def academic_debts(student: StudentProfile) -> list[Debt]:
    """AC-14: unsatisfactory final grades and exam no-shows, until cleared by an amendment."""
    rows = (
        _final_grades(student)
        .filter(Q(letter__in=UNSATISFACTORY) | Q(exam_no_show=True, amendments__isnull=True))
        .distinct()
    )
    return [
        Debt(str(g.enrolment.offering.discipline), str(g.enrolment.offering.term), g.letter, g.exam_no_show)
        for g in rows
    ]


def standing(student: StudentProfile, academic_year: AcademicYear | None = None) -> Standing:
    """Everything other apps need to know of a student's record, in one call."""
    return Standing(
        year_of_study=student.year_of_study,
        gpa_cumulative=gpa_for(student),
        gpa_year=gpa_for(student, academic_year) if academic_year is not None else None,
        debts=tuple(academic_debts(student)),
        sanctions=tuple(str(s) for s in Sanction.objects.valid_on(timezone.localdate()).filter(student=student)),
        transfer_decision=latest_transfer_decision(student),
    )


def latest_transfer_decision(
    student: StudentProfile | None = None, *, user: User | None = None
) -> TransferDecision | None:
    """AC-12: the student's (or the signed-in student user's) decision for the latest academic year the
    registrar computed, if any; one query."""
    decisions = (
        TransferDecision.objects.filter(student=student)
        if user is None
        else TransferDecision.objects.filter(student__user=user)
    )
    return decisions.select_related("academic_year").order_by("-academic_year__start_year").first()
