"""PT-09: notify people in the portal and by e-mail, through an outbox.

`notify` writes rows in the caller's transaction and, on commit, asks a worker to send them.
If the broker is down the request is not delayed or failed: the periodic sweep sends later.
"""

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from portal.models import Notification, User

log = logging.getLogger(__name__)
MAX_EMAIL_ATTEMPTS = 5


def notify(
    recipients: Iterable[User], subject: str, body: str = "", url: str = "", *, email: bool = True
) -> list[Notification]:
    """Queue one notification per recipient; e-mail goes out after the transaction commits."""
    rows = Notification.objects.bulk_create(
        Notification(recipient=r, subject=subject, body=body, url=url, send_email=email and bool(r.email))
        for r in recipients
    )
    if any(n.send_email for n in rows):
        transaction.on_commit(_queue_send, robust=True)
    return rows


@dataclass(frozen=True)
class Message:
    """One message for one person (see `notify_each`)."""

    recipient: User
    subject: str
    body: str = ""
    url: str = ""


def notify_each(messages: Iterable[Message], *, email: bool = True) -> list[Notification]:
    """Queue a message of its own to each of many people (a sweep's digests): the same outbox as `notify`,
    written in batches of 1,000 rows, with one send task queued on commit rather than one per message."""
    rows = Notification.objects.bulk_create(
        (
            Notification(
                recipient=m.recipient,
                subject=m.subject,
                body=m.body,
                url=m.url,
                send_email=email and bool(m.recipient.email),
            )
            for m in messages
        ),
        batch_size=1000,
    )
    if any(n.send_email for n in rows):
        transaction.on_commit(_queue_send, robust=True)
    return rows


def queue_emails() -> None:
    """Ask a worker to send the outbox's e-mails once the caller's transaction commits (at once outside
    one): for rows written without `notify`, such as a single statement's."""
    transaction.on_commit(_queue_send, robust=True)


class _Kicks:
    """One send task per process and second at most, however many requests write to the outbox: the task
    is queued to run a second later (KICK_DELAY), so it takes every row committed before a kick it
    stands for; publishing to the broker was a tenth of a filing's cost under load."""

    def __init__(self) -> None:
        self.covered_until = 0.0  # time.monotonic() until which the last queued task is still ahead

    def reset(self) -> None:
        self.covered_until = 0.0


KICK_DELAY = 1.0
kicks = _Kicks()


def _queue_send() -> None:
    from portal.tasks import send_pending_notifications

    now = time.monotonic()
    if now < kicks.covered_until:  # a task queued by this process runs after this commit: it sends these too
        return
    try:
        send_pending_notifications.apply_async(countdown=KICK_DELAY, retry=False)
    except Exception:  # broker down: the periodic sweep sends it later
        log.warning("Broker unavailable; notifications stay in the outbox for the sweep.", exc_info=True)
    else:
        kicks.covered_until = now + KICK_DELAY


def send_pending(limit: int = 500) -> int:
    """Send unsent notification e-mails once each; safe to run twice or concurrently."""
    sent = 0
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(send_email=True, emailed_at__isnull=True, email_attempts__lt=MAX_EMAIL_ATTEMPTS)
            .select_related("recipient")
            .order_by("created_at")[:limit]
        )
        for n in pending:
            try:
                send_mail(n.subject, _email_body(n), settings.DEFAULT_FROM_EMAIL, [n.recipient.email or ""])
            except Exception:
                log.exception("Sending notification %s failed", n.pk)
                n.email_attempts += 1
                n.save(update_fields=["email_attempts"])
                continue
            n.emailed_at = timezone.now()
            n.email_attempts += 1
            n.save(update_fields=["emailed_at", "email_attempts"])
            sent += 1
    return sent


def _email_body(n: Notification) -> str:
    return f"{n.body}\n\n{n.url}".strip() if n.url else n.body


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications (or all of them) read; returns how many changed."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
