"""AP-03 to AP-05: the dean's office's e-mail page (upload of .eml files, the unmatched list and registering an
unmatched e-mail by hand)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from appeals.models import ApplicantType, Application, Channel, Event, Kind, Status, UnmatchedEmail
from appeals.services.mail_import import import_message, register_unmatched
from tests.appeals.factories import TEXT, at, make_school
from tests.appeals.test_mail import FAKE_PDF, PDF, SUBJECT, held_email, kazakh_email

pytestmark = pytest.mark.django_db
URL = "appeals:import_email"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def eml(name: str, raw: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, raw, content_type="message/rfc822")


def upload(client, *files):
    return client.post(reverse(URL), {"emails": list(files)})


def test_ap03_ap04_the_dean_s_office_uploads_emails_and_sees_what_became_of_each():
    """AP-03, AP-04: a known sender registered, an unknown one kept, a repeat not registered again, a file
    that is no e-mail reported; refused attachments listed."""
    school = make_school("IT")
    school.student.user.email = "askar@test.edu.kz"
    school.student.user.save()
    known = kazakh_email(files=(("вирус.pdf", FAKE_PDF, "application/pdf"), ("скан.pdf", PDF, "application/pdf")))
    stranger = kazakh_email(sender="Бейтаныс <stranger@mail.kz>", message_id="<kk-2@mail.kz>")
    response = upload(
        client_for(school.dean),
        eml("known.eml", known),
        eml("stranger.eml", stranger),
        eml("again.eml", known),
        eml("scan.eml", PDF),
    )
    assert response.status_code == 200
    case = Application.objects.get()
    assert (case.channel, case.applicant, case.filed_by) == (Channel.EMAIL, school.student.user, school.dean)
    page = response.content.decode()
    assert page.count(case.number) >= 2 and f"Already registered as {case.number}" in page
    assert "вирус.pdf" in page and "stranger@mail.kz" in page and "not an e-mail message" in page
    held = UnmatchedEmail.objects.get()
    assert (held.institute, held.imported_by) == (school.institute, school.dean)
    assert reverse("appeals:unmatched_email", args=[held.pk]) in page


def test_uploading_nothing_or_too_many_is_refused():
    school = make_school()
    assert upload(client_for(school.dean)).status_code == 400
    many = [eml(f"{n}.eml", kazakh_email(message_id=f"<{n}@x>")) for n in range(51)]
    response = upload(client_for(school.dean), *many)
    assert response.status_code == 400 and "At most 50" in response.content.decode()
    assert not Application.objects.exists() and not UnmatchedEmail.objects.exists()


def test_the_unmatched_list_shows_sender_and_subject_with_a_fixed_number_of_queries(django_assert_max_num_queries):
    school = make_school()
    for n in range(25):
        import_message(kazakh_email(sender=f"s{n}@mail.kz", message_id=f"<m{n}@mail.kz>"), name=f"{n}.eml")
    client = client_for(school.dean)
    with django_assert_max_num_queries(10):
        page = client.get(reverse(URL)).content.decode()
    assert "s0@mail.kz" in page and SUBJECT in page and "Page 1 of 2" in page
    found = client.get(reverse(URL), {"q": "s13@"}).content.decode()
    assert "s13@mail.kz" in found and "s12@mail.kz" not in found


def test_ap03_an_unmatched_email_is_registered_for_the_person_the_dean_s_office_names():
    school = make_school("IT")
    applicant = make_school("ENG").student.user
    held = held_email(kazakh_email(sender="old-address@mail.kz"), institute=school.institute)
    url = reverse("appeals:unmatched_email", args=[held.pk])
    client = client_for(school.dean)
    page = client.get(url, {"applicant": applicant.id_code}).content.decode()
    assert TEXT in page and f'value="{applicant.id_code}"' in page and 'value="complaint" selected' in page
    response = client.post(
        url, {"applicant_code": applicant.id_code, "kind": Kind.COMPLAINT, "subject": SUBJECT, "text": TEXT}
    )
    case = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("appeals:registered", args=[case.pk])
    assert (case.institute.code, case.applicant, case.applicant_type) == ("ENG", applicant, ApplicantType.STUDENT)
    assert case.received_at == at(2026, 11, 17, 10, 30)
    assert UnmatchedEmail.objects.get().state == UnmatchedEmail.State.REGISTERED
    # The one who registered it sees what was registered, though the case is another institute's.
    assert case.number in client.get(response["Location"]).content.decode()
    assert case.number in client.get(url).content.decode()
    assert client.post(url, {"applicant_code": applicant.id_code, "kind": "complaint", "subject": "x", "text": TEXT})
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"applicant_code": "NOBODY"}, "NOBODY"),
        ({"text": "қысқа"}, "at least 20 characters"),
        ({"subject": ""}, "This field is required"),
    ],
)
def test_registering_an_unmatched_email_with_bad_input_changes_nothing(data, message):
    school = make_school()
    held = held_email(kazakh_email(sender="x@mail.kz"), name="a.eml")
    full = {"applicant_code": school.student.user.id_code, "kind": "complaint", "subject": "S", "text": TEXT} | data
    response = client_for(school.dean).post(reverse("appeals:unmatched_email", args=[held.pk]), full)
    assert response.status_code == 400 and message in response.content.decode()
    held.refresh_from_db()
    assert held.state == UnmatchedEmail.State.WAITING and not Application.objects.exists()


def test_an_unmatched_email_is_set_aside_with_a_reason():
    school = make_school()
    held = held_email(kazakh_email(sender="ads@shop.kz"), name="a.eml")
    client = client_for(school.dean)
    url = reverse("appeals:dismiss_email", args=[held.pk])
    client.post(url, {"note": " "})
    held.refresh_from_db()
    assert held.state == UnmatchedEmail.State.WAITING
    response = client.post(url, {"note": "Жарнама"})
    assert response.status_code == 302
    held.refresh_from_db()
    assert (held.state, held.note, held.handled_by) == (UnmatchedEmail.State.DISMISSED, "Жарнама", school.dean)
    assert "ads@shop.kz" not in client.get(reverse(URL)).content.decode()


def test_the_original_message_can_be_downloaded():
    school = make_school()
    raw = kazakh_email(sender="x@mail.kz")
    held = held_email(raw, name="a.eml")
    response = client_for(school.dean).get(reverse("appeals:unmatched_original", args=[held.pk]))
    assert response.status_code == 200 and response.getvalue() == raw
    assert response["Content-Type"] == "message/rfc822"


def test_ap21_only_the_dean_s_offices_see_the_email_pages():
    school = make_school()
    other = make_school()
    mine = held_email(kazakh_email(sender="x@mail.kz"), name="a.eml", institute=school.institute)
    shared = held_email(kazakh_email(sender="y@mail.kz", message_id="<y@mail.kz>"), name="b.eml")
    pages = ("appeals:unmatched_email", "appeals:unmatched_original")
    for user in (school.student.user, school.teacher):
        client = client_for(user)
        assert client.get(reverse(URL)).status_code == 403
        assert upload(client, eml("a.eml", kazakh_email(message_id="<z@x>"))).status_code == 403
        for name in pages:
            assert client.get(reverse(name, args=[mine.pk])).status_code == 403
        assert client.post(reverse("appeals:dismiss_email", args=[mine.pk]), {"note": "x"}).status_code == 403
    # Another institute's dean sees the university mailbox's e-mails, not this dean's office's own.
    client = client_for(other.dean)
    assert client.get(reverse("appeals:unmatched_email", args=[mine.pk])).status_code == 403
    assert client.get(reverse("appeals:unmatched_email", args=[shared.pk])).status_code == 200
    listing = client.get(reverse(URL)).content.decode()
    assert "y@mail.kz" in listing and "x@mail.kz" not in listing
    mine.refresh_from_db()
    assert mine.state == UnmatchedEmail.State.WAITING and UnmatchedEmail.objects.count() == 2


def test_ap05_an_anonymous_email_is_registered_to_the_dean_s_institute_and_not_considered():
    school = make_school("IT")
    held = held_email(kazakh_email(sender="nobody@anon.kz"))
    url = reverse("appeals:unmatched_email", args=[held.pk])
    data = {"anonymous": "on", "kind": Kind.COMPLAINT, "subject": SUBJECT, "text": TEXT}
    response = client_for(school.dean).post(url, data)
    case = Application.objects.get()
    assert response.status_code == 302
    assert (case.applicant, case.applicant_type, case.status) == (None, ApplicantType.ANONYMOUS, Status.NOT_CONSIDERED)
    assert (case.institute, case.channel, case.filed_by) == (school.institute, Channel.EMAIL, school.dean)
    assert list(case.events.values_list("type", flat=True)) == [Event.Type.REGISTERED, Event.Type.NOT_CONSIDERED]


def test_ap05_an_anonymous_email_reporting_a_threat_is_forwarded_at_once():
    school = make_school("IT")
    held = held_email(kazakh_email(sender="nobody@anon.kz"))
    url = reverse("appeals:unmatched_email", args=[held.pk])
    data = {"anonymous": "on", "reports_offence": "on", "kind": Kind.COMPLAINT, "subject": SUBJECT, "text": TEXT}
    client = client_for(school.dean)
    refused = client.post(url, data)
    assert refused.status_code == 400 and "Name the state body" in refused.content.decode()
    assert not Application.objects.exists()
    client.post(url, data | {"forwarded_to": "ҰҚК департаменті"})
    case = Application.objects.get()
    assert (case.status, case.forwarded_to) == (Status.FORWARDED, "ҰҚК департаменті")
    assert case.events.get(type=Event.Type.FORWARDED).note == "ҰҚК департаменті"


def test_an_anonymous_email_goes_only_to_an_institute_of_the_dean_s_own():
    school = make_school("IT")
    other = make_school("ENG")
    held = held_email(kazakh_email(sender="nobody@anon.kz"))
    data = {"anonymous": "on", "institute": other.institute.pk, "kind": "complaint", "subject": "S", "text": TEXT}
    response = client_for(school.dean).post(reverse("appeals:unmatched_email", args=[held.pk]), data)
    assert response.status_code == 400 and not Application.objects.exists()
    with pytest.raises(PermissionDenied):
        register_unmatched(held, applicant=None, kind="complaint", subject="S", text=TEXT, actor=school.student.user)
    with pytest.raises(PermissionDenied):
        register_unmatched(
            held, applicant=None, kind="complaint", subject="S", text=TEXT, actor=school.dean, institute=other.institute
        )
    assert not Application.objects.exists()
