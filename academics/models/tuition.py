"""AC-18: the tuition ledger: a contract per paying student and academic year, and its payments."""

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from academics.models.calendar import AcademicYear
from portal.models import StudentProfile, User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _money(label: "StrOrPromise") -> "models.DecimalField[Decimal | int | str, Decimal]":
    return models.DecimalField(label, max_digits=12, decimal_places=2)


class TuitionContract(models.Model):
    """A paid-study contract (ақылы оқу шарты) of one student for one academic year (AC-18)."""

    class Plan(models.TextChoices):
        FULL_YEAR = "full_year", _("Full year in one payment")
        TRANCHES = "tranches", _("In tranches (the academic year's schedule)")

    student = models.ForeignKey(
        StudentProfile, models.PROTECT, related_name="tuition_contracts", verbose_name=_("student")
    )
    academic_year = models.ForeignKey(
        AcademicYear, models.PROTECT, related_name="tuition_contracts", verbose_name=_("academic year")
    )
    number = models.CharField(_("contract number"), max_length=50, unique=True)
    amount = _money(_("amount, KZT"))
    plan = models.CharField(_("payment plan"), max_length=10, choices=Plan.choices, default=Plan.TRANCHES)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("registered by"))
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tuition contract")
        verbose_name_plural = _("tuition contracts")
        ordering = ["-academic_year__start_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["student", "academic_year"], name="one_tuition_contract_per_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="tuition_contract_amount_positive"),
            models.CheckConstraint(condition=~Q(number=""), name="tuition_contract_has_number"),
            models.CheckConstraint(condition=Q(plan__in=["full_year", "tranches"]), name="tuition_contract_plan_known"),
        ]

    def __str__(self) -> str:
        return f"№ {self.number} ({self.academic_year})"

    def schedule(self) -> list[tuple[date, Decimal]]:
        """AC-18: due dates and shares: the year's tranches, or the whole amount by the first due date."""
        year_schedule = self.academic_year.tuition_schedule()
        if self.plan == self.Plan.FULL_YEAR:
            return [(min(due for due, _share in year_schedule), Decimal(1))]
        return year_schedule


class TuitionPayment(models.Model):
    """A payment against a contract, as the registrar recorded it from the bank's receipt."""

    contract = models.ForeignKey(TuitionContract, models.PROTECT, related_name="payments", verbose_name=_("contract"))
    paid_on = models.DateField(_("paid on"))
    amount = _money(_("amount, KZT"))
    reference = models.CharField(_("receipt or payment order number"), max_length=100)
    recorded_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tuition payment")
        verbose_name_plural = _("tuition payments")
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="tuition_payment_amount_positive"),
            models.CheckConstraint(condition=~Q(reference=""), name="tuition_payment_has_reference"),
            # The same receipt recorded twice would count the money twice.
            models.UniqueConstraint(fields=["contract", "reference"], name="one_payment_per_receipt"),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on:%d.%m.%Y}: {self.amount} ({self.reference})"
