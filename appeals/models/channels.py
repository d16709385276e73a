"""AP-03, AP-04: an e-mail the import could not register by itself, kept until the dean's office does."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from appeals.models.cases import Application
from portal.models import Institute, User


class UnmatchedEmail(models.Model):
    """A message to the corporate mailbox from a sender the portal does not know (or one that could not be
    registered as it came): stored with its original, never lost, until the dean's office names the
    applicant and registers it."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Awaiting registration")
        REGISTERED = "registered", _("Registered")
        DISMISSED = "dismissed", _("Not an application")

    message_id = models.CharField(max_length=255, unique=True)
    sender = models.CharField(_("sender"), max_length=255)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    received_at = models.DateTimeField(_("received"))
    original = models.FileField(_("original e-mail"), upload_to="appeals/mail/%Y/%m/")
    # The dean's office that imported it; empty when it came from the university's mailbox (every dean's
    # office sees it then).
    institute = models.ForeignKey(
        Institute, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("institute")
    )
    problem = models.TextField(_("why it was not registered"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.WAITING)
    application = models.OneToOneField(
        Application, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("application")
    )
    imported_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unmatched e-mail")
        verbose_name_plural = _("unmatched e-mails")
        ordering = ["received_at", "id"]
        indexes = [models.Index(fields=["state", "institute"], name="appeal_unmatched_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(application__isnull=True) | Q(state="registered"), name="unmatched_registered_has_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"
