"""Appeals in Chromium, in Kazakh (issue 5): a student files a complaint with a PDF (too short a text is
refused first, what was typed kept), sees its number and its due date 15 working days on and finds it
under "My applications"; the dean sees it on the triage page among seeded overdue and due-soon cases,
routes it to a body with a handler and extends the deadline (past the 30 working days first: refused),
and the student sees the extension on the case's timeline (AP-01, AP-06, AP-09, AP-21)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from appeals import rules
from appeals.models import Application, Attachment, Body, Event, Kind, Status
from portal import workdays
from tests.appeals.factories import at, file_case, make_school
from tests.e2e.appeals_support import dmy, file_now, pdf_bytes
from tests.e2e.helpers import kk, sign_in, text_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SUBJECT = "Емтихан кестесі хабарланбады"
TEXT = "Емтихан кестесі өзгертілді, бірақ топқа ешкім хабарламады. Кестені қайта қарауды сұраймын."
REASON = "Кафедрадан құжаттар сұралды, жауап күтілуде."


@pytest.fixture
def tmp_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_student_files_a_complaint_with_a_pdf(live_server, page, artifacts, tmp_media, tmp_path):
    """AP-01: the form refuses too short a text in Kazakh and keeps what was typed; the complaint is
    registered with its number and a due date 15 working days after registration, and is listed."""
    school = make_school()
    student = school.student.user
    scan = tmp_path / "kesteni-skany.pdf"
    scan.write_bytes(pdf_bytes())
    base = live_server.url

    page.set_default_timeout(10_000)
    sign_in(page, base, student.id_code)
    page.goto(f"{base}/appeals/file/")
    assert page.locator("h1").inner_text() == kk("File an application")
    form = page.locator("#filing-form")
    form.get_by_label(kk(Kind.COMPLAINT.label), exact=True).check()
    form.locator("#id_subject").fill(SUBJECT)
    form.locator("#id_text").fill("Кесте жоқ.")
    form.locator("input[type=file][name=attachments]").set_input_files(str(scan))
    form.get_by_role("button", name=kk("File the application")).click()
    page.wait_for_load_state()

    # 1. Too short: the Kazakh error, the typed text and subject kept, nothing registered.
    assert kk("State the substance of the application: at least %(n)d characters.", n=rules.MIN_TEXT_CHARS) in (
        text_of(page, "#filing-form")
    )
    assert kk("The application is not filed yet: correct the marked fields.") in text_of(page, "#filing-errors")
    assert form.locator("#id_subject").input_value() == SUBJECT
    assert form.locator("#id_text").input_value() == "Кесте жоқ."
    assert form.get_by_label(kk(Kind.COMPLAINT.label), exact=True).is_checked()
    assert kk("For your security the browser does not keep chosen files: choose them again.") in text_of(page)
    page.screenshot(path=str(artifacts / "50-appeals-filing-too-short-kk.png"), full_page=True)
    assert not Application.objects.exists()

    # 2. The substance stated, the PDF chosen again: registered.
    form.locator("#id_text").fill(TEXT)
    form.locator("input[type=file][name=attachments]").set_input_files(str(scan))
    form.get_by_role("button", name=kk("File the application")).click()
    page.wait_for_url(f"{base}/appeals/*/")
    case = Application.objects.get()
    assert page.url == f"{base}/appeals/{case.pk}/"
    assert (case.kind, case.subject, case.text, case.status) == (Kind.COMPLAINT, SUBJECT, TEXT, Status.REGISTERED)
    registered = rules.registration_day(timezone.localtime())
    assert case.registered_on == registered
    assert case.due_on == rules.answer_due(registered)
    assert workdays.working_days_between(registered, case.due_on) == rules.ANSWER_DAYS
    notice = kk(
        "Your application is registered: No. %(number)s of %(date)s. The answer is due by %(due)s.",
        number=case.number,
        date=dmy(case.registered_on),
        due=dmy(case.due_on),
    )
    assert notice in text_of(page, "body")
    heading = page.locator("h1").inner_text()
    assert case.number in heading and kk(Kind.COMPLAINT.label) in heading
    assert dmy(case.due_on) in text_of(page, "#case-record")
    evidence = Attachment.objects.get(application=case)
    assert evidence.original_name == scan.name and evidence.content_type == "application/pdf"
    assert scan.name in text_of(page, "main")
    page.screenshot(path=str(artifacts / "51-appeals-filed-kk.png"), full_page=True)

    # 3. "My applications": the complaint with its number and due date.
    page.goto(f"{base}/appeals/mine/")
    row = page.locator("table tbody tr", has_text=case.number)
    assert row.count() == 1
    cells = text_of(page, "table")
    assert SUBJECT in cells and dmy(case.due_on) in cells
    page.screenshot(path=str(artifacts / "52-appeals-mine-kk.png"), full_page=True)


def _due_soon_registration() -> date:
    """A registration day whose 15-working-day deadline is 1 to 3 working days from today."""
    today = timezone.localdate()
    day = today
    while True:
        day -= timedelta(days=1)
        due = rules.answer_due(day)
        if due < today:
            raise AssertionError("no registration day gives a deadline due soon")
        if workdays.is_working_day(day) and 1 <= workdays.working_days_between(today, due) <= 2:
            return day


def test_dean_triages_routes_and_extends(live_server, page, artifacts, tmp_media):
    """AP-09, AP-06: the triage page lists the case by deadline among an overdue and a due-soon one,
    marked; the dean routes it with a handler, refuses himself an extension past 30 working days and
    extends it with a reason; the student sees the extension on the timeline."""
    school = make_school()
    student = school.student.user
    today = timezone.localdate()
    old = file_case(student, when=at(2026, 9, 15), subject="Жатақхана кезегі")
    soon_day = _due_soon_registration()
    soon = file_case(student, when=at(soon_day.year, soon_day.month, soon_day.day), subject="Стипендия төлемі")
    case = file_now(student, subject=SUBJECT, text=TEXT)
    assert old.deadline < today < soon.deadline < case.deadline
    base = live_server.url

    page.set_default_timeout(10_000)
    sign_in(page, base, school.dean.id_code)
    page.goto(f"{base}/appeals/triage/")
    assert page.locator("h1").inner_text() == kk("Applications to consider")
    assert [page.inner_text(f"#count-{name}").strip() for name in ("open", "overdue", "due-soon")] == ["3", "1", "1"]
    rows = page.locator("#triage tbody tr")
    assert [rows.nth(i).get_attribute("data-number") for i in range(3)] == [old.number, soon.number, case.number]
    assert "table-danger" in (rows.nth(0).get_attribute("class") or "")
    assert "table-warning" in (rows.nth(1).get_attribute("class") or "")
    assert (rows.nth(2).get_attribute("class") or "").strip() == ""
    assert dmy(case.due_on) in rows.nth(2).inner_text()
    page.screenshot(path=str(artifacts / "53-appeals-triage-kk.png"), full_page=True)

    # Route it to the programme committee with the teacher as handler.
    rows.nth(2).get_by_role("link", name=case.number).click()
    page.wait_for_url(f"{base}/appeals/{case.pk}/")
    route = page.locator("#step-route")
    route.locator("select[name=body]").select_option(Body.PROGRAMME_COMMITTEE.value)
    route.locator("select[name=handlers]").select_option(str(school.teacher.pk))
    route.get_by_role("button", name=kk("Send")).click()
    page.wait_for_url(f"{base}/appeals/{case.pk}/")
    assert kk("The application is sent for consideration.") in text_of(page, "body")
    case.refresh_from_db()
    assert (case.status, case.body) == (Status.IN_REVIEW, Body.PROGRAMME_COMMITTEE)
    assert list(case.assignments.values_list("user_id", flat=True)) == [school.teacher.pk]

    # Extend past the 30 working days: refused in Kazakh, the reason kept.
    latest = rules.latest_extension(case.registered_on)
    extend = page.locator("#step-extend")
    extend.locator("input[name=new_due]").fill((latest + timedelta(days=1)).isoformat())
    extend.locator("textarea[name=reason]").fill(REASON)
    extend.get_by_role("button", name=kk("Extend")).click()
    page.wait_for_load_state()
    refusal = kk(
        "The answer can be put off to %(date)s at the latest: 30 working days from registration.", date=dmy(latest)
    )
    assert refusal in text_of(page, "#step-extend")
    assert kk("The step was not taken: see the form below.") in text_of(page, "body")
    assert page.locator("#step-extend textarea[name=reason]").input_value() == REASON
    page.screenshot(path=str(artifacts / "54-appeals-extend-refused-kk.png"), full_page=True)
    case.refresh_from_db()
    assert case.extended_to is None

    # A valid date: extended.
    extend = page.locator("#step-extend")
    extend.locator("input[name=new_due]").fill(latest.isoformat())
    extend.get_by_role("button", name=kk("Extend")).click()
    page.wait_for_url(f"{base}/appeals/{case.pk}/")
    assert kk("The deadline is extended; the applicant is told.") in text_of(page, "body")
    case.refresh_from_db()
    assert (case.extended_to, case.extension_reason) == (latest, REASON)
    page.screenshot(path=str(artifacts / "55-appeals-extended-kk.png"), full_page=True)

    # The student sees the extension on the timeline.
    page.context.clear_cookies()
    sign_in(page, base, student.id_code)
    page.goto(f"{base}/appeals/{case.pk}/")
    timeline = text_of(page, "#case-timeline")
    assert kk(Event.Type.EXTENDED.label) in timeline
    assert f"{dmy(latest)}: {REASON}" in timeline
    assert dmy(latest) in text_of(page, "#case-record")
    page.screenshot(path=str(artifacts / "56-appeals-student-sees-extension-kk.png"), full_page=True)
