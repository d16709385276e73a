"""AP-03 to AP-06: paper applications registered by the dean's office (the page, the service, the panels)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from appeals.errors import AppealError
from appeals.models import ApplicantType, Application, Attachment, Channel, Event, Kind, Status
from appeals.services.channels import register_paper, search_people
from portal.dashboards import panels_for
from portal.models import Role
from tests.appeals.factories import TEXT, at, filing, make_school
from tests.factories import RoleAssignmentFactory, StaffProfileFactory, UserFactory, make_student

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
URL = "appeals:register_paper"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def form(**overrides):
    data = {
        "applicant_code": "",
        "kind": Kind.COMPLAINT,
        "subject": "Жатақхана",
        "text": TEXT,
        "received_at": "2026-11-17T10:30",
    }
    return data | overrides


def post(client, data, files=()):
    payload = dict(data)
    if files:
        payload["attachments"] = list(files)
    return client.post(reverse(URL), payload)


def test_ap03_ap04_the_dean_s_office_registers_a_named_paper_application_at_once():
    """AP-03, AP-04: registered to the dean's own institute (the applicant may study elsewhere), channel
    paper, with its number, the date received, the scans and the dean as the one who registered it."""
    school = make_school("IT")
    other = make_school("ENG")
    applicant = other.student.user
    response = post(
        client_for(school.dean),
        form(applicant_code=applicant.id_code.lower()),
        files=[SimpleUploadedFile("скан.pdf", PDF)],
    )
    case = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("appeals:registered", args=[case.pk])
    assert (case.number, case.channel, case.institute) == ("IT-2026/00001", Channel.PAPER, school.institute)
    assert (case.applicant, case.applicant_type, case.filed_by) == (applicant, ApplicantType.STUDENT, school.dean)
    assert case.received_at == at(2026, 11, 17, 10, 30)
    assert (case.registered_on, case.due_on, case.status) == (date(2026, 11, 17), date(2026, 12, 8), Status.REGISTERED)
    assert case.attachments.get().original_name == "скан.pdf"
    assert case.history.get().history_user == school.dean
    page = client_for(school.dean).get(response["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert "IT-2026/00001" in content and reverse("appeals:case", args=[case.pk]) in content


def test_ap06_a_paper_received_on_saturday_is_registered_on_monday():
    school = make_school()
    post(client_for(school.dean), form(applicant_code=school.teacher.id_code, received_at="2026-11-21T11:00"))
    case = Application.objects.get()
    assert (case.registered_on, case.applicant_type) == (date(2026, 11, 23), ApplicantType.STAFF)


def test_ap05_an_anonymous_paper_is_registered_and_not_considered():
    """AP-04, AP-05: it gets a number, but is not considered; the timeline says so."""
    school = make_school()
    response = post(client_for(school.dean), form(anonymous="on"))
    case = Application.objects.get()
    assert response.status_code == 302
    assert (case.applicant, case.applicant_type, case.status) == (None, ApplicantType.ANONYMOUS, Status.NOT_CONSIDERED)
    assert list(case.events.values_list("type", flat=True)) == [Event.Type.REGISTERED, Event.Type.NOT_CONSIDERED]
    page = client_for(school.dean).get(response["Location"]).content.decode()
    assert case.number in page and "Anonymous, not considered" in page


def test_ap05_an_anonymous_report_of_a_crime_is_forwarded_at_once_and_the_forwarding_recorded():
    school = make_school()
    body = "Алматы қаласы Полиция департаменті"
    response = post(client_for(school.dean), form(anonymous="on", reports_offence="on", forwarded_to=body))
    case = Application.objects.get()
    assert response.status_code == 302
    assert (case.status, case.reports_offence, case.forwarded_to) == (Status.FORWARDED, True, body)
    assert case.forwarded_at is not None and timezone.now() - case.forwarded_at < timedelta(minutes=1)
    forwarded = case.events.get(type=Event.Type.FORWARDED)
    assert (forwarded.note, forwarded.actor) == (body, school.dean)
    assert body in client_for(school.dean).get(response["Location"]).content.decode()


def test_ap05_an_offence_report_without_the_state_body_is_refused_and_nothing_is_stored():
    school = make_school()
    response = post(client_for(school.dean), form(anonymous="on", reports_offence="on", forwarded_to="  "))
    assert response.status_code == 400 and "Name the state body" in response.content.decode()
    assert not Application.objects.exists()


def test_ap05_a_named_application_is_never_marked_as_forwarded():
    school = make_school()
    post(
        client_for(school.dean),
        form(applicant_code=school.student.user.id_code, reports_offence="on", forwarded_to="X"),
    )
    case = Application.objects.get()
    assert (case.status, case.reports_offence, case.forwarded_to) == (Status.REGISTERED, False, "")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"text": ""}, "This field is required"),
        ({"text": "қысқа"}, "at least 20 characters"),
        ({"subject": ""}, "This field is required"),
        ({"applicant_code": "NOBODY"}, "NOBODY"),
        ({"applicant_code": ""}, "mark the application anonymous"),
        ({"received_at": "2099-01-01T10:00"}, "cannot be in the future"),
        ({"received_at": "вчера"}, "Enter a valid date/time"),
        ({"kind": Kind.GRADE_APPEAL}, "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(overrides, message):
    school = make_school()
    data = form(applicant_code=school.student.user.id_code) | overrides
    response = post(client_for(school.dean), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Application.objects.exists()


def test_ap03_a_scan_that_is_not_what_it_claims_is_refused_and_nothing_is_stored():
    school = make_school()
    fake = SimpleUploadedFile("скан.pdf", b"MZ\x90\x00 a program")
    response = post(client_for(school.dean), form(applicant_code=school.student.user.id_code), files=[fake])
    assert response.status_code == 400 and "скан.pdf" in response.content.decode()
    assert not Application.objects.exists() and not Attachment.objects.exists()


def test_a_person_without_a_student_or_staff_profile_is_not_an_applicant():
    school = make_school()
    outsider = UserFactory.create(id_code="X-1")
    response = post(client_for(school.dean), form(applicant_code="X-1"))
    assert response.status_code == 400 and outsider.full_name in response.content.decode()
    assert not Application.objects.exists()


def test_ap21_only_a_dean_s_office_registers_paper_applications():
    school = make_school()
    for user in (school.student.user, school.teacher):
        client = client_for(user)
        assert client.get(reverse(URL)).status_code == 403
        assert post(client, form(anonymous="on")).status_code == 403
    assert not Application.objects.exists()
    anonymous = Client().get(reverse(URL))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_a_dean_registers_only_to_an_institute_of_their_own():
    school = make_school()
    other = make_school()
    response = post(client_for(school.dean), form(anonymous="on", institute=other.institute.pk))
    assert response.status_code == 400 and not Application.objects.exists()
    with pytest.raises(PermissionDenied):
        register_paper(actor=school.dean, institute=other.institute, applicant=None, filing=filing())
    assert not Application.objects.exists()


def test_a_dean_of_two_institutes_chooses_where_it_is_registered():
    school = make_school("IT")
    second = make_school("ENG")
    RoleAssignmentFactory.create(user=school.dean, role=Role.DEAN, institute=second.institute)
    page = client_for(school.dean).get(reverse(URL)).content.decode()
    assert f'<option value="{second.institute.pk}"' in page
    post(client_for(school.dean), form(anonymous="on", institute=second.institute.pk))
    assert Application.objects.get().number.startswith("ENG-")


def test_the_form_starts_with_now_and_the_chosen_applicant():
    school = make_school()
    page = client_for(school.dean).get(reverse(URL), {"applicant": school.student.user.id_code}).content.decode()
    assert f'value="{school.student.user.id_code}"' in page
    assert timezone.localtime().strftime("%Y-%m-%dT%H:") in page


def test_the_dean_finds_students_and_staff_of_any_institute_by_name_or_id_code(django_assert_max_num_queries):
    school = make_school()
    elsewhere = make_school()
    for n in range(12):
        make_student(user__last_name="Сейітов", user__first_name=f"Ерлан{n}", group=elsewhere.student.group)
    StaffProfileFactory.create(user__last_name="Сейітова", department=None)
    client = client_for(school.dean)
    with django_assert_max_num_queries(12):
        page = client.get(reverse(URL), {"q": "сейітов"}).content.decode()
    assert page.count("Сейітов") >= 13 and elsewhere.institute.name in page
    code = elsewhere.student.user.id_code
    assert [u.pk for u in search_people(code)] == [elsewhere.student.user.pk]
    assert not search_people("   ")


def test_the_registered_page_is_for_the_one_who_registered_and_the_institute_s_dean():
    school = make_school()
    post(client_for(school.dean), form(anonymous="on"))
    url = reverse("appeals:registered", args=[Application.objects.get().pk])
    assert client_for(make_school().dean).get(url).status_code == 403
    assert client_for(school.student.user).get(url).status_code == 403


def test_register_paper_checks_the_received_time_in_the_service_too():
    school = make_school()
    with pytest.raises(AppealError):
        register_paper(
            actor=school.dean,
            institute=school.institute,
            applicant=school.student.user,
            filing=filing(),
            received_at=timezone.now() + timedelta(hours=1),
        )
    assert not Application.objects.exists()


def test_panels_show_the_dean_s_office_the_channels_and_the_moderators_the_blog():
    school = make_school()
    (dean_panel,) = [p for p in panels_for("dean", school.dean) if "channels" in p.template]
    assert dean_panel.context == {"unmatched": 0}
    assert not [p for p in panels_for("dean", school.teacher) if "channels" in p.template]
    rector = UserFactory.create()
    RoleAssignmentFactory.create(user=rector, role=Role.RECTOR)
    assert [p.context for p in panels_for("leadership", rector) if "moderation" in p.template] == [{"pending": 0}]
    assert not [p for p in panels_for("leadership", school.dean) if "moderation" in p.template]
    assert [p for p in panels_for("student", school.student.user) if p.template.endswith("panels/blog.html")]


def test_ap17_the_registered_page_links_the_appendix_form_of_a_named_applicant(monkeypatch):
    """AP-17: Appendix 1 for a student, 2 for staff, once the applicant area offers "appeals:appendix"."""
    from appeals.views import channels as views

    real = views.reverse

    def with_appendix(name, args=None, **kwargs):
        if name == "appeals:appendix":
            return f"/appeals/{args[0]}/appendix-{args[1]}.pdf"
        return real(name, args=args, **kwargs)

    monkeypatch.setattr(views, "reverse", with_appendix)
    school = make_school()
    client = client_for(school.dean)
    for code, number in ((school.student.user.id_code, 1), (school.teacher.id_code, 2)):
        response = post(client, form(applicant_code=code, subject=f"S{number}"))
        assert f"appendix-{number}.pdf" in client.get(response["Location"]).content.decode()
    anonymous = post(client, form(anonymous="on"))
    assert "appendix" not in client.get(anonymous["Location"]).content.decode()
