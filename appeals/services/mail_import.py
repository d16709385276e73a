"""AP-03, AP-04: registering applications that came by corporate e-mail.

Each message is registered once (its Message-ID is unique in the journal), to the sender's home
institute, received at its Date. Attached files are checked by content: accepted ones are stored,
refused ones are named on the case's timeline. The original message is kept with the case. A message
that cannot be registered as it came (an unknown sender, an empty text) is not lost: it waits in the
dean's offices' list of unmatched e-mails until someone names the applicant and registers it.
"""

import imaplib
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.errors import AppealError
from appeals.models import ApplicantType, Application, Attachment, Channel, Event, UnmatchedEmail
from appeals.permissions import dean_institute_ids, require_dean
from appeals.services.filing import (
    FILED_KINDS,
    MAX_ATTACHMENTS,
    Filing,
    applicant_type_of,
    home_institute,
    register,
)
from appeals.services.mail import ParsedEmail, kind_from_subject, parse_email, short_subject
from portal.models import Institute, User
from portal.uploads import UploadRejected, checked_upload

logger = logging.getLogger(__name__)


class Outcome:
    REGISTERED = "registered"
    DUPLICATE = "duplicate"
    UNMATCHED = "unmatched"
    INVALID = "invalid"
    ALL = (REGISTERED, DUPLICATE, UNMATCHED, INVALID)


@dataclass
class ImportResult:
    """What became of one message (one .eml file or one message of the mailbox)."""

    name: str
    outcome: str
    message: str
    sender: str = ""
    subject: str = ""
    application: Application | None = None
    unmatched: UnmatchedEmail | None = None
    refused: list[str] = field(default_factory=list)


def checked_files(parsed: ParsedEmail) -> tuple[list[SimpleUploadedFile], list[str]]:
    """The attached files checked by content: those accepted, and "name: reason" for those refused."""
    accepted: list[SimpleUploadedFile] = []
    refused: list[str] = []
    for mail_file in parsed.files:
        upload = SimpleUploadedFile(mail_file.name, mail_file.content)
        try:
            checked_upload(upload)
        except UploadRejected as error:
            refused.append(f"{mail_file.name}: {error}")
            continue
        if len(accepted) >= MAX_ATTACHMENTS:
            refused.append(f"{mail_file.name}: " + _("At most %(n)d files can be attached.") % {"n": MAX_ATTACHMENTS})
            continue
        accepted.append(upload)
    return accepted, refused


def _register(
    parsed: ParsedEmail,
    applicant: User | None,
    *,
    actor: User | None,
    original_name: str,
    kind: str | None = None,
    subject: str | None = None,
    text: str | None = None,
    institute: Institute | None = None,
    reports_offence: bool = False,
    forwarded_to: str = "",
) -> tuple[Application, list[str]]:
    """Register the message for `applicant` (to the home institute), or anonymously (to `institute`), with
    its original and its accepted files (one transaction)."""
    target = home_institute(applicant) if applicant else institute
    if target is None:
        raise AppealError(_("Choose the institute."))
    accepted, refused = checked_files(parsed)
    filing = Filing(
        kind=kind or kind_from_subject(parsed.subject),
        subject=subject if subject is not None else short_subject(parsed.subject),
        text=text if text is not None else parsed.text,
        files=accepted,
    )
    with transaction.atomic():
        application = register(
            filing=filing,
            institute=target,
            channel=Channel.EMAIL,
            applicant=applicant,
            applicant_type=applicant_type_of(applicant) if applicant else ApplicantType.ANONYMOUS,
            filed_by=actor,
            received_at=parsed.received_at,
            reports_offence=reports_offence and applicant is None,
            forwarded_to=forwarded_to if applicant is None else "",
            source_message_id=parsed.message_id,
        )
        Attachment.objects.create(
            application=application,
            purpose=Attachment.Purpose.EMAIL_ORIGINAL,
            file=ContentFile(parsed.raw, name="message.eml"),
            original_name=original_name[:255],
            content_type="message/rfc822",
            size=len(parsed.raw),
            uploaded_by=actor,
        )
        if refused:
            event = application.events.get(type=Event.Type.REGISTERED)
            event.note = "\n".join([event.note, _("Attached files not accepted:"), *refused])
            event.save(update_fields=["note"])
    return application, refused


