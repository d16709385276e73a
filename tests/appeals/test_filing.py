"""Filing and registration (AP-01 to AP-05)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appeals.errors import AppealError
from appeals.models import Application, Attachment, Channel, Event, Kind, Status
from appeals.services.filing import register
from portal.models import Notification, Role, User
from tests.appeals.factories import at, file_case, filing, make_school
from tests.factories import RoleAssignmentFactory, StaffProfileFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_ap04_every_filing_gets_the_next_number_and_the_stored_due_date():
    """AP-04, AP-06: numbers run per institute and year; the due date is stored at registration."""
    school = make_school("IT")
    first = file_case(school.student.user, at(2026, 11, 17))
    second = file_case(school.teacher, at(2026, 11, 17, 11))
    assert (first.number, second.number) == ("IT-2026/00001", "IT-2026/00002")
    assert first.registered_on == date(2026, 11, 17) and first.due_on == date(2026, 12, 8)
    assert (first.applicant_type, second.applicant_type) == ("student", "staff")
    assert first.status == Status.REGISTERED and first.institute == school.institute
    assert list(first.events.values_list("type", flat=True)) == [Event.Type.REGISTERED]


def test_ap06_a_filing_on_saturday_is_registered_and_counted_from_monday():
    school = make_school()
    case = file_case(school.student.user, at(2026, 11, 21, 12))
    assert case.registered_on == date(2026, 11, 23)
    assert case.due_on == date(2026, 12, 14)


def test_ap04_the_applicant_and_the_dean_are_told():
    school = make_school()
    case = file_case(school.student.user)
    assert Notification.objects.filter(recipient=school.student.user, subject__contains=case.number).exists()
    assert Notification.objects.filter(recipient=school.dean, subject__contains=case.number).exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": "   "}, "substance"),
        ({"text": "қысқа"}, "substance"),
        ({"text": "ә" * 10_001}, "too long"),
        ({"subject": ""}, "subject"),
        ({"kind": "grade_appeal"}, "Choose what you are filing"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_stores_nothing(kwargs, message):
    school = make_school()
    with pytest.raises(AppealError, match=message):
        file_case(school.student.user, **kwargs)
    assert not Application.objects.exists()


def test_ap01_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_stored():
    school = make_school()
    fake = SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00 not a pdf at all")
    with pytest.raises(AppealError, match=r"evidence\.pdf"):
        file_case(school.student.user, files=[fake])
    assert not Application.objects.exists() and not Attachment.objects.exists()


def test_ap01_a_real_pdf_is_attached_with_its_checked_type():
    school = make_school()
    case = file_case(school.student.user, files=[SimpleUploadedFile("scan.pdf", PDF)])
    attachment = case.attachments.get()
    assert (attachment.content_type, attachment.original_name, attachment.size) == (
        "application/pdf",
        "scan.pdf",
        len(PDF),
    )


def test_ap02_a_representative_must_give_the_reason_and_the_document():
    """AP-02: through a legal representative, with the representation document attached."""
    school = make_school()
    with pytest.raises(AppealError, match="document"):
        file_case(school.student.user, representative_name="Ахметова Г.", representation_reason="minor")
    with pytest.raises(AppealError, match="why"):
        file_case(school.student.user, representative_name="Ахметова Г.")
    case = file_case(
        school.student.user,
        representative_name="Ахметова Г.",
        representation_reason="abroad",
        representation_document=SimpleUploadedFile("power.pdf", PDF),
    )
    assert case.attachments.get().purpose == Attachment.Purpose.REPRESENTATION


def test_ap02_a_group_application_lists_its_co_applicants_who_are_told_too():
    school = make_school()
    other = make_school().student.user
    case = file_case(school.student.user, co_applicants=[other])
    assert list(case.co_applicants.all()) == [other]
    assert Notification.objects.filter(recipient=other, subject__contains=case.number).exists()


def test_ap05_an_anonymous_application_is_registered_but_not_considered():
    """AP-05, AP-04: registered in the journal, status "not considered", no deadline work for anyone."""
    school = make_school()
    case = register(
        filing=filing(),
        institute=school.institute,
        channel=Channel.PAPER,
        applicant=None,
        applicant_type="anonymous",
        filed_by=school.dean,
        received_at=at(2026, 11, 17),
    )
    assert case.number.endswith("/00001") and case.status == Status.NOT_CONSIDERED
    assert case.applicant_type == "anonymous"


def test_ap05_an_anonymous_report_of_an_offence_is_forwarded_at_once_and_the_forwarding_recorded():
    school = make_school()
    with pytest.raises(AppealError, match="state body"):
        register(
            filing=filing(kind=Kind.COMPLAINT),
            institute=school.institute,
            channel=Channel.PAPER,
            applicant=None,
            applicant_type="anonymous",
            filed_by=school.dean,
            reports_offence=True,
        )
    case = register(
        filing=filing(kind=Kind.COMPLAINT),
        institute=school.institute,
        channel=Channel.PAPER,
        applicant=None,
        applicant_type="anonymous",
        filed_by=school.dean,
        reports_offence=True,
        forwarded_to="Алматы қаласы полиция департаменті",
    )
    assert case.status == Status.FORWARDED and case.forwarded_at is not None
    event = case.events.get(type=Event.Type.FORWARDED)
    assert event.actor == school.dean and "полиция" in event.note


def test_ap04_a_filing_costs_a_fixed_number_of_queries():
    """AP-04: a portal filing reads the profile with its school and the calendar once, then writes: on Postgres
    one statement (appeals/services/registering.py), elsewhere the counter, the case, its audit row, the
    institute's triage version, the timeline step, the deans and one notification insert. However many
    deans or cases there are (the transaction's own statements aside)."""
    school = make_school()
    file_case(school.student.user)
    for _ in range(3):
        RoleAssignmentFactory.create(user=StaffProfileFactory.create().user, role=Role.DEAN, institute=school.institute)
    user = User.objects.get(pk=school.student.user.pk)  # nothing cached
    with CaptureQueriesContext(connection) as queries:
        case = file_case(user)
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == (3 if connection.vendor == "postgresql" else 9), statements
    assert case.number.endswith("/00002")
    assert Notification.objects.filter(url__endswith=f"/{case.pk}/").count() == 5  # the student and 4 deans
