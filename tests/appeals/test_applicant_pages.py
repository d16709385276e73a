"""The applicant's pages: filing (AP-01, AP-02), my applications, the case page with its timeline and
steps (AP-06 to AP-09, AP-15, AP-21, AP-22), the files behind the AP-21 check, and the dashboard panel."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from appeals import rules
from appeals.models import Application, Attachment, Body, Event, Outcome, Status
from appeals.services import workflow
from appeals.views.applicant import extra_actions
from portal.models import Role, WorkdayOverride
from tests.appeals.factories import TEXT, file_case, make_school
from tests.factories import RoleAssignmentFactory, StaffProfileFactory, make_student

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def client_for(user, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def school():
    return make_school("IT")


@pytest.fixture
def case(school):
    """A case filed now (the pages act on today's dates)."""
    return file_case(school.student.user, timezone.localtime())


def _url(case: Application, step: str = "") -> str:
    return f"/appeals/{case.pk}/" + (f"steps/{step}/" if step else "")


# Filing ----------------------------------------------------------------------------------------------


def _form(**override: object) -> dict[str, object]:
    data: dict[str, object] = {"kind": "complaint", "subject": "Емтихан кестесі", "text": TEXT}
    data.update(override)
    return data


def test_ap01_a_student_files_in_the_portal_and_lands_on_the_registered_case(school):
    """AP-01, AP-04: filed with two attachments; registered with its number; the case page shows it."""
    client = client_for(school.student.user)
    files = [SimpleUploadedFile("a.pdf", PDF, "application/pdf"), SimpleUploadedFile("b.pdf", PDF, "application/pdf")]
    response = client.post("/appeals/file/", _form(attachments=files, phone="+7 701 000 00 00"))
    case = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/appeals/{case.pk}/"
    assert case.attachments.count() == 2 and case.phone == "+7 701 000 00 00" and case.kind == "complaint"
    page = client.get(response["Location"]).content.decode()
    assert case.number in page and "is registered" in page and case.due_on.strftime("%d.%m.%Y") in page


def test_ap02_a_staff_member_files_a_group_application_by_id_codes(school):
    """AP-02: co-applicants named by their university ID codes sign the application too."""
    colleague = StaffProfileFactory.create().user
    student = make_student().user
    response = client_for(school.teacher).post(
        "/appeals/file/", _form(kind="proposal", co_applicants=f"{colleague.id_code.lower()}, {student.id_code}")
    )
    assert response.status_code == 302
    case = Application.objects.get()
    assert case.applicant_type == "staff" and set(case.co_applicants.all()) == {colleague, student}


def test_ap02_a_legal_representative_files_with_the_reason_and_document(school):
    response = client_for(school.student.user).post(
        "/appeals/file/",
        _form(
            representative_name="Ахметова Гүлнар",
            representation_reason="abroad",
            representation_document=SimpleUploadedFile("power.pdf", PDF, "application/pdf"),
            postal_address="Алматы, Абай даңғылы 1",
        ),
    )
    assert response.status_code == 302
    case = Application.objects.get()
    assert case.representative_name == "Ахметова Гүлнар" and case.representation_reason == "abroad"
    assert case.attachments.get().purpose == Attachment.Purpose.REPRESENTATION


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"text": "қысқа"}, "State the substance"),
        ({"subject": ""}, "This field is required"),
        ({"co_applicants": "NOPE-1 X2"}, "NOPE-1, X2"),
        ({"representative_name": "Ахметова Г.", "representation_reason": "minor"}, "Attach the document"),
        ({"attachments": [SimpleUploadedFile("scan.pdf", b"MZ\x90 not a pdf", "application/pdf")]}, "scan.pdf"),
        ({"attachments": [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(6)]}, "At most 5 files"),
    ],
)
def test_bad_filing_input_re_renders_the_form_with_the_error_and_keeps_the_text(school, override, message):
    """Bad input: a clear error, what was typed kept, nothing registered."""
    data = _form(**{"subject": "Менің тақырыбым", **override})
    response = client_for(school.student.user).post("/appeals/file/", data)
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert "Менің тақырыбым" in page or override.get("subject") == ""
    assert str(data["text"]) in page
    assert not Application.objects.exists() and not Attachment.objects.exists()


