"""AC-01/AC-12: the registrar creates an academic year with its default calendar and edits it.

A change to any rule parameter gives the year a new rules version, so every grade, GPA and decision
computed before shows the version it used and can be recomputed (AC-23).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from academics import rules
from academics.errors import AcademicsError
from academics.models import AcademicYear, Term
from portal.models import User
from portal.permissions import is_registrar

POLICY_FIELDS = (
    "transfer_to_year_2",
    "transfer_to_year_3",
    "transfer_to_year_4",
    "transfer_basis",
    "midterm_1_week",
    "midterm_2_week",
    "midterm_minimum",
    "attendance_minimum",
    "scholarship_minimum_letter",
    "tranche_1_due",
    "tranche_1_share",
    "tranche_2_due",
    "tranche_2_share",
    "tranche_3_due",
    "tranche_3_share",
    "penalty_rate_per_day",
)
YEAR_FIELDS = ("starts_on", "ends_on", *POLICY_FIELDS)
TERM_FIELDS = (
    "starts_on",
    "ends_on",
    "exams_start",
    "exams_end",
    "r1_entry_opens",
    "r1_entry_closes",
    "r2_entry_opens",
    "r2_entry_closes",
    "exam_entry_opens",
    "exam_entry_closes",
    "fx_retake_opens",
    "fx_retake_closes",
)


def _require_registrar(user: User) -> None:
    if not is_registrar(user):
        raise PermissionDenied


@transaction.atomic
def create_academic_year(registrar: User, start_year: int) -> AcademicYear:
    """A new academic year with the handbook's rule parameters, tuition dates and default terms."""
    _require_registrar(registrar)
    if AcademicYear.objects.filter(start_year=start_year).exists():
        raise AcademicsError(
            _("The academic year %(year)s already exists.") % {"year": f"{start_year}-{start_year + 1}"}
        )
    starts, ends = AcademicYear.default_dates(start_year)
    year = AcademicYear(start_year=start_year, starts_on=starts, ends_on=ends)
    (year.tranche_1_due, _s1), (year.tranche_2_due, _s2), (year.tranche_3_due, _s3) = rules.handbook_tuition_schedule(
        start_year
    )
    year._history_user = registrar  # type: ignore[attr-defined]
    year.save()
    for t in rules.default_calendar(start_year, (year.midterm_1_week, year.midterm_2_week)):
        term = Term(
            academic_year=year,
            kind=t.kind,
            starts_on=t.starts_on,
            ends_on=t.ends_on,
            exams_start=t.exams_start,
            exams_end=t.exams_end,
        )
        term.set_default_windows((year.midterm_1_week, year.midterm_2_week))
        term._history_user = registrar  # type: ignore[attr-defined]
        term.save()
    return year


def _term_errors(term: Term) -> list[str]:
    label = term.get_kind_display()
    errors = []
    if term.ends_on <= term.starts_on or term.exams_end < term.exams_start or term.exams_start <= term.ends_on:
        errors.append(_("%(term)s: classes, then the exam session, each ending after it starts.") % {"term": label})
    for component in ("r1", "r2", "exam", "fx"):
        opens, closes = term.entry_window(component)
        if opens and closes and closes < opens:
            errors.append(_("%(term)s: an entry window closes before it opens.") % {"term": label})
            break
    return errors


@transaction.atomic
def save_calendar(
    registrar: User, year: AcademicYear, year_values: dict[str, Any], term_values: dict[int, dict[str, Any]]
) -> bool:
    """Save the year's parameters and its terms' dates in one go; nothing is saved if anything is wrong.

    Returns whether the rules version changed.
    """
    _require_registrar(registrar)
    year = AcademicYear.objects.select_for_update().get(pk=year.pk)
    policy_changed = any(name in year_values and year_values[name] != getattr(year, name) for name in POLICY_FIELDS)
    for name in YEAR_FIELDS:
        if name in year_values:
            setattr(year, name, year_values[name])
    errors = []
    if year.ends_on <= year.starts_on:
        errors.append(_("The academic year must end after it starts."))
    if year.tranche_1_share + year.tranche_2_share + year.tranche_3_share != 1:
        errors.append(_("The three tuition tranche shares must add up to 1 (100 %)."))
    if year.midterm_1_week >= year.midterm_2_week:
        errors.append(_("Midterm 1 must come before midterm 2."))
    terms = {t.pk: t for t in year.terms.select_for_update()}
    for pk, values in term_values.items():
        if pk not in terms:
            raise AcademicsError(_("This term belongs to another academic year."))
        for name in TERM_FIELDS:
            if name in values:
                setattr(terms[pk], name, values[name])
        errors += _term_errors(terms[pk])
    if errors:
        raise AcademicsError(" ".join(errors))
    if policy_changed:
        revisions = year.history.values("policy_version").distinct().count()
        year.policy_version = f"{year} r{revisions + 1}"
    year._history_user = registrar  # type: ignore[attr-defined]
    year.save()
    for term in terms.values():
        term._history_user = registrar  # type: ignore[attr-defined]
        term.save()
    return policy_changed
