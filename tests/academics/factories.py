"""Factories for academics."""

from datetime import date

import factory

from academics.models import AcademicYear, Discipline, Enrolment, Offering, Term
from tests.factories import make_student


class AcademicYearFactory(factory.django.DjangoModelFactory[AcademicYear]):
    class Meta:
        model = AcademicYear
        django_get_or_create = ("start_year",)

    start_year = 2026
    starts_on = date(2026, 9, 2)
    ends_on = date(2027, 8, 31)


class TermFactory(factory.django.DjangoModelFactory[Term]):
    class Meta:
        model = Term
        django_get_or_create = ("academic_year", "kind")

    academic_year = factory.SubFactory(AcademicYearFactory)
    kind = Term.Kind.AUTUMN
    starts_on = date(2026, 9, 2)
    ends_on = date(2026, 12, 15)
    exams_start = date(2026, 12, 16)
    exams_end = date(2027, 1, 10)


class DisciplineFactory(factory.django.DjangoModelFactory[Discipline]):
    class Meta:
        model = Discipline

    code = factory.Sequence(lambda n: f"DISC{n}")
    name_kk = factory.Sequence(lambda n: f"Пән {n}")


class OfferingFactory(factory.django.DjangoModelFactory[Offering]):
    class Meta:
        model = Offering

    discipline = factory.SubFactory(DisciplineFactory)
    term = factory.SubFactory(TermFactory)


def enrol(offering: Offering, **student_kwargs: object) -> Enrolment:
    return Enrolment.objects.create(offering=offering, student=make_student(**student_kwargs))
