"""AC-24 attendance per class; AC-07 the dean's written permission for an individual midterm retake."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from academics.models.catalogue import Enrolment, Offering
from portal.models import User


class ClassSession(models.Model):
    offering = models.ForeignKey(Offering, models.CASCADE, related_name="sessions", verbose_name=_("offering"))
    held_on = models.DateField(_("date"))
    number = models.PositiveSmallIntegerField(_("class number"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["held_on", "number"]
        constraints = [models.UniqueConstraint(fields=["offering", "held_on", "number"], name="one_class_per_slot")]

    def __str__(self) -> str:
        return f"{self.offering} {self.held_on:%d.%m.%Y} #{self.number}"


class AttendanceMark(models.Model):
    session = models.ForeignKey(ClassSession, models.CASCADE, related_name="marks", verbose_name=_("class"))
    enrolment = models.ForeignKey(Enrolment, models.CASCADE, related_name="attendance", verbose_name=_("enrolment"))
    present = models.BooleanField(_("present"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance mark")
        verbose_name_plural = _("attendance marks")
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="one_mark_per_class")]

    def __str__(self) -> str:
        return f"{self.enrolment}: {'+' if self.present else '-'}"


class MidtermRetakePermission(models.Model):
    """AC-07: the dean permits, in writing, an individual retake of a midterm before the session."""

    enrolment = models.OneToOneField(
        Enrolment, models.CASCADE, related_name="midterm_retake_permission", verbose_name=_("enrolment")
    )
    document_reference = models.CharField(_("document (number and date)"), max_length=255)
    granted_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("granted by"))
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("midterm retake permission")
        verbose_name_plural = _("midterm retake permissions")

    def __str__(self) -> str:
        return f"{self.enrolment} ({self.document_reference})"
