"""AP-01 to AP-05: filing and registering applications in the incoming journal.

Every application that reaches the university is registered at once (AP-04): there is no "reject on
receipt". The registration number is `<institute code>-<year>/<running number>`, drawn from a counter
row locked for the transaction, so two filings at once never share a number. The answer's due date is
computed here, once, and stored (AP-06).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals import rules
from appeals.errors import AppealError
from appeals.models import (
    ApplicantType,
    Application,
    Attachment,
    Channel,
    Event,
    Kind,
    RegistrationCounter,
    RepresentationReason,
    Status,
)
from appeals.services import registering
from portal.models import Institute, Role, RoleAssignment, StaffProfile, StudentProfile, User
from portal.notifications import Message, notify_each, queue_emails
from portal.uploads import CONTENT_TYPES, UploadRejected, checked_upload

MAX_ATTACHMENTS = 5
FILED_KINDS = (Kind.APPLICATION, Kind.COMPLAINT, Kind.PROPOSAL, Kind.REQUEST)


@dataclass
class Filing:
    """What an applicant writes; the same for every channel."""

    kind: str
    subject: str
    text: str
    files: Sequence[UploadedFile] = ()
    co_applicants: Iterable[User] = ()
    representative_name: str = ""
    representation_reason: str = ""
    representation_document: UploadedFile | None = None
    postal_address: str = ""
    phone: str = ""


# Each profile with what leads to the person's school: one query reads the profile and its institute.
PROFILE_PATHS = {"student": "group__programme__department__institute", "staff": "department__institute"}


def _profile(user: User, name: str) -> StudentProfile | StaffProfile | None:
    """The user's student or staff profile (None if there is none), read once with its school and kept on
    the user as `user.student` or `user.staff` would keep it."""
    relation = getattr(User, name).related
    if not relation.is_cached(user):
        rows = relation.related_model.objects.select_related(PROFILE_PATHS[name]).filter(user=user)
        relation.set_cached_value(user, next(iter(rows), None))  # one row at most: no ORDER BY, no LIMIT
    return relation.get_cached_value(user)


def applicant_type_of(user: User) -> str:
    """AP-02: students and teaching staff file; the profile decides which."""
    if _profile(user, "student") is not None:
        return ApplicantType.STUDENT
    if _profile(user, "staff") is not None:
        return ApplicantType.STAFF
    raise AppealError(_("Only students and university staff can file applications in the portal."))


def home_institute(user: User) -> Institute:
    """The school whose dean considers the person's applications (AP-09)."""
    student = _profile(user, "student")
    if isinstance(student, StudentProfile):
        return student.group.programme.department.institute
    staff = _profile(user, "staff")
    if isinstance(staff, StaffProfile) and staff.department is not None:
        return staff.department.institute
    raise AppealError(_("Your institute is not known: ask the dean's office to register your application."))


def _checked_files(filing: Filing) -> list[tuple[UploadedFile, str, str]]:
    """Every file checked before anything is stored; bad input stores nothing."""
    files = [(f, Attachment.Purpose.EVIDENCE) for f in filing.files if f]
    if len(files) > MAX_ATTACHMENTS:
        raise AppealError(_("At most %(n)d files can be attached.") % {"n": MAX_ATTACHMENTS})
    if filing.representation_document:
        files.append((filing.representation_document, Attachment.Purpose.REPRESENTATION))
    checked: list[tuple[UploadedFile, str, str]] = []
    for upload, purpose in files:
        try:
            kind = checked_upload(upload)
        except UploadRejected as error:
            raise AppealError(f"{upload.name}: {error}") from None
        checked.append((upload, purpose, kind))
    return checked


def _validate(filing: Filing, kinds: Sequence[str]) -> None:
    if filing.kind not in kinds:
        raise AppealError(_("Choose what you are filing: an application, a complaint, a proposal or a request."))
    if not filing.subject.strip():
        raise AppealError(_("Write the subject of the application."))
    text = filing.text.strip()
    if len(text) < rules.MIN_TEXT_CHARS:
        raise AppealError(
            _("State the substance of the application: at least %(n)d characters.") % {"n": rules.MIN_TEXT_CHARS}
        )
    if len(text) > rules.MAX_TEXT_CHARS:
        raise AppealError(
            _("The text is too long: at most %(n)d characters; attach a document instead.")
            % {"n": rules.MAX_TEXT_CHARS}
        )
    if filing.representative_name.strip():
        if filing.representation_reason not in RepresentationReason.values:
            raise AppealError(_("Say why a legal representative files this application."))
        if filing.representation_document is None:
            raise AppealError(_("Attach the document that gives the representative the right to file."))


def next_number(institute: Institute, year: int) -> str:
    """AP-04: the next registration number of the institute's journal for the year. One statement creates
    or increments the counter and returns it; its row stays locked until the filing commits, so two
    filings at once never share a number."""
    table = connection.ops.quote_name(RegistrationCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (institute_id, year, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (institute_id, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [institute.pk, year],
        )
        (last,) = cursor.fetchone()
    return f"{institute.code}-{year}/{last:05d}"


def deans_of(institute: Institute) -> list[User]:
    """The people who run the institute's dean's office (told of every new case)."""
    ids = RoleAssignment.objects.active().filter(role=Role.DEAN, institute=institute).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True))


