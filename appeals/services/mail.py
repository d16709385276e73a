"""AP-03: reading an application that came by corporate e-mail (a raw RFC 5322 message).

Pure parsing, no database: the sender, the subject (RFC 2047 encoded words decoded, Kazakh in UTF-8,
base64 or quoted-printable), the Date header as an aware Almaty time, the text (text/plain, or the HTML
part stripped), and every attached file with its bytes. The import (services/mail_import.py) decides
what to register.
"""

import hashlib
import html
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from appeals.errors import AppealError
from appeals.models import Kind

ALMATY = ZoneInfo("Asia/Almaty")
MAX_EMAIL_BYTES = 30 * 2**20
SUBJECT_MAX = 200  # Application.subject
ID_MAX = 255  # Application.source_message_id


class NotAnEmail(AppealError):
    """The bytes are not an e-mail message (a renamed file, an empty upload)."""


@dataclass(frozen=True)
class MailFile:
    name: str
    content: bytes


@dataclass
class ParsedEmail:
    raw: bytes
    message_id: str
    sender: str
    sender_name: str
    subject: str
    received_at: datetime
    text: str
    files: list[MailFile] = field(default_factory=list)


def _clean(value: str) -> str:
    """A header value as text: raw 8-bit UTF-8 (sent without encoded words) decoded too, folding removed."""
    if any("\udc80" <= c <= "\udcff" for c in value):
        value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return " ".join(value.split())


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # a malformed header the parser could not decode
        return ""
    return _clean(str(value)) if value is not None else ""


def _sender(message: Message) -> tuple[str, str]:
    value = _header(message, "From")
    for name, address in getaddresses([value]):
        if "@" in address:
            return address.strip(), name.strip()
    return "", ""


def _received_at(message: Message, now: datetime) -> datetime:
    """The Date header in Almaty time; a missing, broken or future date counts as now (the import)."""
    value = _header(message, "Date")
    try:
        sent = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return now
    if sent is None:
        return now
    if timezone.is_naive(sent):
        sent = sent.replace(tzinfo=ALMATY)
    return min(sent, now).astimezone(ALMATY)


def _message_id(message: Message, raw: bytes) -> str:
    """The Message-ID; a message without one is known by its content's digest, so it still imports once."""
    value = _header(message, "Message-ID").replace(" ", "")
    if not value or len(value) > ID_MAX:
        return f"<sha256-{hashlib.sha256(raw).hexdigest()}@portal.invalid>"
    return value


def html_to_text(markup: str) -> str:
    """The text of an HTML body: scripts and styles dropped, blocks and line breaks kept as lines."""
    markup = re.sub(r"(?is)<(script|style|head)\b.*?</\1\s*>", " ", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</(p|div|li|tr|h[1-6]|blockquote)\s*>", "\n", markup)
    return html.unescape(strip_tags(markup))


def tidy_text(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _part_text(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except (LookupError, UnicodeError, AttributeError):  # an unknown or wrong charset
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def _body(message: EmailMessage) -> tuple[str, Message | None]:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return "", None
    text = _part_text(part)
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return tidy_text(text), part


def _file_name(part: Message, number: int) -> str:
    name = _clean(part.get_filename() or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name:
        extension = mimetypes.guess_extension(part.get_content_type()) or ".bin"
        name = f"attachment-{number}{extension}"
    return name[-100:]


def _leaves(part: Message) -> list[Message]:
    """The message's parts in order, a forwarded message (message/rfc822) counted as one file."""
    if part.get_content_type() == "message/rfc822" or not part.is_multipart():
        return [part]
    payload = part.get_payload()
    return [leaf for sub in payload if isinstance(sub, Message) for leaf in _leaves(sub)]


def _files(message: EmailMessage, body: Message | None) -> list[MailFile]:
    files: list[MailFile] = []
    top = [message] if not message.is_multipart() else _leaves(message)
    for part in top:
        if part is body or part is message:
            continue
        inline_text = part.get_content_maintype() == "text" and not part.get_filename()
        if inline_text and part.get_content_disposition() != "attachment":
            continue  # the other version of the body (text/plain beside text/html)
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            inner_message = inner[0] if isinstance(inner, list) else inner
            content = inner_message.as_bytes() if isinstance(inner_message, Message) else b""
        else:
            payload = part.get_payload(decode=True)
            content = payload if isinstance(payload, bytes) else b""
        files.append(MailFile(_file_name(part, len(files) + 1), content))
    return files


def parse_email(raw: bytes, now: datetime | None = None) -> ParsedEmail:
    """An e-mail message from its raw bytes (NotAnEmail when the bytes are not a message)."""
    if not raw.strip():
        raise NotAnEmail(_("The file is empty."))
    if len(raw) > MAX_EMAIL_BYTES:
        raise NotAnEmail(_("The message is too large: at most %(mb)d MB.") % {"mb": MAX_EMAIL_BYTES // 2**20})
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    if not any(message.get(h) for h in ("From", "Date", "Message-ID", "Subject")):
        raise NotAnEmail(_("The file is not an e-mail message (.eml)."))
    now = timezone.localtime(now or timezone.now())
    sender, sender_name = _sender(message)
    text, body = _body(message)
    return ParsedEmail(
        raw=raw,
        message_id=_message_id(message, raw),
        sender=sender,
        sender_name=sender_name,
        subject=_header(message, "Subject"),
        received_at=_received_at(message, now),
        text=text,
        files=_files(message, body),
    )


def short_subject(subject: str) -> str:
    """The subject as it fits the journal; an empty one is named as such."""
    subject = subject.strip() or _("E-mail without a subject")
    return subject if len(subject) <= SUBJECT_MAX else subject[: SUBJECT_MAX - 1].rstrip() + "…"


_KIND_WORDS = (
    (Kind.COMPLAINT, ("шағым", "жалоба", "complaint")),
    (Kind.PROPOSAL, ("ұсыныс", "предложени", "proposal")),
    (Kind.REQUEST, ("сауал", "сұрау", "запрос", "request")),
)


def kind_from_subject(subject: str) -> str:
    """AP-01: the kind an e-mail names in its subject (шағым, ұсыныс, сауал); an application otherwise."""
    lowered = subject.lower()
    for kind, words in _KIND_WORDS:
        if any(word in lowered for word in words):
            return kind
    return Kind.APPLICATION
