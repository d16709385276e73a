"""AC-02: disciplines with credits; offerings per term with teachers and groups; enrolments."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from academics.models.calendar import Term
from portal.models import Document, StudentProfile, StudyGroup, User
from portal.models.organisation import TranslatedName


class Discipline(TranslatedName):
    """A discipline worth credits (AC-02: usually 5; one credit = one contact hour a week for 15 weeks)."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    credits = models.PositiveSmallIntegerField(_("credits"), default=5)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=Q(credits__gt=0), name="discipline_has_credits")]


class Offering(models.Model):
    """A discipline taught in a term by its teachers to its groups."""

    discipline = models.ForeignKey(Discipline, models.PROTECT, related_name="offerings", verbose_name=_("discipline"))
    term = models.ForeignKey(Term, models.PROTECT, related_name="offerings", verbose_name=_("term"))
    section = models.CharField(_("section"), max_length=20, default="1")
    teachers = models.ManyToManyField(User, related_name="offerings", verbose_name=_("teachers"))
    groups = models.ManyToManyField(StudyGroup, related_name="offerings", verbose_name=_("study groups"), blank=True)
    statement = models.ForeignKey(
        Document, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("signed exam statement")
    )
    history = HistoricalRecords(m2m_fields=[teachers, groups])

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        constraints = [
            models.UniqueConstraint(fields=["discipline", "term", "section"], name="one_offering_per_section")
        ]

    def __str__(self) -> str:
        return f"{self.discipline} ({self.term}, {self.section})"


class Enrolment(models.Model):
    offering = models.ForeignKey(Offering, models.CASCADE, related_name="enrolments", verbose_name=_("offering"))
    student = models.ForeignKey(StudentProfile, models.PROTECT, related_name="enrolments", verbose_name=_("student"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["offering", "student"], name="one_enrolment_per_offering")]

    def __str__(self) -> str:
        return f"{self.student} — {self.offering}"
