"""AP-03, AP-04, AP-06: applications received by corporate e-mail (parsing, import, the unmatched list, the
IMAP reader and the management command)."""

import io
from datetime import date, datetime, timedelta
from email.charset import BASE64, QP, Charset
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from appeals.errors import AppealError
from appeals.models import ApplicantType, Application, Attachment, Channel, Event, Kind, UnmatchedEmail
from appeals.services import mail_import
from appeals.services.mail import kind_from_subject, parse_email
from appeals.services.mail_import import (
    ImportResult,
    Outcome,
    dismiss_unmatched,
    import_message,
    read_mailbox,
    register_unmatched,
)
from tests.appeals.factories import TEXT, at, make_school

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FAKE_PDF = b"MZ\x90\x00\x03 this is a program, not a document"
SUBJECT = "Шағым: емтихан кестесі туралы"
NOW = at(2026, 11, 20, 12)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "green").save(buffer, "PNG")
    return buffer.getvalue()


def kazakh_email(
    sender: str = "Асқар Нұрланұлы <askar@test.edu.kz>",
    subject: str = SUBJECT,
    text: str | None = TEXT,
    html: str | None = None,
    sent: datetime | None = None,
    message_id: str | None = "<kk-1@mail.test.edu.kz>",
    files: tuple[tuple[str, bytes, str], ...] = (),
    text_encoding: str = "quoted-printable",
) -> bytes:
    """A real e-mail in Kazakh built by Python's email package: RFC 2047 headers, UTF-8 bodies."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "Деканат <dekanat@test.edu.kz>"
    message["Subject"] = subject
    message["Date"] = format_datetime(sent or at(2026, 11, 17, 10, 30))
    if message_id:
        message["Message-ID"] = message_id
    if text is not None:
        message.set_content(text, cte=text_encoding)
        if html is not None:
            message.add_alternative(html, subtype="html", cte="base64")
    elif html is not None:
        message.set_content(html, subtype="html", cte="base64")
    for name, content, mime in files:
        maintype, subtype = mime.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def held_email(raw: bytes, name: str = "a.eml", **kwargs: Any) -> UnmatchedEmail:
    """Import a message that must wait in the unmatched list, and return it."""
    result = import_message(raw, name=name, **kwargs)
    assert result.unmatched is not None, result.message
    return result.unmatched


def case_of(result: ImportResult) -> Application:
    assert result.application is not None, result.message
    return result.application


def with_subject_encoded(raw: bytes, subject: str, encoding: int) -> bytes:
    """The same message with its Subject as RFC 2047 words in base64 ("B") or quoted-printable ("Q")."""
    charset = Charset("utf-8")
    charset.header_encoding = encoding
    encoded = Header(subject, charset).encode()
    head, body = raw.split(b"\n\n", 1)
    lines = [line for line in head.split(b"\n") if not line.startswith((b"Subject:", b" =?", b"\t=?"))]
    return b"\n".join([*lines, b"Subject: " + encoded.encode()]) + b"\n\n" + body


def school_with_email(address: str = "Askar@Test.edu.kz"):
    school = make_school("IT")
    school.student.user.email = address
    school.student.user.save()
    return school


# Parsing


@pytest.mark.parametrize(("encoding", "marker"), [(BASE64, b"?b?"), (QP, b"?q?")])
def test_ap03_kazakh_headers_in_base64_and_quoted_printable_words_are_decoded(encoding, marker):
    """AP-03: a Kazakh subject and sender name (RFC 2047) and a quoted-printable UTF-8 body read back exactly."""
    raw = with_subject_encoded(kazakh_email(), SUBJECT, encoding)
    assert marker in raw.lower() and "Шағым".encode() not in raw
    parsed = parse_email(raw, NOW)
    assert parsed.subject == SUBJECT
    assert (parsed.sender, parsed.sender_name) == ("askar@test.edu.kz", "Асқар Нұрланұлы")
    assert parsed.text == TEXT
    assert parsed.message_id == "<kk-1@mail.test.edu.kz>"


def test_ap03_the_date_header_is_an_aware_almaty_time():
    sent = datetime.fromisoformat("2026-11-17T04:30:00+00:00")
    parsed = parse_email(kazakh_email(sent=sent), NOW)
    assert parsed.received_at.utcoffset() == timedelta(hours=5)
    assert (parsed.received_at.hour, parsed.received_at.minute) == (9, 30)


def test_a_missing_or_future_date_counts_as_the_time_of_import():
    raw = kazakh_email().replace(b"Date:", b"X-Old-Date:")
    assert parse_email(raw, NOW).received_at == NOW
    assert parse_email(kazakh_email(sent=at(2027, 1, 5)), NOW).received_at == NOW


def test_an_html_only_message_is_read_without_its_markup():
    html = "<html><head><style>p{color:red}</style></head><body><p>Құрметті декан!</p><p>Кесте &amp; емтихан</p></body>"
    parsed = parse_email(kazakh_email(text=None, html=html), NOW)
    assert parsed.text == "Құрметті декан!\nКесте & емтихан"


def test_the_plain_text_is_preferred_to_the_html_alternative_and_base64_bodies_are_decoded():
    raw = kazakh_email(html="<p>HTML нұсқасы</p>", text_encoding="base64")
    parsed = parse_email(raw, NOW)
    assert parsed.text == TEXT and parsed.files == []


def test_a_raw_utf8_subject_without_encoded_words_is_still_read():
    raw = kazakh_email(subject="ascii").replace(b"Subject: ascii", "Subject: Өтініш".encode())
    assert parse_email(raw, NOW).subject == "Өтініш"


def test_attachments_keep_their_kazakh_names_and_bytes():
    raw = kazakh_email(files=(("арыз.pdf", PDF, "application/pdf"), ("сурет.png", png(), "image/png")))
    files = parse_email(raw, NOW).files
    assert [(f.name, f.content[:4]) for f in files] == [("арыз.pdf", b"%PDF"), ("сурет.png", b"\x89PNG")]


def test_a_message_without_message_id_is_known_by_its_content():
    raw = kazakh_email(message_id=None)
    first, second = parse_email(raw, NOW), parse_email(raw, NOW)
    assert first.message_id == second.message_id and first.message_id.startswith("<sha256-")


@pytest.mark.parametrize("raw", [b"", b"   ", PDF, b"just some words\nand more"])
def test_bytes_that_are_not_an_email_are_refused(raw):
    with pytest.raises(AppealError):
        parse_email(raw, NOW)


@pytest.mark.parametrize(
    ("subject", "kind"),
    [
        ("Шағым: кесте", Kind.COMPLAINT),
        ("Жалоба на преподавателя", Kind.COMPLAINT),
        ("Ұсыныс", Kind.PROPOSAL),
        ("Сауал", Kind.REQUEST),
        ("Анықтама туралы өтініш", Kind.APPLICATION),
    ],
)
def test_ap01_the_kind_is_read_from_the_subject(subject, kind):
    assert kind_from_subject(subject) == kind


# Import


def test_ap03_ap04_an_email_from_a_known_sender_is_registered_at_once_to_the_home_institute():
    """AP-03, AP-04: channel e-mail, received at the Date header, the Message-ID kept, the original stored,
    the sender matched whatever the case of the address."""
    school = school_with_email()
    raw = kazakh_email(files=(("арыз.pdf", PDF, "application/pdf"),))
    result = import_message(raw, name="арыз.eml", now=NOW)
    assert result.outcome == Outcome.REGISTERED and result.refused == []
    case = Application.objects.get()
    assert result.application == case and case.number in result.message
    assert (case.number, case.channel, case.kind) == ("IT-2026/00001", Channel.EMAIL, Kind.COMPLAINT)
    assert (case.applicant, case.applicant_type, case.institute) == (
        school.student.user,
        ApplicantType.STUDENT,
        school.institute,
    )
    assert case.received_at == at(2026, 11, 17, 10, 30) and case.registered_on == date(2026, 11, 17)
    assert case.due_on == date(2026, 12, 8)
    assert (case.subject, case.text, case.source_message_id) == (SUBJECT, TEXT, "<kk-1@mail.test.edu.kz>")
    assert case.filed_by is None
    files = {a.purpose: a for a in case.attachments.all()}
    assert files[Attachment.Purpose.EVIDENCE].original_name == "арыз.pdf"
    original = files[Attachment.Purpose.EMAIL_ORIGINAL]
    assert (original.original_name, original.content_type, original.size) == ("арыз.eml", "message/rfc822", len(raw))
    assert original.file.read() == raw


def test_ap06_an_email_sent_on_saturday_is_registered_on_monday():
    school_with_email()
    result = import_message(kazakh_email(sent=at(2026, 11, 21, 12)), name="a.eml", now=NOW + (at(2026, 11, 22) - NOW))
    assert case_of(result).registered_on == date(2026, 11, 23)


def test_ap03_a_file_that_is_not_what_it_claims_is_not_stored_and_is_named_on_the_timeline():
    school_with_email()
    raw = kazakh_email(files=(("вирус.pdf", FAKE_PDF, "application/pdf"), ("скан.pdf", PDF, "application/pdf")))
    result = import_message(raw, name="a.eml", now=NOW)
    assert result.outcome == Outcome.REGISTERED
    assert len(result.refused) == 1 and result.refused[0].startswith("вирус.pdf: ")
    case = case_of(result)
    assert list(case.attachments.order_by("pk").values_list("original_name", flat=True)) == ["скан.pdf", "a.eml"]
    note = case.events.get(type=Event.Type.REGISTERED).note
    assert case.number in note and "вирус.pdf" in note


def test_ap04_the_same_message_imported_twice_is_registered_once():
    school_with_email()
    raw = kazakh_email()
    first = import_message(raw, name="a.eml", now=NOW)
    second = import_message(raw, name="copy.eml", now=NOW)
    assert second.outcome == Outcome.DUPLICATE and case_of(first).number in second.message
    assert Application.objects.count() == 1 and Attachment.objects.count() == 1


def test_ap04_a_message_from_an_unknown_sender_is_kept_in_the_unmatched_list():
    school = make_school("IT")
    result = import_message(
        kazakh_email(sender="Бейтаныс <stranger@mail.kz>"), name="a.eml", institute=school.institute
    )
    assert result.outcome == Outcome.UNMATCHED and "stranger@mail.kz" in result.message
    assert not Application.objects.exists()
    held = UnmatchedEmail.objects.get()
    assert (held.sender, held.subject, held.institute, held.state) == (
        "Бейтаныс <stranger@mail.kz>",
        SUBJECT,
        school.institute,
        UnmatchedEmail.State.WAITING,
    )
    assert held.received_at == at(2026, 11, 17, 10, 30) and held.original.read().startswith(b"From:")
    again = import_message(kazakh_email(sender="stranger@mail.kz"), name="b.eml")
    assert again.outcome == Outcome.DUPLICATE and UnmatchedEmail.objects.count() == 1


def test_ap04_a_known_sender_with_an_empty_text_is_kept_too_with_the_reason():
    school_with_email()
    result = import_message(kazakh_email(text="  "), name="a.eml", now=NOW)
    assert result.outcome == Outcome.UNMATCHED and "20" in result.message
    assert not Application.objects.exists() and UnmatchedEmail.objects.get().problem == result.message


def test_a_file_that_is_not_an_email_is_reported_and_nothing_is_stored():
    result = import_message(PDF, name="scan.eml")
    assert result.outcome == Outcome.INVALID
    assert not Application.objects.exists() and not UnmatchedEmail.objects.exists()


def test_ap02_a_staff_sender_files_as_staff_to_the_department_s_institute():
    school = make_school("ENG")
    school.teacher.email = "teacher@test.edu.kz"
    school.teacher.save()
    result = import_message(kazakh_email(sender="TEACHER@test.edu.kz"), name="a.eml", now=NOW)
    assert case_of(result).applicant_type == ApplicantType.STAFF
    assert case_of(result).institute == school.institute


def test_ap03_the_dean_s_office_names_the_applicant_of_an_unmatched_email_and_registers_it():
    school = make_school("IT")
    raw = kazakh_email(sender="stranger@mail.kz", files=(("арыз.pdf", PDF, "application/pdf"),))
    held = held_email(raw, institute=school.institute)
    case = register_unmatched(
        held, applicant=school.student.user, kind=Kind.REQUEST, subject="Сауал", text=TEXT, actor=school.dean
    )
    held.refresh_from_db()
    assert (held.state, held.application, held.handled_by) == (UnmatchedEmail.State.REGISTERED, case, school.dean)
    assert (case.channel, case.kind, case.subject, case.filed_by) == (Channel.EMAIL, Kind.REQUEST, "Сауал", school.dean)
    assert case.received_at == at(2026, 11, 17, 10, 30) and case.source_message_id == "<kk-1@mail.test.edu.kz>"
    assert sorted(case.attachments.values_list("purpose", flat=True)) == ["email_original", "evidence"]
    assert held.history.count() == 2 and held.history.first().history_user == school.dean
    with pytest.raises(AppealError):
        register_unmatched(
            held, applicant=school.student.user, kind=Kind.REQUEST, subject="x", text=TEXT, actor=school.dean
        )
    assert Application.objects.count() == 1


def test_registering_an_unmatched_email_with_bad_input_changes_nothing():
    school = make_school("IT")
    held = held_email(kazakh_email(sender="x@mail.kz"))
    for kind, text in ((Kind.COMPLAINT, "қысқа"), ("grade_appeal", TEXT)):
        with pytest.raises(AppealError):
            register_unmatched(
                held, applicant=school.student.user, kind=kind, subject="S", text=text, actor=school.dean
            )
    held.refresh_from_db()
    assert held.state == UnmatchedEmail.State.WAITING and not Application.objects.exists()


def test_an_unmatched_email_is_set_aside_only_with_a_reason():
    school = make_school("IT")
    held = held_email(kazakh_email(sender="spam@ads.kz"))
    with pytest.raises(AppealError):
        dismiss_unmatched(held, note=" ", actor=school.dean)
    dismiss_unmatched(held, note="Жарнама", actor=school.dean)
    held.refresh_from_db()
    assert (held.state, held.note, held.handled_by) == (UnmatchedEmail.State.DISMISSED, "Жарнама", school.dean)
    assert held.original  # kept
    assert import_message(kazakh_email(sender="spam@ads.kz"), name="b.eml").outcome == Outcome.DUPLICATE


# The mailbox (IMAP) and the command


class FakeIMAP:
    """An IMAP4 server in memory: the commands read_mailbox sends, and what they change."""

    def __init__(self, messages: dict[bytes, bytes], folder: str = "INBOX") -> None:
        self.messages = messages
        self.seen: set[bytes] = set()
        self.folder = folder
        self.calls: list[str] = []

    def login(self, user, password):
        self.calls.append(f"LOGIN {user}")
        return "OK", [b"Logged in"]

    def select(self, mailbox="INBOX", readonly=False):
        self.calls.append(f"SELECT {mailbox}")
        return ("OK", [str(len(self.messages)).encode()]) if mailbox == self.folder else ("NO", [b"No such folder"])

    def uid(self, command, *args):
        self.calls.append(command)
        if command == "SEARCH":
            assert args == (None, "UNSEEN")
            return "OK", [b" ".join(u for u in self.messages if u not in self.seen)]
        if command == "FETCH":
            uid, spec = args
            assert spec == "(BODY.PEEK[])"  # reading must not mark the message seen
            raw = self.messages[uid]
            return "OK", [(b"1 (UID " + uid + b" BODY[] {%d}" % len(raw), raw), b")"]
        if command == "STORE":
            uid, op, flags = args
            assert (op, flags) == ("+FLAGS", "(\\Seen)")
            self.seen.add(uid)
            return "OK", [b""]
        raise AssertionError(command)

    def logout(self):
        self.calls.append("LOGOUT")
        return "BYE", [b""]


@pytest.fixture
def imap_settings(settings):
    settings.APPEALS_IMAP_HOST = "imap.test.edu.kz"
    settings.APPEALS_IMAP_USER = "dekanat@test.edu.kz"
    settings.APPEALS_IMAP_PASSWORD = "secret"
    settings.APPEALS_IMAP_FOLDER = "INBOX"
    return settings


def test_ap03_the_mailbox_reader_registers_unseen_messages_and_marks_them_seen(imap_settings):
    school_with_email()
    box = FakeIMAP(
        {
            b"7": kazakh_email(),
            b"8": kazakh_email(sender="stranger@mail.kz", message_id="<kk-2@mail.kz>"),
            b"9": kazakh_email(),  # the same Message-ID again
        }
    )
    results = read_mailbox(box, now=NOW)
    assert [r.outcome for r in results] == [Outcome.REGISTERED, Outcome.UNMATCHED, Outcome.DUPLICATE]
    assert box.seen == {b"7", b"8", b"9"} and box.calls[:2] == ["LOGIN dekanat@test.edu.kz", "SELECT INBOX"]
    assert box.calls[-1] == "LOGOUT"
    case = Application.objects.get()
    assert case.attachments.get().original_name == "INBOX/7.eml"
    assert UnmatchedEmail.objects.get().institute is None  # the university's mailbox: every dean's office
    assert read_mailbox(box, now=NOW) == [] and Application.objects.count() == 1


def test_a_message_that_fails_to_import_stays_unseen_for_the_next_run(imap_settings, monkeypatch):
    school_with_email()
    box = FakeIMAP({b"1": kazakh_email(), b"2": kazakh_email(message_id="<kk-2@mail.kz>")})
    real = mail_import.import_message

    def flaky(raw, **kwargs):
        if b"kk-2" in raw:
            raise RuntimeError("database went away")
        return real(raw, **kwargs)

    monkeypatch.setattr(mail_import, "import_message", flaky)
    results = read_mailbox(box, now=NOW)
    assert [r.outcome for r in results] == [Outcome.REGISTERED] and box.seen == {b"1"}
    monkeypatch.setattr(mail_import, "import_message", real)
    assert [r.outcome for r in read_mailbox(box, now=NOW)] == [Outcome.REGISTERED]
    assert box.seen == {b"1", b"2"} and Application.objects.count() == 2


def test_a_missing_folder_is_an_error_and_the_session_is_closed(imap_settings):
    box = FakeIMAP({}, folder="Өтініштер")
    with pytest.raises(AppealError, match="INBOX"):
        read_mailbox(box)
    assert box.calls[-1] == "LOGOUT"


def test_the_command_imports_eml_files(tmp_path, capsys):
    school = school_with_email()
    known = tmp_path / "known.eml"
    known.write_bytes(kazakh_email())
    stranger = tmp_path / "stranger.eml"
    stranger.write_bytes(kazakh_email(sender="x@mail.kz", message_id="<kk-9@mail.kz>"))
    call_command("import_appeal_emails", str(known), str(stranger), str(known), "--institute", "it")
    out = capsys.readouterr().out
    assert "known.eml: registered" in out and "stranger.eml: unmatched" in out
    assert "registered: 1, duplicate: 1, unmatched: 1, invalid: 0" in out
    assert UnmatchedEmail.objects.get().institute == school.institute


def test_the_command_reads_the_mailbox(imap_settings, monkeypatch, capsys):
    school_with_email()
    box = FakeIMAP({b"3": kazakh_email()})
    monkeypatch.setattr(mail_import, "connect_mailbox", lambda: box)
    call_command("import_appeal_emails", "--mailbox")
    assert "INBOX/3.eml: registered" in capsys.readouterr().out and box.seen == {b"3"}


def test_the_command_needs_files_or_a_configured_mailbox(settings, tmp_path):
    settings.APPEALS_IMAP_HOST = ""
    with pytest.raises(CommandError, match="--mailbox"):
        call_command("import_appeal_emails")
    with pytest.raises(CommandError, match="APPEALS_IMAP_HOST"):
        call_command("import_appeal_emails", "--mailbox")
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_appeal_emails", str(tmp_path / "missing.eml"))
    with pytest.raises(CommandError, match="XYZ"):
        call_command("import_appeal_emails", str(tmp_path / "missing.eml"), "--institute", "XYZ")
