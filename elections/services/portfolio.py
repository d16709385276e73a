"""EL-05, EL-19: the candidate's portfolio files and forms.

Uploads are judged by their content, never by their name or the browser's content type: a photo is
a JPEG or PNG that Pillow can read, up to 5 MB; a CV or recommendation letter is a PDF (it starts
with `%PDF-`), up to 10 MB. Accepted files are stored under a name of our own. Appendix 1 and 2 are
rendered from templates by `portal.documents.render_pdf`; the transcript comes from academics.
"""

import base64
import io
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from academics.services.transcripts import transcript_pdf
from elections import rules
from elections.errors import ElectionError
from elections.models import Candidate
from elections.services import eligibility
from portal.documents import issue_document, render_pdf
from portal.models import Document, Role, RoleAssignment, StudentProfile, User

MB = 2**20
PHOTO_MAX_BYTES = 5 * MB
PDF_MAX_BYTES = 10 * MB
PHOTO_SIGNATURES = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}
PHOTO_EXTENSIONS = {"JPEG": "jpg", "PNG": "png"}


def _head(upload: UploadedFile, n: int) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


def checked_photo(upload: UploadedFile) -> ContentFile:
    """EL-05: a JPEG or PNG photo up to 5 MB, checked by its bytes and decoded by Pillow."""
    if not upload.size or upload.size > PHOTO_MAX_BYTES:
        raise ElectionError(
            _("The photo must be a JPEG or PNG image of at most %(mb)d MB.") % {"mb": PHOTO_MAX_BYTES // MB}
        )
    head = _head(upload, 8)
    claimed = next((fmt for sig, fmt in PHOTO_SIGNATURES.items() if head.startswith(sig)), None)
    data = upload.read()
    upload.seek(0)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            found = image.format
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # verify() does not decode the pixels; a truncated file fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        found = None
    if claimed is None or found != claimed:
        raise ElectionError(_("The photo is not a JPEG or PNG image: choose a photo file."))
    return ContentFile(data, name=f"photo.{PHOTO_EXTENSIONS[claimed]}")


def checked_pdf(upload: UploadedFile, what: str, stem: str) -> ContentFile:
    """EL-05: a PDF document (by its `%PDF-` header) up to 10 MB; `what` names it in the message."""
    if not upload.size or upload.size > PDF_MAX_BYTES:
        raise ElectionError(
            _("%(what)s must be a PDF file of at most %(mb)d MB.") % {"what": what, "mb": PDF_MAX_BYTES // MB}
        )
    if not _head(upload, 5) == b"%PDF-":
        raise ElectionError(_("%(what)s is not a PDF file: save it as PDF and upload it again.") % {"what": what})
    return ContentFile(upload.read(), name=f"{stem}.pdf")


def attach_transcript(student: StudentProfile, actor: User) -> Document:
    """EL-05: the academic transcript from academics, rendered in the student's language and stored."""
    language = student.study_language if student.study_language in dict(settings.LANGUAGES) else "kk"
    pdf = transcript_pdf(student, language)
    return issue_document(
        kind="transcript",
        title=_("Transcript: %(name)s") % {"name": student.user.full_name},
        pdf=pdf,
        registration_date=timezone.localdate(),
        created_by=actor,
    )


@dataclass(frozen=True)
class Missing:
    code: str
    label: str


def missing_items(candidate: Candidate) -> list[Missing]:
    """EL-05: what the portfolio still lacks (photo, CV, intent, programme, transcript, recommendation)."""
    items = [
        ("photo", bool(candidate.photo), _("photo")),
        ("cv", bool(candidate.cv), _("CV")),
        ("intent", bool(candidate.intent.strip()), _("application of intent")),
        ("programme", bool(candidate.programme.strip()), _("election programme")),
        ("transcript", candidate.transcript_id is not None, _("academic transcript")),
        (
            "recommendation",
            bool(candidate.recommendation) or candidate.recommended_by_id is not None,
            _("institute director's recommendation"),
        ),
    ]
    return [Missing(code, label) for code, present, label in items if not present]


def _photo_data_uri(candidate: Candidate) -> str:
    """The photo inlined, so WeasyPrint needs no file path or URL (media may live on shared storage)."""
    if not candidate.photo:
        return ""
    with candidate.photo.open("rb") as fh:
        data = fh.read()
    mime = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def desw_director() -> User | None:
    """The addressee of Appendix 2: the director of the Department of Educational and Social Work."""
    assignment = (
        RoleAssignment.objects.active()
        .filter(role=Role.DESW_DIRECTOR)
        .filter(Q(institute__isnull=True, department__isnull=True, group__isnull=True))
        .select_related("user")
        .first()
    )
    return assignment.user if assignment else None


def _context(candidate: Candidate) -> dict[str, object]:
    student = candidate.student
    return {
        "candidate": candidate,
        "student": student,
        "election": candidate.election,
        "institute": student.group.programme.department.institute,
        "photo": _photo_data_uri(candidate),
        "words": rules.word_count(candidate.programme),
    }


def appendix_1(candidate: Candidate, language: str | None = None) -> bytes:
    """EL-19: Appendix 1, the candidate information sheet (name, group, institute, year, photo, programme)."""
    context = _context(candidate)
    with translation.override(language or translation.get_language()):
        context["leadership"] = eligibility.leadership_lines(candidate.student, candidate.election)
    return render_pdf(
        "elections/pdf/appendix_1.html", context, registration_date=_applied_on(candidate), language=language
    )


def appendix_2(candidate: Candidate, language: str | None = None) -> bytes:
    """EL-19: Appendix 2, the application of intent and consent addressed to the DESW director."""
    context = _context(candidate) | {"director": desw_director()}
    return render_pdf(
        "elections/pdf/appendix_2.html", context, registration_date=_applied_on(candidate), language=language
    )


def _applied_on(candidate: Candidate) -> date:
    return timezone.localdate(candidate.applied_at) if candidate.applied_at else timezone.localdate()
