"""PT-09: in-portal notifications, which double as the e-mail outbox."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models.people import User


class Notification(models.Model):
    """One message to one person. Written in the sender's transaction; e-mailed by a task or the sweep."""

    recipient = models.ForeignKey(User, models.CASCADE, related_name="notifications", verbose_name=_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    send_email = models.BooleanField(_("send by e-mail"), default=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(
                fields=["created_at"],
                condition=models.Q(send_email=True, emailed_at__isnull=True),
                name="notification_outbox",
            ),
        ]

    def __str__(self) -> str:
        return self.subject
