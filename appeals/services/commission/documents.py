"""AP-11: the commission verifies the facts and requests documents from departments.

Each request has its own due date in working days (3 unless the chair says otherwise). The head of the
department answers with a note and, if there is one, a PDF; an open request past its date is overdue.
Once the commission has decided, requests still open are moot and leave the heads' lists.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.errors import AppealError
from appeals.models import Application, Attachment, Decision, DocumentRequest, Event
from appeals.services.commission.access import (
    chairs_of,
    headed_department_ids,
    heads_department,
    heads_of,
    locked,
    require_chair,
    require_sitting,
)
from appeals.services.commission.forming import commission_url
from appeals.services.filing import record
from portal import workdays
from portal.models import Department, User
from portal.notifications import notify
from portal.uploads import CONTENT_TYPES, UploadRejected, checked_upload

DEFAULT_WORKING_DAYS = 3
MAX_WORKING_DAYS = 10
MAX_TEXT_CHARS = 4000


def request_url(request: DocumentRequest) -> str:
    return reverse("appeals:document_request", args=[request.pk])


def is_overdue(request: DocumentRequest, today: date) -> bool:
    return request.answered_at is None and request.due_on < today


@transaction.atomic
def request_documents(
    chair: User,
    application: Application,
    department: Department,
    what: str,
    working_days: int = DEFAULT_WORKING_DAYS,
    today: date | None = None,
) -> DocumentRequest:
    """AP-11: ask a department for documents, due `working_days` working days from today."""
    application = locked(application)
    require_chair(chair, application)
    require_sitting(application)
    today = today or timezone.localdate()
    what = what.strip()
    if not what:
        raise AppealError(_("Say which documents the department is to send."))
    if len(what) > MAX_TEXT_CHARS:
        raise AppealError(_("The request is too long: at most %(n)d characters.") % {"n": MAX_TEXT_CHARS})
    if not 1 <= working_days <= MAX_WORKING_DAYS:
        raise AppealError(_("Give the department from 1 to %(n)d working days.") % {"n": MAX_WORKING_DAYS})
    due_on = workdays.add_working_days(today, working_days)
    if due_on > application.deadline:
        raise AppealError(
            _(
                "The documents would be due on %(due)s, after the answer's deadline %(deadline)s: "
                "give fewer working days or extend the deadline first."
            )
            % {"due": due_on.strftime("%d.%m.%Y"), "deadline": application.deadline.strftime("%d.%m.%Y")}
        )
    request = DocumentRequest(
        application=application, department=department, what=what, due_on=due_on, requested_by=chair
    )
    request._history_user = chair  # type: ignore[attr-defined]
    request.save()
    note = _("%(department)s, due %(date)s: %(what)s") % {
        "department": department,
        "date": due_on.strftime("%d.%m.%Y"),
        "what": what,
    }
    record(application, Event.Type.DOCUMENTS_REQUESTED, chair, note, public=False)
    notify(
        heads_of(department),
        _("The expanded commission requests documents: application %(number)s, due %(date)s")
        % {"number": application.number, "date": due_on.strftime("%d.%m.%Y")},
        what,
        request_url(request),
    )
    return request


@transaction.atomic
def answer_document_request(
    head: User, request: DocumentRequest, note: str, file: UploadedFile | None = None, now: datetime | None = None
) -> DocumentRequest:
    """AP-11: the head of the department answers with a note and, optionally, a PDF (checked by content)."""
    request = DocumentRequest.objects.select_for_update().select_related("application", "department").get(pk=request.pk)
    if not heads_department(head, request.department_id):
        raise PermissionDenied
    if request.answered_at is not None:
        raise AppealError(_("This request is already answered."))
    if Decision.objects.filter(application_id=request.application_id).exists():
        raise AppealError(_("The commission has already decided: the documents are no longer needed."))
    note = note.strip()
    if not note:
        raise AppealError(_("Write a note on what the department sends or why it has nothing to send."))
    if len(note) > MAX_TEXT_CHARS:
        raise AppealError(_("The note is too long: at most %(n)d characters.") % {"n": MAX_TEXT_CHARS})
    application = request.application
    if file:
        try:
            kind = checked_upload(file, kinds=("pdf",))
        except UploadRejected as error:
            raise AppealError(f"{file.name}: {error}") from None
        request.attachment = Attachment.objects.create(
            application=application,
            purpose=Attachment.Purpose.DEPARTMENT_DOCUMENT,
            file=file,
            original_name=(file.name or "")[:255],
            content_type=CONTENT_TYPES[kind],
            size=file.size or 0,
            uploaded_by=head,
        )
    request.answered_at = now or timezone.now()
    request.answer_note = note
    request._history_user = head  # type: ignore[attr-defined]
    request.save(update_fields=["answered_at", "answer_note", "attachment"])
    event_note = _("Answer from %(department)s: %(note)s") % {"department": request.department, "note": note}
    record(application, Event.Type.DOCUMENTS_REQUESTED, head, event_note, public=False)
    notify(
        chairs_of(application),
        _("%(department)s answered the document request on application %(number)s")
        % {"department": request.department, "number": application.number},
        note,
        commission_url(application),
    )
    return request


def open_requests_for(head: User) -> QuerySet[DocumentRequest]:
    """AP-11: the requests awaiting an answer from the departments the user heads, earliest due first."""
    return (
        DocumentRequest.objects.filter(
            department_id__in=headed_department_ids(head),
            answered_at__isnull=True,
            application__decision__isnull=True,
        )
        .select_related("application", "department")
        .order_by("due_on", "id")
    )


def requests_to(head: User) -> QuerySet[DocumentRequest]:
    """Every request to the departments the user heads, open first, then the latest."""
    return (
        DocumentRequest.objects.filter(department_id__in=headed_department_ids(head))
        .select_related("application", "department", "attachment")
        .order_by(F("answered_at").desc(nulls_first=True), "due_on", "id")
    )