def _already(message_id: str) -> str | None:
    """Why a message with this Message-ID is not imported again (None: it is new)."""
    number = Application.objects.filter(source_message_id=message_id).values_list("number", flat=True).first()
    if number:
        return _("Already registered as %(number)s.") % {"number": number}
    state = UnmatchedEmail.objects.filter(message_id=message_id).values_list("state", flat=True).first()
    if state == UnmatchedEmail.State.DISMISSED:
        return _("Already set aside as not an application.")
    if state:
        return _("Already in the list of unmatched e-mails.")
    return None


def _sender_user(sender: str) -> tuple[User | None, str]:
    """The one active user with the sender's address (case-insensitive), or why there is none."""
    if not sender:
        return None, _("The message does not give the sender's address.")
    users = list(User.objects.filter(email__iexact=sender, is_active=True).select_related("student", "staff")[:2])
    if len(users) != 1:
        return None, _("No student or staff member has the address %(address)s.") % {"address": sender}
    return users[0], ""


def _hold(
    parsed: ParsedEmail, problem: str, *, actor: User | None, institute: Institute | None, original_name: str
) -> UnmatchedEmail:
    unmatched = UnmatchedEmail(
        message_id=parsed.message_id,
        sender=(f"{parsed.sender_name} <{parsed.sender}>" if parsed.sender_name else parsed.sender)[:255],
        subject=parsed.subject[:500],
        received_at=parsed.received_at,
        original=ContentFile(parsed.raw, name=original_name[-100:] or "message.eml"),
        institute=institute,
        problem=problem,
        imported_by=actor,
    )
    unmatched._history_user = actor  # type: ignore[attr-defined]
    unmatched.save()
    return unmatched


def import_message(
    raw: bytes,
    *,
    name: str,
    actor: User | None = None,
    institute: Institute | None = None,
    now: datetime | None = None,
) -> ImportResult:
    """AP-03, AP-04: register one e-mail, or keep it in the unmatched list (`institute`: the dean's office
    that imports it; none for the university's mailbox). Never registers the same Message-ID twice."""
    try:
        parsed = parse_email(raw, now)
    except AppealError as error:
        return ImportResult(name, Outcome.INVALID, str(error))
    result = ImportResult(name, Outcome.DUPLICATE, "", sender=parsed.sender, subject=parsed.subject)
    if already := _already(parsed.message_id):
        result.message = already
        return result
    applicant, problem = _sender_user(parsed.sender)
    try:
        with transaction.atomic():
            if applicant is not None:
                try:
                    result.application, result.refused = _register(parsed, applicant, actor=actor, original_name=name)
                except AppealError as error:
                    problem = str(error)
            if result.application is None:
                result.unmatched = _hold(parsed, problem, actor=actor, institute=institute, original_name=name)
    except IntegrityError:  # the same message imported at the same moment by another run
        result.message = _already(parsed.message_id) or _("Already imported.")
        return result
    if result.application is not None:
        result.outcome = Outcome.REGISTERED
        result.message = _("Registered as %(number)s.") % {"number": result.application.number}
    else:
        result.outcome = Outcome.UNMATCHED
        result.message = problem
    return result


def waiting_unmatched(user: User) -> QuerySet[UnmatchedEmail]:
    """The unmatched e-mails a dean's office sees: its own imports and those of the university's mailbox."""
    waiting = UnmatchedEmail.objects.filter(state=UnmatchedEmail.State.WAITING)
    ids = None if user.is_superuser else dean_institute_ids(user)
    if ids is None:
        return waiting
    if not ids:
        return waiting.none()
    return waiting.filter(Q(institute__isnull=True) | Q(institute_id__in=ids))


def may_handle(user: User, unmatched: UnmatchedEmail) -> bool:
    """A dean's office handles the unmatched e-mails it imported and those of the university's mailbox."""
    ids = None if user.is_superuser else dean_institute_ids(user)
    if ids is None:
        return True
    return bool(ids) and (unmatched.institute_id is None or unmatched.institute_id in ids)


def _locked_waiting(unmatched: UnmatchedEmail) -> UnmatchedEmail:
    locked = UnmatchedEmail.objects.select_for_update().get(pk=unmatched.pk)
    if locked.state != UnmatchedEmail.State.WAITING:
        raise AppealError(_("This e-mail has already been dealt with."))
    return locked


