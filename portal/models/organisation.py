"""University structure: university, institutes, departments, programmes, study groups."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TranslatedName(models.Model):
    """A name kept in Kazakh, Russian and English; `name` picks the active language."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or "kk")[:2]
        return getattr(self, f"name_{lang}", "") or self.name_kk


class University(TranslatedName):
    class UnitLabel(models.TextChoices):
        INSTITUTE = "institute", _("Institute")
        SCHOOL = "school", _("School")
        FACULTY = "faculty", _("Faculty")

    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    unit_label = models.CharField(
        _("name of the academic unit"), max_length=20, choices=UnitLabel.choices, default=UnitLabel.INSTITUTE
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("university")
        verbose_name_plural = _("universities")


class Institute(TranslatedName):
    """An institute, school or faculty (one model; the university chooses the label)."""

    university = models.ForeignKey(University, models.PROTECT, related_name="institutes", verbose_name=_("university"))
    code = models.CharField(_("code"), max_length=20)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("institute")
        verbose_name_plural = _("institutes")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["university", "code"], name="institute_code_unique")]


class Department(TranslatedName):
    institute = models.ForeignKey(Institute, models.PROTECT, related_name="departments", verbose_name=_("institute"))
    code = models.CharField(_("code"), max_length=20)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["institute", "code"], name="department_code_unique")]


class Programme(TranslatedName):
    class Level(models.TextChoices):
        BACHELOR = "bachelor", _("Bachelor")
        MASTER = "master", _("Master")
        DOCTORATE = "doctorate", _("Doctorate")
        INTERNSHIP = "internship", _("Internship")
        RESIDENCY = "residency", _("Residency")

    department = models.ForeignKey(Department, models.PROTECT, related_name="programmes", verbose_name=_("department"))
    code = models.CharField(_("code"), max_length=20, unique=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.BACHELOR)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("education programme")
        verbose_name_plural = _("education programmes")
        ordering = ["code"]


class StudyLanguage(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")


class StudyGroup(models.Model):
    programme = models.ForeignKey(Programme, models.PROTECT, related_name="groups", verbose_name=_("programme"))
    name = models.CharField(_("group name"), max_length=50, unique=True)
    admission_year = models.PositiveSmallIntegerField(_("admission year"))
    language = models.CharField(_("language of study"), max_length=2, choices=StudyLanguage.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("study group")
        verbose_name_plural = _("study groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
