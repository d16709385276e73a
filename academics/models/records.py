"""AC-21: disciplinary sanctions from the disciplinary council, with their validity period."""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models import StudentProfile


class SanctionQuerySet(models.QuerySet["Sanction"]):
    def valid_on(self, day: date) -> "SanctionQuerySet":
        """In force on `day`: imposed, not yet expired, and not lifted by then."""
        return self.filter(imposed_on__lte=day, valid_until__gte=day).filter(
            Q(lifted_on__isnull=True) | Q(lifted_on__gt=day)
        )


class Sanction(models.Model):
    class Kind(models.TextChoices):
        REMARK = "remark", _("Remark")
        REPRIMAND = "reprimand", _("Reprimand")
        SEVERE_REPRIMAND = "severe_reprimand", _("Severe reprimand")

    student = models.ForeignKey(StudentProfile, models.PROTECT, related_name="sanctions", verbose_name=_("student"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    decision_reference = models.CharField(_("disciplinary council decision (number and date)"), max_length=255)
    imposed_on = models.DateField(_("imposed on"))
    valid_until = models.DateField(_("valid until"))
    lifted_on = models.DateField(_("lifted early on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = SanctionQuerySet.as_manager()

    class Meta:
        verbose_name = _("disciplinary sanction")
        verbose_name_plural = _("disciplinary sanctions")
        ordering = ["-imposed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("imposed_on")), name="sanction_period_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student}: {self.get_kind_display()} ({self.imposed_on:%d.%m.%Y}-{self.valid_until:%d.%m.%Y})"
