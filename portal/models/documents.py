"""PT-07: issued documents, stored with their registration number and checksum."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models.people import User


class Document(models.Model):
    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=255)
    registration_number = models.CharField(_("registration number"), max_length=50, blank=True)
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/")
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, verbose_name=_("created by"))

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} {self.registration_number}".strip()