def register(
    *,
    filing: Filing,
    institute: Institute,
    channel: str,
    applicant: User | None,
    applicant_type: str,
    filed_by: User | None,
    received_at: datetime | None = None,
    reports_offence: bool = False,
    forwarded_to: str = "",
    source_message_id: str | None = None,
    kinds: Sequence[str] = FILED_KINDS,
) -> Application:
    """Register one application in the journal with its number, date and due date (AP-04, AP-06).
    `kinds`: what may be registered; the grade-appeal and higher-appeal services widen it to their own kind."""
    received_at = timezone.localtime(received_at or timezone.now())
    _validate(filing, kinds)
    checked = _checked_files(filing)
    anonymous = applicant is None
    if anonymous and reports_offence and not forwarded_to.strip():
        raise AppealError(_("Name the state body the report is forwarded to."))
    registered_on, due_on = rules.registration_dates(received_at)
    application = Application(
        registered_on=registered_on,
        received_at=received_at,
        institute=institute,
        kind=filing.kind,
        channel=channel,
        applicant_type=ApplicantType.ANONYMOUS if anonymous else applicant_type,
        applicant=applicant,
        filed_by=filed_by,
        representative_name=filing.representative_name.strip(),
        representation_reason=filing.representation_reason if filing.representative_name.strip() else "",
        postal_address=filing.postal_address.strip(),
        phone=filing.phone.strip(),
        subject=filing.subject.strip(),
        text=filing.text.strip(),
        due_on=due_on,
        source_message_id=source_message_id,
    )
    if anonymous:
        # AP-05: registered (AP-04) but not considered; a reported offence is forwarded at once.
        application.reports_offence = reports_offence
        application.status = Status.FORWARDED if reports_offence else Status.NOT_CONSIDERED
        if reports_offence:
            application.forwarded_to = forwarded_to.strip()
            application.forwarded_at = timezone.now()
    co_applicants = [u for u in filing.co_applicants if u != applicant]
    plain = channel == Channel.PORTAL and applicant is not None and filed_by == applicant
    if plain and not (checked or co_applicants or application.representative_name) and registering.supported():
        # AP-04 in one statement (issue 5's filing rate): the same rows as below.
        emails = registering.save_plain_filing(application, institute.code, _announcement(application))
        if emails:
            queue_emails()
        return application
    with transaction.atomic():
        application.number = next_number(institute, registered_on.year)
        application._history_user = filed_by or applicant  # type: ignore[attr-defined]
        application.save()
        if co_applicants:
            application.co_applicants.add(*co_applicants)
        for upload, purpose, kind in checked:
            Attachment.objects.create(
                application=application,
                purpose=purpose,
                file=upload,
                original_name=(upload.name or "")[:255],
                content_type=CONTENT_TYPES[kind],
                size=upload.size or 0,
                uploaded_by=filed_by or applicant,
            )
        record(application, Event.Type.REGISTERED, filed_by or applicant, application.number)
        if anonymous:
            kind = Event.Type.FORWARDED if reports_offence else Event.Type.NOT_CONSIDERED
            record(application, kind, filed_by, application.forwarded_to)
        _announce(application, co_applicants)
    return application


def record(
    application: Application, type: str, actor: User | None, note: str = "", public: bool = True, code: str = ""
) -> Event:
    """One step on the case's timeline (and in its audit trail). `code` names a choice (`Event.code`), which
    each reader sees in their own language."""
    return Event.objects.create(application=application, type=type, actor=actor, note=note, public=public, code=code)


def case_url(application: Application) -> str:
    return reverse("appeals:case", args=[application.pk])


def _announcement(application: Application, number: str = registering.NUMBER) -> registering.Announcement:
    """What the applicants and the dean's office are told of a new case (`number`: its registration number)."""
    return registering.Announcement(
        applicant_subject=_("Your application is registered: %(number)s") % {"number": number},
        applicant_body=_("The answer is due by %(date)s.") % {"date": application.due_on.strftime("%d.%m.%Y")},
        deans_subject=_("New application to triage: %(number)s") % {"number": number},
        deans_body=application.subject,
    )


def _announce(application: Application, co_applicants: Sequence[User]) -> None:
    """The applicants learn the number and the due date; the dean's office, that a case waits for triage."""
    url = case_url(application)
    told = _announcement(application, application.number)
    messages: list[Message] = []
    if application.applicant is not None:
        messages += [
            Message(person, told.applicant_subject, told.applicant_body, url)
            for person in (application.applicant, *co_applicants)
        ]
    if application.is_open:
        deans = deans_of(application.institute)
        messages += [Message(dean, told.deans_subject, told.deans_body, url) for dean in deans]
    notify_each(messages)


def file_application(applicant: User, filing: Filing, now: datetime | None = None) -> Application:
    """AP-01, AP-02: a student or staff member files in the portal, to the dean of their own school."""
    return register(
        filing=filing,
        institute=home_institute(applicant),
        channel=Channel.PORTAL,
        applicant=applicant,
        applicant_type=applicant_type_of(applicant),
        filed_by=applicant,
        received_at=now,
    )