def test_every_mistake_of_the_filing_form_shows_at_once(school):
    response = client_for(school.student.user).post("/appeals/file/", _form(text="қысқа", co_applicants="X9"))
    page = response.content.decode()
    assert "State the substance" in page and "X9" in page and "correct the marked fields" in page
    assert not Application.objects.exists()


def test_someone_without_a_student_or_staff_profile_is_told_they_cannot_file(school):
    outsider = RoleAssignmentFactory.create(role=Role.REGISTRAR).user
    client = client_for(outsider)
    assert "Only students and university staff" in client.get("/appeals/file/").content.decode()
    client.post("/appeals/file/", _form())
    assert not Application.objects.exists()


def test_the_filing_page_is_in_kazakh_by_default(school):
    page = client_for(school.student.user, "kk").get("/appeals/file/")
    assert page.status_code == 200 and 'lang="kk"' in page.content.decode()


# My applications -------------------------------------------------------------------------------------


def test_my_applications_lists_mine_and_co_signed_with_search(school):
    mine = file_case(school.student.user, subject="Жатақхана")
    other_person = make_student(group=school.student.group).user
    co_signed = file_case(other_person, subject="Кітапхана", co_applicants=[school.student.user])
    not_mine = file_case(other_person, subject="Асхана")
    client = client_for(school.student.user)
    page = client.get("/appeals/mine/").content.decode()
    assert mine.number in page and co_signed.number in page and not_mine.number not in page
    assert mine.due_on.strftime("%d.%m.%Y") in page and "Registered, awaiting triage" in page
    found = client.get("/appeals/mine/", {"q": "Жатақ"}).content.decode()
    assert mine.number in found and co_signed.number not in found


