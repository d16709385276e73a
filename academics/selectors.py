"""Read queries reused by pages and documents."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from academics import rules
from academics.models import AcademicYear, GradeRecord, Term
from portal.models import StudentProfile


@dataclass
class TranscriptTerm:
    term: Term
    grades: list[GradeRecord] = field(default_factory=list)

    @property
    def credits(self) -> int:
        return sum(g.enrolment.offering.discipline.credits for g in self.grades)

    @property
    def gpa(self) -> Decimal:
        return rules.gpa(
            (g.points, g.enrolment.offering.discipline.credits) for g in self.grades if g.points is not None
        )


@dataclass(frozen=True)
class Transcript:
    """AC-19: disciplines, credits, letter and numeric grades, GPA per term and cumulative."""

    student: StudentProfile
    terms: list[TranscriptTerm]

    @property
    def credits(self) -> int:
        return sum(t.credits for t in self.terms)

    @property
    def gpa(self) -> Decimal:
        grades = [g for t in self.terms for g in t.grades]
        return rules.gpa((g.points, g.enrolment.offering.discipline.credits) for g in grades if g.points is not None)


def transcript(student: StudentProfile) -> Transcript:
    """Signed grades only, by term, in one query."""
    grades = (
        GradeRecord.objects.filter(enrolment__student=student, signed_at__isnull=False, points__isnull=False)
        .select_related("enrolment__offering__discipline", "enrolment__offering__term__academic_year")
        .order_by("enrolment__offering__term__starts_on", "enrolment__offering__discipline__code")
    )
    terms: dict[int, TranscriptTerm] = {}
    for grade in grades:
        term = grade.enrolment.offering.term
        terms.setdefault(term.pk, TranscriptTerm(term)).grades.append(grade)
    return Transcript(student, list(terms.values()))


@dataclass(frozen=True)
class Deadline:
    day: date
    label: str


def current_academic_year(today: date | None = None) -> AcademicYear | None:
    """The academic year `today` falls in, else the latest one."""
    today = today or timezone.localdate()
    years = AcademicYear.objects.order_by("-start_year")
    return years.filter(starts_on__lte=today, ends_on__gte=today).first() or years.first()


def student_deadlines(student: StudentProfile, today: date | None = None) -> list[Deadline]:
    """What is coming for a student: exam sessions, FX retakes of their own FX grades (AC-09) and the
    summer semester application deadline (AC-15), from the academic calendar, in two queries."""
    today = today or timezone.localdate()
    deadlines: list[Deadline] = []
    for term in Term.objects.filter(exams_end__gte=today).select_related("academic_year").order_by("starts_on")[:3]:
        if term.kind == Term.Kind.SUMMER:
            closes = term.starts_on - timedelta(days=rules.SUMMER_APPLICATION_DAYS_BEFORE)
            if closes >= today:
                deadlines.append(Deadline(closes, _("Last day to apply for the summer semester")))
        if term.exams_start >= today:
            deadlines.append(Deadline(term.exams_start, _("%(term)s: exam session starts") % {"term": term}))
    fx_terms = (
        Term.objects.filter(
            offerings__enrolments__student=student,
            offerings__enrolments__grade__letter="FX",
            offerings__enrolments__grade__signed_at__isnull=False,
            fx_retake_closes__gte=today,
        )
        .select_related("academic_year")
        .distinct()
    )
    for term in fx_terms:
        assert term.fx_retake_closes is not None
        deadlines.append(Deadline(term.fx_retake_closes, _("%(term)s: last day of FX retakes") % {"term": term}))
    return sorted(deadlines, key=lambda d: d.day)
