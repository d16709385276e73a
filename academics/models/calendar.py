"""AC-01 and AC-12: the academic year, its terms, and the rule parameters revised yearly."""

from datetime import date
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from academics import rules
from academics.rules import Policy

LETTER_CHOICES = [(letter, letter) for _lowest, letter, _points in rules.LETTER_SCALE]
WEEK = [MinValueValidator(1), MaxValueValidator(15)]
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


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
    transfer_basis = models.CharField(
        _("GPA that decides transfer"),
        max_length=10,
        choices=[("year", _("the academic year's GPA")), ("cumulative", _("the cumulative GPA"))],
        default="year",
    )
    midterm_1_week = models.PositiveSmallIntegerField(_("week of midterm 1 (R1)"), default=7, validators=WEEK)
    midterm_2_week = models.PositiveSmallIntegerField(_("week of midterm 2 (R2)"), default=15, validators=WEEK)
    midterm_minimum = models.DecimalField(
        _("midterm average needed for the exam, %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(50),
        validators=PERCENT,
    )
    attendance_minimum = models.DecimalField(
        _("attendance needed for the exam, %"), max_digits=5, decimal_places=2, default=Decimal(80), validators=PERCENT
    )
    scholarship_minimum_letter = models.CharField(
        _("lowest letter that keeps the scholarship"), max_length=2, choices=LETTER_CHOICES, default="C+"
    )
    tranche_1_due = models.DateField(_("1st tuition tranche due"), null=True, blank=True)
    tranche_1_share = models.DecimalField(
        _("1st tranche share"), max_digits=3, decimal_places=2, default=Decimal("0.50")
    )
    tranche_2_due = models.DateField(_("2nd tuition tranche due"), null=True, blank=True)
    tranche_2_share = models.DecimalField(
        _("2nd tranche share"), max_digits=3, decimal_places=2, default=Decimal("0.25")
    )
    tranche_3_due = models.DateField(_("3rd tuition tranche due"), null=True, blank=True)
    tranche_3_share = models.DecimalField(
        _("3rd tranche share"), max_digits=3, decimal_places=2, default=Decimal("0.25")
    )
    penalty_rate_per_day = models.DecimalField(
        _("late-payment penalty per day"), max_digits=5, decimal_places=4, default=Decimal("0.001")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="year_ends_after_start"),
            models.CheckConstraint(
                condition=Q(
                    tranche_1_share__gte=0,
                    tranche_2_share__gte=0,
                    tranche_3_share__gte=0,
                    tranche_1_share__lte=1,
                    tranche_2_share__lte=1,
                    tranche_3_share__lte=1,
                ),
                name="tranche_shares_are_fractions",
            ),
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
            transfer_basis=self.transfer_basis,
            midterm_weeks=(self.midterm_1_week, self.midterm_2_week),
            midterm_minimum=self.midterm_minimum,
            attendance_minimum=self.attendance_minimum,
            scholarship_minimum_letter=self.scholarship_minimum_letter,
            penalty_rate_per_day=self.penalty_rate_per_day,
        )

    def tuition_schedule(self) -> list[tuple[date, Decimal]]:
        """AC-18: the year's due dates and shares; the handbook's dates where none were set."""
        handbook = rules.handbook_tuition_schedule(self.start_year)
        dues = (self.tranche_1_due, self.tranche_2_due, self.tranche_3_due)
        shares = (self.tranche_1_share, self.tranche_2_share, self.tranche_3_share)
        return [
            (due or default_due, share) for due, share, (default_due, _s) in zip(dues, shares, handbook, strict=True)
        ]


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
    # AC-01/AC-03: when teachers may enter each component; empty means not restricted.
    r1_entry_opens = models.DateField(_("R1 entry opens"), null=True, blank=True)
    r1_entry_closes = models.DateField(_("R1 entry closes"), null=True, blank=True)
    r2_entry_opens = models.DateField(_("R2 entry opens"), null=True, blank=True)
    r2_entry_closes = models.DateField(_("R2 entry closes"), null=True, blank=True)
    exam_entry_opens = models.DateField(_("exam entry opens"), null=True, blank=True)
    exam_entry_closes = models.DateField(_("exam entry closes"), null=True, blank=True)
    fx_retake_opens = models.DateField(_("FX retakes open"), null=True, blank=True)
    fx_retake_closes = models.DateField(_("FX retakes close"), null=True, blank=True)
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

    def entry_window(self, component: str) -> tuple[date | None, date | None]:
        """The (opens, closes) dates for "r1", "r2", "exam" or "fx"; None on a side means open-ended."""
        prefix = "fx_retake" if component == "fx" else f"{component}_entry"
        return getattr(self, f"{prefix}_opens"), getattr(self, f"{prefix}_closes")

    def set_default_windows(self, midterm_weeks: tuple[int, int]) -> None:
        """Fill the entry windows from the term's dates and the year's midterm weeks (AC-01)."""
        if self.kind == self.Kind.SUMMER:
            midterm_weeks = rules.SUMMER_MIDTERM_WEEKS
        w = rules.entry_windows(self.starts_on, self.exams_start, self.exams_end, midterm_weeks)
        self.r1_entry_opens, self.r1_entry_closes = w.r1_opens, w.r1_closes
        self.r2_entry_opens, self.r2_entry_closes = w.r2_opens, w.r2_closes
        self.exam_entry_opens, self.exam_entry_closes = w.exam_opens, w.exam_closes
        self.fx_retake_opens, self.fx_retake_closes = w.fx_opens, w.fx_closes