def register_unmatched(
    unmatched: UnmatchedEmail,
    *,
    applicant: User | None,
    kind: str,
    subject: str,
    text: str,
    actor: User,
    institute: Institute | None = None,
    reports_offence: bool = False,
    forwarded_to: str = "",
) -> Application:
    """AP-03, AP-04: the dean's office names the applicant of an unmatched e-mail and registers it, to the
    applicant's home institute, received at the message's Date. AP-05: with no applicant it is registered
    as anonymous to the dean's own `institute`: not considered, or forwarded at once when it reports a crime
    or a threat to security."""
    if not may_handle(actor, unmatched):
        raise PermissionDenied
    if kind not in FILED_KINDS:
        raise AppealError(_("Choose what you are filing: an application, a complaint, a proposal or a request."))
    if applicant is None:
        if institute is None:
            raise AppealError(_("Choose the institute."))
        require_dean(actor, institute)
    with transaction.atomic():
        locked = _locked_waiting(unmatched)
        with locked.original.open("rb") as original:
            parsed = parse_email(original.read())
        parsed.received_at = timezone.localtime(locked.received_at)
        application, _refused = _register(
            parsed,
            applicant,
            actor=actor,
            original_name=locked.original.name.rsplit("/", 1)[-1],
            kind=kind,
            subject=subject,
            text=text,
            institute=institute,
            reports_offence=reports_offence,
            forwarded_to=forwarded_to,
        )
        locked.state = UnmatchedEmail.State.REGISTERED
        locked.application = application
        locked.handled_by = actor
        locked.handled_at = timezone.now()
        locked._history_user = actor  # type: ignore[attr-defined]
        locked.save()
    return application


def dismiss_unmatched(unmatched: UnmatchedEmail, *, note: str, actor: User) -> UnmatchedEmail:
    """Set aside a message that is no application (advertising, an automatic reply), with the reason; the
    message is kept."""
    if not may_handle(actor, unmatched):
        raise PermissionDenied
    if not note.strip():
        raise AppealError(_("Say why this e-mail is not an application."))
    with transaction.atomic():
        locked = _locked_waiting(unmatched)
        locked.state = UnmatchedEmail.State.DISMISSED
        locked.note = note.strip()
        locked.handled_by = actor
        locked.handled_at = timezone.now()
        locked._history_user = actor  # type: ignore[attr-defined]
        locked.save()
    return locked


class Mailbox(Protocol):
    """The part of imaplib.IMAP4 the reader uses (a fake one in tests)."""

    def login(self, user: str, password: str) -> Any: ...
    def select(self, mailbox: str = ..., readonly: bool = ...) -> Any: ...
    def uid(self, command: str, *args: Any) -> tuple[str, list[Any]]: ...
    def logout(self) -> Any: ...


def connect_mailbox() -> Mailbox:
    """The corporate mailbox of APPEALS_IMAP_* (over TLS unless APPEALS_IMAP_SSL is off)."""
    if not settings.APPEALS_IMAP_HOST:
        raise AppealError(_("The mailbox is not configured: set APPEALS_IMAP_HOST."))
    if settings.APPEALS_IMAP_SSL:
        return imaplib.IMAP4_SSL(settings.APPEALS_IMAP_HOST, settings.APPEALS_IMAP_PORT, timeout=60)
    return imaplib.IMAP4(settings.APPEALS_IMAP_HOST, settings.APPEALS_IMAP_PORT, timeout=60)


def _fetched_bytes(data: list[Any]) -> bytes:
    """The message from a FETCH answer: the literal of the first (envelope, bytes) pair."""
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return b""


def read_mailbox(mailbox: Mailbox | None = None, *, now: datetime | None = None) -> list[ImportResult]:
    """AP-03: import the unseen messages of the corporate mailbox. A message is marked seen only once it is
    registered, already known or kept in the unmatched list; one that fails stays unseen for the next run."""
    box = mailbox or connect_mailbox()
    folder = settings.APPEALS_IMAP_FOLDER
    results: list[ImportResult] = []
    try:
        box.login(settings.APPEALS_IMAP_USER, settings.APPEALS_IMAP_PASSWORD)
        status, _data = box.select(folder)
        if status != "OK":
            raise AppealError(_("The mailbox has no folder %(folder)s.") % {"folder": folder})
        status, data = box.uid("SEARCH", None, "UNSEEN")
        uids = data[0].split() if status == "OK" and data and data[0] else []
        for uid in uids:
            label = f"{folder}/{uid.decode() if isinstance(uid, bytes) else uid}"
            status, data = box.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = _fetched_bytes(data) if status == "OK" else b""
            try:
                result = import_message(raw, name=f"{label}.eml", now=now)
            except Exception:
                logger.exception("Importing %s failed; it stays unseen", label)
                continue
            box.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            results.append(result)
    finally:
        try:
            box.logout()
        except (OSError, imaplib.IMAP4.error):
            logger.warning("Logging out of the mailbox failed", exc_info=True)
    return results