def test_my_applications_query_count_does_not_grow_with_rows(school, django_assert_max_num_queries):
    for _ in range(3):
        file_case(school.student.user)
    client = client_for(school.student.user)
    with django_assert_max_num_queries(12) as few:
        client.get("/appeals/mine/")
    for _ in range(12):
        file_case(school.student.user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/appeals/mine/")
    assert page.content.decode().count("/appeals/") >= 15


# The case page ---------------------------------------------------------------------------------------


def test_ap21_the_case_page_is_seen_by_its_people_only(school, case):
    """AP-21: applicant, co-applicant, handler, body member and dean see it; others get 403."""
    from appeals.models import BodyMember

    co_applicant = make_student(group=school.student.group).user
    case.co_applicants.add(co_applicant)
    workflow.route(school.dean, case, Body.DEANS_COUNCIL, [school.teacher])
    member = StaffProfileFactory.create().user
    BodyMember.objects.create(body=Body.DEANS_COUNCIL, institute=school.institute, user=member)
    colleague = StaffProfileFactory.create(department=school.student.group.programme.department).user
    RoleAssignmentFactory.create(user=colleague, role=Role.TEACHER)
    for user in (school.student.user, co_applicant, school.teacher, member, school.dean):
        assert client_for(user).get(_url(case)).status_code == 200
    for user in (make_student(group=school.student.group).user, make_school().dean, colleague):
        assert client_for(user).get(_url(case)).status_code == 403


def test_the_applicant_sees_the_record_and_the_public_timeline_only(school, case):
    workflow.route(school.dean, case, Body.DEANS_COUNCIL, [school.teacher])
    page = client_for(school.student.user).get(_url(case)).content.decode()
    assert case.number in page and TEXT in page and "Dean&#x27;s council" in page
    assert "Sent for consideration" in page and "Handler assigned" not in page  # internal step hidden
    assert 'id="step-route"' not in page and 'id="step-answer"' not in page
    staff_page = client_for(school.dean).get(_url(case)).content.decode()
    assert "Handler assigned" in staff_page and 'id="step-answer"' in staff_page


def test_case_page_query_count_does_not_grow_with_events_and_files(school, django_assert_max_num_queries):
    files = [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(2)]
    case = file_case(school.student.user, timezone.localtime(), files=files)
    workflow.route(school.dean, case, Body.DEANS_COUNCIL, [school.teacher])
    counts = []
    for user in (school.student.user, school.dean):
        client = client_for(user)
        with django_assert_max_num_queries(40) as before:
            client.get(_url(case))
        counts.append(len(before.captured_queries))
    for n in range(6):
        workflow.assign(school.dean, case, StaffProfileFactory.create(department=school.teacher.staff.department).user)
        workflow.extend_deadline(
            school.dean, case, rules.answer_due(case.registered_on) + timedelta(days=n + 1), f"Себеп {n}"
        )
    Attachment.objects.bulk_create(
        Attachment(
            application=case,
            file=case.attachments.all()[0].file.name,
            original_name=f"{n}.pdf",
            content_type="application/pdf",
            size=10,
        )
        for n in range(6)
    )
    for user, count in zip((school.student.user, school.dean), counts, strict=True):
        client = client_for(user)
        with django_assert_max_num_queries(count):
            assert client.get(_url(case)).status_code == 200


def test_ap06_the_page_warns_when_the_calendar_changed_after_registration_and_keeps_the_deadline(school, case):
    """AP-06: a decreed day off inside the period: the warning shows; the stored deadline does not move."""
    day_off = rules.answer_due(case.registered_on) - timedelta(days=1)
    while not rules.workdays.is_working_day(day_off):
        day_off -= timedelta(days=1)
    WorkdayOverride.objects.create(date=day_off, kind=WorkdayOverride.Kind.DAY_OFF, reason="decree")
    page = client_for(school.dean).get(_url(case)).content.decode()
    case.refresh_from_db()
    assert 'id="calendar-warning"' in page and case.due_on.strftime("%d.%m.%Y") in page
    assert rules.answer_due(case.registered_on) != case.due_on


def test_no_calendar_warning_when_nothing_changed(school, case):
    assert 'id="calendar-warning"' not in client_for(school.dean).get(_url(case)).content.decode()


# Steps from the case page ----------------------------------------------------------------------------


def test_ap09_the_dean_routes_and_assigns_from_the_case_page(school, case):
    client = client_for(school.dean)
    response = client.post(_url(case, "route"), {"body": Body.QUALITY_COMMISSION, "handlers": [school.teacher.pk]})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.body == Body.QUALITY_COMMISSION and case.status == Status.IN_REVIEW
    second = StaffProfileFactory.create(department=school.teacher.staff.department).user
    assert client.post(_url(case, "assign"), {"handler": second.pk}).status_code == 302
    assert set(case.handlers.all()) == {school.teacher, second}


def test_ap09_a_teacher_cannot_route_403_and_nothing_changes(school, case):
    response = client_for(school.teacher).post(
        _url(case, "route"), {"body": "deans_council", "handlers": [school.teacher.pk]}
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == Status.REGISTERED and not case.assignments.exists()


def test_ap06_an_extension_past_30_working_days_shows_the_error_and_keeps_the_input(school, case):
    latest = rules.latest_extension(case.registered_on)
    too_late = latest + timedelta(days=1)
    response = client_for(school.dean).post(
        _url(case, "extend"), {"new_due": too_late.isoformat(), "reason": "Комиссия жұмыс істеп жатыр"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and f"{latest:%d.%m.%Y} at the latest" in page
    assert "Комиссия жұмыс істеп жатыр" in page and too_late.isoformat() in page
    case.refresh_from_db()
    assert case.extended_to is None


def test_ap06_the_dean_extends_and_the_page_shows_the_new_deadline(school, case):
    latest = rules.latest_extension(case.registered_on)
    client = client_for(school.dean)
    client.post(_url(case, "extend"), {"new_due": latest.isoformat(), "reason": "Құжаттар күтілуде"})
    case.refresh_from_db()
    assert case.extended_to == latest
    page = client_for(school.student.user).get(_url(case)).content.decode()
    assert latest.strftime("%d.%m.%Y") in page and "Құжаттар күтілуде" in page and "Deadline extended" in page


def test_ap07_the_dean_returns_within_3_working_days(school, case):
    client = client_for(school.dean)
    assert 'id="step-return"' in client.get(_url(case)).content.decode()
    client.post(_url(case, "return"), {"explanation": "Мәні баяндалмаған"})
    case.refresh_from_db()
    assert case.status == Status.RETURNED
    assert "Мәні баяндалмаған" in client_for(school.student.user).get(_url(case)).content.decode()


def test_ap07_the_return_form_is_gone_after_3_working_days(school):
    old = file_case(school.student.user, timezone.localtime() - timedelta(days=10))
    assert 'id="step-return"' not in client_for(school.dean).get(_url(old)).content.decode()


def test_ap08_the_terminate_form_suggests_the_answered_earlier_application(school):
    earlier = file_case(school.student.user, timezone.localtime() - timedelta(days=40))
    workflow.route(school.dean, earlier, Body.DEANS_COUNCIL, [school.teacher])
    workflow.answer_case(school.teacher, earlier, Outcome.UPHELD, "Шешілді")
    repeat = file_case(school.student.user, timezone.localtime())
    client = client_for(school.dean)
    page = client.get(_url(repeat)).content.decode()
    assert f"{earlier.number} · " in page and "reads alike" in page
    client.post(_url(repeat, "terminate"), {"earlier": earlier.pk, "notice": "Жаңа дәлел жоқ"})
    repeat.refresh_from_db()
    assert repeat.status == Status.TERMINATED and repeat.earlier == earlier


def test_ap22_the_applicant_answers_the_intended_decision_on_the_case_page(school, case):
    workflow.route(school.dean, case, Body.DEANS_COUNCIL, [school.teacher])
    hearing = workflow.send_hearing(school.teacher, case, "Бас тарту көзделуде: негіздері")
    client = client_for(school.student.user)
    page = client.get(_url(case)).content.decode()
    assert 'id="hearing-answer"' in page and "Бас тарту көзделуде" in page
    response = client.post(
        f"/appeals/{case.pk}/hearings/{hearing.pk}/answer/",
        {"answer": "Келіспеймін", "file": SimpleUploadedFile("proof.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.answer == "Келіспеймін"
    page = client.get(_url(case)).content.decode()
    assert 'id="hearing-answer"' not in page and "Келіспеймін" in page and "proof.pdf" in page


def test_ap22_the_answer_form_refuses_a_refusal_without_a_hearing_and_keeps_the_text(school, case):
    workflow.route(school.dean, case, Body.DEANS_COUNCIL, [school.teacher])
    response = client_for(school.teacher).post(_url(case, "answer"), {"outcome": "refused", "text": "Негізсіз"})
    page = response.content.decode()
    assert response.status_code == 200 and "within 3 working days" in page and "Негізсіз" in page
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW


def test_ap15_the_handler_answers_and_records_delivery_and_the_applicant_gets_the_letter(school, case):
    workflow.route(school.dean, case, Body.DEANS_COUNCIL, [school.teacher])
    client = client_for(school.teacher)
    assert client.post(_url(case, "answer"), {"outcome": "upheld", "text": "Кесте өзгертілді"}).status_code == 302
    page = client.get(_url(case)).content.decode()
    assert 'id="step-deliver"' in page and "By corporate e-mail" not in page  # not for a student
    case.refresh_from_db()
    answered_on = case.answered_on.isoformat()  # the registration day if filed after 18:00 (AP-04)
    client.post(
        _url(case, "deliver"), {"method": "in_person", "delivered_on": answered_on, "reference": "қолы қойылды"}
    )
    assert case.deliveries.get().reference == "қолы қойылды"
    applicant = client_for(school.student.user)
    page = applicant.get(_url(case)).content.decode()
    assert "Кесте өзгертілді" in page and f"/appeals/{case.pk}/answer.pdf" in page
    letter = applicant.get(f"/appeals/{case.pk}/answer.pdf")
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert letter["X-Content-Type-Options"] == "nosniff"
    assert client_for(make_school().dean).get(f"/appeals/{case.pk}/answer.pdf").status_code == 403


# Files -----------------------------------------------------------------------------------------------


def test_ap21_attachments_are_served_to_the_case_people_with_nosniff(school):
    case = file_case(school.student.user, files=[SimpleUploadedFile("scan.pdf", PDF)])
    item = case.attachments.get()
    url = f"/appeals/{case.pk}/files/{item.pk}/"
    response = client_for(school.student.user).get(url)
    assert response.status_code == 200 and response.getvalue() == PDF
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert client_for(school.dean).get(url).status_code == 200
    assert client_for(make_student().user).get(url).status_code == 403
    assert client_for(school.student.user).get(f"/appeals/{case.pk}/files/{item.pk + 99}/").status_code == 404


# Other areas' steps ----------------------------------------------------------------------------------


def test_extra_actions_follow_the_case_state_and_the_viewer(school, case):
    """AP-10, AP-14, AP-18, AP-20: the case page links to the steps its state allows."""
    staff = [url for _, url in extra_actions(case, school.dean)]
    assert staff == [f"/appeals/{case.pk}/commission/", reverse("appeals:escalate", args=[case.pk])]
    assert extra_actions(case, school.student.user) == []  # open and not overdue: nothing to appeal yet
    workflow.return_without_consideration(school.dean, case, "Мәні жоқ", today=case.registered_on)
    case.refresh_from_db()
    assert [url for _, url in extra_actions(case, school.student.user)] == [
        reverse("appeals:higher_appeal", args=[case.pk])
    ]
    assert extra_actions(case, school.dean) == []


# The dashboard panel ---------------------------------------------------------------------------------


def test_my_applications_panel_on_the_student_board_shows_open_cases_with_deadlines(school):
    open_case = file_case(school.student.user, subject="Ашық іс")
    closed = file_case(school.student.user, subject="Жабық іс")
    workflow.return_without_consideration(school.dean, closed, "Мәні жоқ", today=closed.registered_on)
    page = client_for(school.student.user).get("/dashboard/student/").content.decode()
    panel = page[page.index('id="panel-my-applications"') :]
    panel = panel[: panel.index("</ul>")]
    assert open_case.number in panel and closed.number not in panel
    assert open_case.due_on.strftime("%d.%m.%Y") in page and "/appeals/file/" in page


def test_my_applications_panel_on_the_teacher_board(school):
    page = client_for(school.teacher).get("/dashboard/teacher/").content.decode()
    assert 'id="panel-my-applications"' in page and "You have no open applications" in page


def test_the_deadline_is_shown_overdue_in_the_list(school):
    old = file_case(school.student.user, timezone.localtime() - timedelta(days=60))
    page = client_for(school.student.user).get("/appeals/mine/").content.decode()
    assert old.number in page and "overdue" in page
    assert old.due_on < date.today()


def test_a_status_filter_shows_open_ones(school):
    open_case = file_case(school.student.user)
    closed = file_case(school.student.user)
    workflow.return_without_consideration(school.dean, closed, "Мәні жоқ", today=closed.registered_on)
    page = client_for(school.student.user).get("/appeals/mine/", {"status": "open"}).content.decode()
    assert open_case.number in page and closed.number not in page
    assert Event.objects.filter(application=closed, type=Event.Type.RETURNED).exists()


def test_ap17_the_timeline_names_bodies_and_outcomes_in_the_readers_language(school, case):
    """AP-17, PT-02: a dean working in Russian routes the case and the handler answers in English; the
    applicant reading in Kazakh sees the body and the outcome in Kazakh, a Russian reader in Russian."""
    from django.utils import translation

    with translation.override("ru"):
        workflow.route(school.dean, case, Body.DEANS_COUNCIL, [school.teacher])
    with translation.override("en"):
        workflow.answer_case(school.teacher, case, Outcome.UPHELD, "Кесте өзгертілді")
    routed = case.events.get(type=Event.Type.ROUTED)
    assert (routed.code, routed.note) == ("body:deans_council", "")
    with translation.override("kk"):
        kazakh = (str(Body.DEANS_COUNCIL.label), str(Outcome.UPHELD.label))
    with translation.override("ru"):
        russian = (str(Body.DEANS_COUNCIL.label), str(Outcome.UPHELD.label))
    assert kazakh != russian
    page = client_for(school.student.user, "kk").get(_url(case)).content.decode()
    timeline = page[page.index('id="case-timeline"') :]
    assert all(label in timeline for label in kazakh) and not any(label in timeline for label in russian)
    page = client_for(school.student.user, "ru").get(_url(case)).content.decode()
    assert all(label in page for label in russian)
