"""Read queries reused by pages and documents."""

from dataclasses import dataclass, field
from decimal import Decimal

from academics import rules
from academics.models import GradeRecord, Term
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
