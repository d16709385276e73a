"""AC-01: the registrar creates an academic year with its default calendar, then edits the dates."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from academics import rules
from academics.errors import AcademicsError
from academics.models import AcademicYear, Term
from portal.models import Role, User
from portal.permissions import user_roles


@transaction.atomic
def create_academic_year(registrar: User, start_year: int) -> AcademicYear:
    """A new academic year with the handbook's rule parameters and the default terms."""
    if not (registrar.is_superuser or Role.REGISTRAR in user_roles(registrar)):
        raise PermissionDenied
    if AcademicYear.objects.filter(start_year=start_year).exists():
        raise AcademicsError(
            _("The academic year %(year)s already exists.") % {"year": f"{start_year}-{start_year + 1}"}
        )
    starts, ends = AcademicYear.default_dates(start_year)
    year = AcademicYear(start_year=start_year, starts_on=starts, ends_on=ends)
    year._history_user = registrar  # type: ignore[attr-defined]
    year.save()
    for t in rules.default_calendar(start_year):
        term = Term(
            academic_year=year,
            kind=t.kind,
            starts_on=t.starts_on,
            ends_on=t.ends_on,
            exams_start=t.exams_start,
            exams_end=t.exams_end,
        )
        term._history_user = registrar  # type: ignore[attr-defined]
        term.save()
    return year
