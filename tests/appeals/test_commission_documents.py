"""AP-11: the commission requests documents from departments, each request with its own due date in
working days; the department's head answers with a note and an optional PDF."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from appeals.errors import AppealError
from appeals.models import Attachment, DocumentRequest, Event
from appeals.services import commission
from appeals.services.commission.documents import open_requests_for
from portal.models import Notification, WorkdayOverride
from tests.appeals.commission_support import (
    ORDER_DAY,
    Seat,
    decide,
    head_of,
    make_commissioners,
    referred,
    tmp_media,  # noqa: F401 (a fixture)
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tmp_media")]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_ap11_a_request_is_due_in_3_working_days_by_default():
    """AP-11: requested on Wednesday 18.11.2026, the documents are due on Monday 23.11.2026."""
    c = make_commissioners()
    case = referred(c)
    head = head_of(c.department)
    request = commission.request_documents(c.school.dean, case, c.department, "Емтихан кестесі", today=ORDER_DAY)
    assert request.due_on == date(2026, 11, 23)
    assert (request.requested_by, request.answered_at) == (c.school.dean, None)
    event = case.events.get(type=Event.Type.DOCUMENTS_REQUESTED)
    assert not event.public and "23.11.2026" in event.note
    told = Notification.objects.get(recipient=head)
    assert case.number in told.subject and told.url == f"/appeals/commission/requests/{request.pk}/"
    assert request.history.get().history_user == c.school.dean


def test_ap11_the_due_date_counts_working_days_with_the_calendar():
    """AP-11: a decree day off on Friday 20.11 moves a 2-working-day request from Friday to Monday."""
    c = make_commissioners()
    case = referred(c)
    WorkdayOverride.objects.create(date=date(2026, 11, 20), kind=WorkdayOverride.Kind.DAY_OFF)
    request = commission.request_documents(c.school.dean, case, c.department, "Журнал", working_days=2, today=ORDER_DAY)
    assert request.due_on == date(2026, 11, 23)


@pytest.mark.parametrize(
    ("what", "days", "message"),
    [
        ("  ", 3, "Say which documents"),
        ("Журнал", 0, "from 1 to 10 working days"),
        ("Журнал", 11, "from 1 to 10 working days"),
        ("Журнал", 10, "after the answer's deadline 08.12.2026"),
    ],
)
def test_ap11_bad_requests_are_refused_and_nothing_is_stored(what, days, message):
    c = make_commissioners()
    case = referred(c)
    with pytest.raises(AppealError, match=message):
        commission.request_documents(
            c.school.dean, case, c.department, what, working_days=days, today=date(2026, 11, 25)
        )
    assert not DocumentRequest.objects.exists()


def test_ap11_only_the_chair_requests_and_only_while_the_commission_sits():
    c = make_commissioners()
    case = referred(c)
    with pytest.raises(PermissionDenied):
        commission.request_documents(c.people[Seat.LAWYER], case, c.department, "Журнал", today=ORDER_DAY)
    decide(c, case)
    with pytest.raises(AppealError, match="already decided"):
        commission.request_documents(c.school.dean, case, c.department, "Журнал", today=ORDER_DAY)
    assert not DocumentRequest.objects.exists()


def test_ap11_the_head_answers_with_a_note_and_a_pdf():
    c = make_commissioners()
    case = referred(c)
    head = head_of(c.department)
    request = commission.request_documents(c.school.dean, case, c.department, "Кесте", today=ORDER_DAY)
    assert list(open_requests_for(head)) == [request]
    commission.answer_document_request(head, request, "Кесте қоса беріледі.", SimpleUploadedFile("кесте.pdf", PDF))
    request.refresh_from_db()
    assert request.answer_note == "Кесте қоса беріледі." and request.answered_at is not None
    attachment = request.attachment
    assert attachment is not None
    assert (attachment.purpose, attachment.content_type, attachment.application, attachment.uploaded_by) == (
        Attachment.Purpose.DEPARTMENT_DOCUMENT,
        "application/pdf",
        case,
        head,
    )
    assert list(open_requests_for(head)) == []
    assert Notification.objects.filter(recipient=c.school.dean, subject__contains="answered").exists()
    assert request.history.latest().history_user == head
    with pytest.raises(AppealError, match="already answered"):
        commission.answer_document_request(head, request, "Тағы")


def test_ap11_a_file_that_is_not_a_pdf_is_refused_and_nothing_changes():
    c = make_commissioners()
    case = referred(c)
    head = head_of(c.department)
    request = commission.request_documents(c.school.dean, case, c.department, "Кесте", today=ORDER_DAY)
    for upload in [
        SimpleUploadedFile("scan.pdf", b"MZ\x90 not a pdf"),
        SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n"),
    ]:
        with pytest.raises(AppealError, match=upload.name):
            commission.answer_document_request(head, request, "Қоса беріледі", upload)
    with pytest.raises(AppealError, match="Write a note"):
        commission.answer_document_request(head, request, " ")
    request.refresh_from_db()
    assert request.answered_at is None and not Attachment.objects.exists()


def test_ap11_only_the_head_of_that_department_answers():
    c = make_commissioners()
    case = referred(c)
    other_head = head_of()
    request = commission.request_documents(c.school.dean, case, c.department, "Кесте", today=ORDER_DAY)
    for outsider in (other_head, c.school.dean, c.school.teacher):
        with pytest.raises(PermissionDenied):
            commission.answer_document_request(outsider, request, "Жоқ")
    assert list(open_requests_for(other_head)) == []


def test_ap11_after_the_decision_an_open_request_is_moot():
    c = make_commissioners()
    case = referred(c)
    head = head_of(c.department)
    request = commission.request_documents(c.school.dean, case, c.department, "Кесте", today=ORDER_DAY)
    decide(c, case)
    assert list(open_requests_for(head)) == []
    with pytest.raises(AppealError, match="no longer needed"):
        commission.answer_document_request(head, request, "Кеш")
