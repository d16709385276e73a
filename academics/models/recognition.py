"""AC-16: recognition of non-formal learning (e.g. a MOOC) in place of a discipline, within a credit cap."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from academics.models.catalogue import Discipline
from portal.models import Programme, StudentProfile, User

# The usual credit total of a programme of each level (State standard): bachelor 240, master 120,
# doctorate 180; internship and residency by their usual length. A programme that differs has a row.
DEFAULT_PROGRAMME_CREDITS: dict[str, int] = {
    Programme.Level.BACHELOR: 240,
    Programme.Level.MASTER: 120,
    Programme.Level.DOCTORATE: 180,
    Programme.Level.INTERNSHIP: 60,
    Programme.Level.RESIDENCY: 120,
}


class ProgrammeCredits(models.Model):
    """The credit total of a programme where it differs from its level's usual one (AC-16 takes 10 % of it).

    Kept in academics rather than on portal's Programme: credits are academic data, and the portal
    core stays free of them.
    """

    programme = models.OneToOneField(
        Programme, models.CASCADE, related_name="credit_total", verbose_name=_("education programme")
    )
    total_credits = models.PositiveSmallIntegerField(_("credits of the whole programme"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme credit total")
        verbose_name_plural = _("programme credit totals")
        constraints = [models.CheckConstraint(condition=Q(total_credits__gt=0), name="programme_has_credits")]

    def __str__(self) -> str:
        return f"{self.programme}: {self.total_credits}"


class NonformalRecognition(models.Model):
    """A student's request to have a non-formal course recognised in place of a discipline (AC-16).

    Recognised only with the discipline lecturer's and the head of department's agreement, and within
    the programme's cap; a refusal keeps its reasons (the codes of `rules.nonformal_recognition_refusals`).
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        RECOGNISED = "recognised", _("Recognised")
        REFUSED = "refused", _("Refused")

    student = models.ForeignKey(
        StudentProfile, models.PROTECT, related_name="nonformal_recognitions", verbose_name=_("student")
    )
    title = models.CharField(_("course title"), max_length=255)
    provider = models.CharField(_("provider (platform or organisation)"), max_length=255)
    discipline = models.ForeignKey(
        Discipline, models.PROTECT, related_name="+", verbose_name=_("discipline it replaces")
    )
    credits = models.PositiveSmallIntegerField(_("credits"))
    certificate_reference = models.CharField(_("certificate (number or link)"), max_length=500)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    lecturer_agreed_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("lecturer who agreed")
    )
    lecturer_agreed_at = models.DateTimeField(_("lecturer agreed at"), null=True, blank=True)
    head_agreed_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("head of department who agreed")
    )
    head_agreed_at = models.DateTimeField(_("head of department agreed at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    refusal_reasons = models.JSONField(_("refusal reasons"), default=list, blank=True)
    refusal_comment = models.TextField(_("comment on the refusal"), blank=True)
    decided_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("refused by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("non-formal learning recognition")
        verbose_name_plural = _("non-formal learning recognitions")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(credits__gt=0), name="recognition_has_credits"),
            models.CheckConstraint(
                condition=Q(lecturer_agreed_by__isnull=True, lecturer_agreed_at__isnull=True)
                | Q(lecturer_agreed_by__isnull=False, lecturer_agreed_at__isnull=False),
                name="recognition_lecturer_agreement_complete",
            ),
            models.CheckConstraint(
                condition=Q(head_agreed_by__isnull=True, head_agreed_at__isnull=True)
                | Q(head_agreed_by__isnull=False, head_agreed_at__isnull=False),
                name="recognition_head_agreement_complete",
            ),
            # AC-16: both agreements, or no recognition.
            models.CheckConstraint(
                condition=~Q(status="recognised") | Q(lecturer_agreed_at__isnull=False, head_agreed_at__isnull=False),
                name="recognised_only_with_both_agreements",
            ),
            models.UniqueConstraint(
                fields=["student", "discipline"],
                condition=~Q(status="refused"),
                name="one_live_recognition_per_discipline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.title} → {self.discipline}"
