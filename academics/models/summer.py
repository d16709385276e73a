"""AC-15: applications for the paid summer semester, and their payment."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from academics.models.calendar import Term
from academics.models.catalogue import Discipline, Enrolment
from portal.models import StudentProfile, User


class SummerApplication(models.Model):
    """A student's application for one discipline of a summer term (жазғы семестр).

    A course is the pair (discipline, summer term); it is open once its summer offering exists.
    """

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ENROLLED = "enrolled", _("Enrolled")
        NOT_OPENED = "not_opened", _("Course not opened")
        REFUSED = "refused", _("Not enrolled")

    student = models.ForeignKey(
        StudentProfile, models.PROTECT, related_name="summer_applications", verbose_name=_("student")
    )
    discipline = models.ForeignKey(Discipline, models.PROTECT, related_name="+", verbose_name=_("discipline"))
    term = models.ForeignKey(
        Term,
        models.PROTECT,
        related_name="summer_applications",
        verbose_name=_("summer term"),
        limit_choices_to={"kind": Term.Kind.SUMMER},
    )
    applied_on = models.DateField(_("applied on"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment document"), max_length=255, blank=True)
    payment_recorded_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("payment recorded by")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.APPLIED)
    enrolment = models.OneToOneField(
        Enrolment,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="summer_application",
        verbose_name=_("enrolment"),
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("summer semester application")
        verbose_name_plural = _("summer semester applications")
        ordering = ["term", "discipline", "applied_on", "pk"]
        indexes = [models.Index(fields=["term", "discipline", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["student", "discipline", "term"], name="one_summer_application_per_course"),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True, payment_recorded_by__isnull=True)
                | Q(paid_on__isnull=False, payment_recorded_by__isnull=False, paid_on__gte=models.F("applied_on")),
                name="summer_payment_recorded_with_its_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="enrolled") | Q(paid_on__isnull=False),
                name="summer_enrolled_only_when_paid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.discipline} ({self.term})"

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None
