"""AC-12: the registrar's stored transfer decisions at the end of an academic year, and each run that made them."""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from academics.models.calendar import AcademicYear
from academics.rules import TransferOutcome
from portal.models import StudentProfile, User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _gpa_field(label: "StrOrPromise") -> "models.DecimalField[Decimal | int | str, Decimal]":
    return models.DecimalField(label, max_digits=3, decimal_places=2)


class TransferDecision(models.Model):
    """One student's transfer decision for one academic year, with the GPAs and threshold behind it.

    `policy_version` is the year's rules version it was computed with (AC-23): when the registrar
    changes the year's thresholds the decision is stale until recomputed.
    """

    class Outcome(models.TextChoices):
        TRANSFERS = TransferOutcome.TRANSFERS, _("Transfers to the next year")
        REPEATS = TransferOutcome.REPEATS, _("Repeats the year (paid)")
        FINAL_YEAR = TransferOutcome.FINAL_YEAR, _("Final year: graduation, no transfer")

    class Basis(models.TextChoices):
        YEAR = "year", _("the academic year's GPA")
        CUMULATIVE = "cumulative", _("the cumulative GPA")

    student = models.ForeignKey(
        StudentProfile, models.PROTECT, related_name="transfer_decisions", verbose_name=_("student")
    )
    academic_year = models.ForeignKey(
        AcademicYear, models.PROTECT, related_name="transfer_decisions", verbose_name=_("academic year")
    )
    year_of_study = models.PositiveSmallIntegerField(_("year of study in that academic year"))
    to_year = models.PositiveSmallIntegerField(_("moving to year"), null=True, blank=True)
    gpa_year = _gpa_field(_("GPA of the academic year"))
    gpa_cumulative = _gpa_field(_("cumulative GPA"))
    basis = models.CharField(_("GPA that decides transfer"), max_length=10, choices=Basis.choices)
    gpa_deciding = _gpa_field(_("deciding GPA"))
    threshold = models.DecimalField(_("threshold"), max_digits=3, decimal_places=2, null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    state_grant_lost = models.BooleanField(_("state grant lost"), default=False)
    policy_version = models.CharField(_("rules version"), max_length=50)
    computed_at = models.DateTimeField(_("computed at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("transfer decision")
        verbose_name_plural = _("transfer decisions")
        constraints = [
            models.UniqueConstraint(fields=["student", "academic_year"], name="one_transfer_decision_per_year"),
            models.CheckConstraint(
                condition=Q(outcome=TransferOutcome.FINAL_YEAR) | Q(to_year__isnull=False, threshold__isnull=False),
                name="transfer_decision_has_threshold",
            ),
            models.CheckConstraint(
                condition=Q(state_grant_lost=False) | Q(outcome=TransferOutcome.REPEATS),
                name="grant_lost_only_when_repeating",
            ),
        ]
        indexes = [models.Index(fields=["academic_year", "outcome"], name="transfer_decision_year_outcome")]

    def __str__(self) -> str:
        return f"{self.student}: {self.academic_year}, {self.get_outcome_display()}"

    @property
    def is_stale(self) -> bool:
        """Computed under an older rules version of its year (select the year with the decision)."""
        return self.policy_version != self.academic_year.policy_version


class TransferRun(models.Model):
    """AC-12 audit: who computed a year's transfer decisions, when, under which rules, with what result.

    Individual decisions keep their own history for every new or changed decision; this row records
    the run itself (also when nothing changed).
    """

    academic_year = models.ForeignKey(
        AcademicYear, models.PROTECT, related_name="transfer_runs", verbose_name=_("academic year")
    )
    policy_version = models.CharField(_("rules version"), max_length=50)
    run_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("computed by"))
    run_at = models.DateTimeField(_("computed at"))
    students = models.PositiveIntegerField(_("students"))
    transfers = models.PositiveIntegerField(_("transfer"))
    repeats = models.PositiveIntegerField(_("repeat the year"))
    final_year = models.PositiveIntegerField(_("final year"))
    grants_lost = models.PositiveIntegerField(_("state grants lost"))
    changed = models.PositiveIntegerField(_("new or changed decisions"))

    class Meta:
        verbose_name = _("transfer decision run")
        verbose_name_plural = _("transfer decision runs")
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return f"{self.academic_year} ({self.policy_version}), {self.run_at:%d.%m.%Y %H:%M}"
