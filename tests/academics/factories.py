"""Factories for academics."""

from datetime import date, timedelta

import factory

from academics.models import AcademicYear, Discipline, Enrolment, Offering, Term
from portal.models import User
from tests.factories import RoleAssignmentFactory, UserFactory, make_student


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


def summer_term(starts_on: date) -> Term:
    """The six-week summer term (AC-01) of the academic year it falls in, starting on `starts_on`."""
    start_year = starts_on.year - 1 if starts_on.month < 9 else starts_on.year
    year = AcademicYearFactory.create(
        start_year=start_year, starts_on=date(start_year, 9, 2), ends_on=date(start_year + 1, 8, 31)
    )
    return TermFactory.create(
        academic_year=year,
        kind=Term.Kind.SUMMER,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(weeks=6, days=-1),
        exams_start=starts_on + timedelta(weeks=6),
        exams_end=starts_on + timedelta(weeks=7, days=-1),
    )


def make_staff(role: str, **scope: object) -> User:
    """A person holding `role` (whole university unless a scope is given)."""
    user = UserFactory.create()
    RoleAssignmentFactory.create(user=user, role=role, **scope)
    return user
