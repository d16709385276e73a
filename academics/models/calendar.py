"""AC-01 and AC-12: the academic year, its terms, and the rule parameters revised yearly."""

from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from academics.rules import Policy


class AcademicYear(models.Model):
    """An academic year (AC-01: starts 2 September) with the parameters its Academic Council set (AC-12)."""

    start_year = models.PositiveSmallIntegerField(_("first calendar year"), unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    policy_version = models.CharField(_("rules version"), max_length=50, default="handbook")
    transfer_to_year_2 = models.DecimalField(
        _("GPA to move to year 2"), max_digits=3, decimal_places=2, default=Decimal("1.67")
    )
    transfer_to_year_3 = models.DecimalField(
        _("GPA to move to year 3"), max_digits=3, decimal_places=2, default=Decimal("2.00")
    )
    transfer_to_year_4 = models.DecimalField(
        _("GPA to move to year 4"), max_digits=3, decimal_places=2, default=Decimal("2.20")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="year_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"

    @classmethod
    def default_dates(cls, start_year: int) -> tuple[date, date]:
        """AC-01: 2 September to 31 August."""
        return date(start_year, 9, 2), date(start_year + 1, 8, 31)

    def policy(self) -> Policy:
        """The year's parameters as the pure rules take them."""
        return Policy(
            version=self.policy_version,
            transfer_thresholds={2: self.transfer_to_year_2, 3: self.transfer_to_year_3, 4: self.transfer_to_year_4},
        )


class Term(models.Model):
    """A semester (15 weeks and its exam session) or the paid 6-week summer semester (AC-01)."""

    class Kind(models.TextChoices):
        AUTUMN = "autumn", _("Autumn semester")
        SPRING = "spring", _("Spring semester")
        SUMMER = "summer", _("Summer semester")

    academic_year = models.ForeignKey(
        AcademicYear, models.PROTECT, related_name="terms", verbose_name=_("academic year")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    starts_on = models.DateField(_("classes start"))
    ends_on = models.DateField(_("classes end"))
    exams_start = models.DateField(_("exam session starts"))
    exams_end = models.DateField(_("exam session ends"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["academic_year", "kind"], name="one_term_of_a_kind_per_year"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on"), exams_end__gte=models.F("exams_start")),
                name="term_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.academic_year}, {self.get_kind_display()}"
