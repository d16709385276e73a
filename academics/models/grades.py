"""AC-03 to AC-08, AC-23: the teacher's grade entry, computed results, and amendments after signing."""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from academics.models.catalogue import Enrolment
from portal.models import Document, User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _score_field(label: "StrOrPromise") -> "models.DecimalField[Decimal | int | str | None, Decimal | None]":
    return models.DecimalField(label, max_digits=5, decimal_places=2, null=True, blank=True)


def _in_range(name: str) -> Q:
    return Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0, f"{name}__lte": 100})


class GradeRecord(models.Model):
    """One student's grade in one offering.

    The component fields are the teacher's entry and are never overwritten after signing (AC-23);
    `final_percent`, `letter` and `points` are what is shown: computed from the teacher's entry, or
    from the latest amendment. `policy_version` names the rules they were computed with.
    """

    enrolment = models.OneToOneField(Enrolment, models.CASCADE, related_name="grade", verbose_name=_("enrolment"))
    current_control = _score_field(_("current control"))
    r1 = _score_field(_("midterm 1 (R1)"))
    r2 = _score_field(_("midterm 2 (R2)"))
    exam = _score_field(_("final exam"))
    exam_no_show = models.BooleanField(_("did not sit the exam"), default=False)
    final_percent = models.DecimalField(_("final percentage"), max_digits=6, decimal_places=3, null=True, blank=True)
    letter = models.CharField(_("letter grade"), max_length=2, blank=True)
    points = models.DecimalField(_("grade points"), max_digits=3, decimal_places=2, null=True, blank=True)
    policy_version = models.CharField(_("rules version"), max_length=50, blank=True)
    signed_at = models.DateTimeField(_("statement signed"), null=True, blank=True)
    signed_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("signed by")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        constraints = [
            models.CheckConstraint(condition=_in_range(name), name=f"grade_{name}_0_100")
            for name in ("current_control", "r1", "r2", "exam")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment}: {self.letter or '—'}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class AppealGround(models.TextChoices):
    """AC-22: the grounds on which an exam grade can be appealed (used by appeals, AP-18)."""

    BADLY_WORDED = "badly_worded", _("A badly worded test item")
    NO_CORRECT_ANSWER = "no_correct_answer", _("No correct answer among the options")
    SEVERAL_CORRECT = "several_correct", _("Several correct answers where one was required")
    OUTSIDE_SYLLABUS = "outside_syllabus", _("Content outside the syllabus")


class GradeAmendment(models.Model):
    """AC-23: a change after signing: who, why, when, the document behind it, and the result."""

    class Kind(models.TextChoices):
        APPEAL = "appeal", _("Appeal decision")
        FX_RETAKE = "fx_retake", _("FX retake")
        FX_EXPIRED = "fx_expired", _("FX not retaken in time")
        DEAN_CORRECTION = "dean_correction", _("Dean's correction")

    grade = models.ForeignKey(GradeRecord, models.CASCADE, related_name="amendments", verbose_name=_("grade"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    r1 = _score_field(_("midterm 1 (R1)"))
    r2 = _score_field(_("midterm 2 (R2)"))
    exam = _score_field(_("final exam"))
    final_percent = models.DecimalField(_("final percentage"), max_digits=6, decimal_places=3)
    letter = models.CharField(_("letter grade"), max_length=2)
    points = models.DecimalField(_("grade points"), max_digits=3, decimal_places=2)
    policy_version = models.CharField(_("rules version"), max_length=50)
    reason = models.TextField(_("reason"))
    document_reference = models.CharField(_("document (number and date)"), max_length=255)
    document = models.ForeignKey(Document, models.PROTECT, null=True, blank=True, verbose_name=_("document"))
    # Empty for the scheduled FX expiry (AC-09), which no person makes.
    created_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("made by")
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("grade amendment")
        verbose_name_plural = _("grade amendments")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=_in_range(name), name=f"amendment_{name}_0_100")
            for name in ("r1", "r2", "exam")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.letter}"
