"""AC-20: academic differences (after transfer, reinstatement, academic leave, mobility) and their clearing."""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from academics import rules
from academics.models.calendar import Term
from academics.models.catalogue import Discipline
from academics.models.grades import GradeRecord
from portal.models import StudentProfile, User


class AcademicDifference(models.Model):
    """A discipline a student must still pass (академиялық айырма), due by the end of an academic period.

    The period is a term (due by the end of its exam session) or, where the order names one, a date.
    Not cleared by then, it counts as academic debt (AC-20, AC-14).
    """

    class Reason(models.TextChoices):
        TRANSFER = "transfer", _("Transfer")
        REINSTATEMENT = "reinstatement", _("Reinstatement")
        ACADEMIC_LEAVE = "academic_leave", _("Return from academic leave")
        MOBILITY = "mobility", _("Academic mobility")

    student = models.ForeignKey(
        StudentProfile, models.PROTECT, related_name="academic_differences", verbose_name=_("student")
    )
    discipline = models.ForeignKey(Discipline, models.PROTECT, related_name="+", verbose_name=_("discipline"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    document_reference = models.CharField(_("order (number and date)"), max_length=255, blank=True)
    due_term = models.ForeignKey(
        Term, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("to be cleared in")
    )
    due_on = models.DateField(_("to be cleared by"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("cleared by")
    )
    clearing_grade = models.ForeignKey(
        GradeRecord, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("grade that cleared it")
    )
    clearance_note = models.TextField(_("how it was cleared"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("academic difference")
        verbose_name_plural = _("academic differences")
        ordering = ["cleared_at", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_term__isnull=False, due_on__isnull=True)
                | Q(due_term__isnull=True, due_on__isnull=False),
                name="difference_due_by_a_term_or_a_date",
            ),
            models.CheckConstraint(
                condition=Q(cleared_at__isnull=True, cleared_by__isnull=True, clearing_grade__isnull=True)
                | (
                    Q(cleared_at__isnull=False, cleared_by__isnull=False)
                    & (Q(clearing_grade__isnull=False) | ~Q(clearance_note=""))
                ),
                name="difference_cleared_by_whom_and_how",
            ),
            models.UniqueConstraint(
                fields=["student", "discipline"],
                condition=Q(cleared_at__isnull=True),
                name="one_open_difference_per_discipline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.discipline} ({self.get_reason_display()})"

    @property
    def deadline(self) -> date:
        """The last day of its academic period: the given date, or the end of the term's exam session."""
        if self.due_on is not None:
            return self.due_on
        assert self.due_term is not None
        return self.due_term.exams_end

    @property
    def is_cleared(self) -> bool:
        return self.cleared_at is not None

    def counts_as_debt(self, today: date) -> bool:
        """AC-20: not cleared by the end of its period, it is academic debt."""
        return rules.difference_becomes_debt(self.deadline, today, self.is_cleared)

    @property
    def is_debt_today(self) -> bool:
        return self.counts_as_debt(timezone.localdate())
