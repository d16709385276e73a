"""Appeals in Chromium, in Kazakh (issue 5), after the case is filed: the dean refers a complaint to an
expanded commission with the required seats and records its decision, whose protocol PDF carries it
(AP-10, AP-12); the handler gives the answer and records its delivery in person against signature, and
the student sees the answer, the timeline and downloads the answer letter (AP-15, AP-21); the dean's
statistics count the cases made for the period (AP-18)."""

from datetime import date

import pytest
from django.utils import timezone

from appeals.models import Body, CommissionSeat, Decision, Delivery, Event, Outcome, Status
from appeals.services import commission, workflow
from tests.appeals.commission_support import make_commissioners
from tests.appeals.factories import at, file_case, make_school
from tests.e2e.appeals_support import dmy, download, file_yesterday
from tests.e2e.helpers import kk, sign_in, text_of
from tests.pdf import pdf_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REASONING = "Кесте топқа хабарланбаған; деканат хатшысы хабарламаны жібермеген."
MEASURES = "Деканат хатшысына ескерту жасалсын."
ANSWER = "Шағымыңыз қанағаттандырылды: емтихан кестесі топқа қайта хабарланады."
SIGNATURE = "Қолхат № 7, Ахметова А."


@pytest.fixture
def tmp_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_dean_refers_to_expanded_commission_and_records_the_decision(live_server, page, artifacts, tmp_media):
    """AP-10, AP-12: the commission is formed by the dean's order with every seat a student's case needs;
    the decision (facts confirmed, measures) is recorded and the protocol PDF carries it."""
    c = make_commissioners()
    case = file_yesterday(c.school.student.user)
    required = commission.required_roles("student")
    base = live_server.url
    page.set_default_timeout(10_000)

    sign_in(page, base, c.school.dean.id_code)
    page.goto(f"{base}/appeals/{case.pk}/")
    page.locator("#case-extra-actions").get_by_role("link", name=kk("Expanded commission")).click()
    page.wait_for_url(f"{base}/appeals/{case.pk}/commission/")
    form = page.locator("#form-commission")
    assert kk("Refer the case to an expanded commission") in text_of(page, "#form-commission")
    for role in required:
        assert kk(CommissionSeat.Role(role).label) in text_of(page, "#form-commission")
    form.locator("input[name=order_number]").fill("15-к")
    for role in required:
        form.locator(f"input[name={role}]").fill(c.people[role].id_code)
    page.screenshot(path=str(artifacts / "60-appeals-commission-forming-kk.png"), full_page=True)
    form.get_by_role("button", name=kk("Form the commission")).click()
    page.wait_for_url(f"{base}/appeals/{case.pk}/commission/")
    assert kk("The expanded commission is formed; its members are told.") in text_of(page, "body")
    case.refresh_from_db()
    assert case.status == Status.COMMISSION
    seats = CommissionSeat.objects.filter(commission__application=case)
    assert set(seats.values_list("role", flat=True)) == {CommissionSeat.Role.CHAIR, *required}
    members = text_of(page, "main")
    for role in required:
        assert c.people[role].full_name in members

    # The decision: facts confirmed, measures, every member present.
    decision = page.locator("#decision")
    decision.locator("input[name=facts][value=confirmed]").check()
    decision.locator("textarea[name=reasoning]").fill(REASONING)
    decision.locator("textarea[name=measures]").fill(MEASURES)
    decision.get_by_role("button", name=kk("Record the decision and issue the protocol")).click()
    page.wait_for_url(f"{base}/appeals/{case.pk}/commission/#decision")
    assert kk("The decision is recorded and its protocol issued.") in text_of(page, "body")
    assert page.inner_text("#finding").strip() == kk(Decision.Facts.CONFIRMED.label)
    assert REASONING in text_of(page, "#decision") and MEASURES in text_of(page, "#decision")
    recorded = Decision.objects.get(application=case)
    assert (recorded.facts, recorded.measures, recorded.present.count()) == (
        Decision.Facts.CONFIRMED,
        MEASURES,
        seats.count(),
    )
    page.screenshot(path=str(artifacts / "61-appeals-commission-decision-kk.png"), full_page=True)

    # The protocol PDF opens and carries the case, the finding and the measures.
    link = page.locator("#decision").get_by_role("link", name=kk("Protocol (PDF)"))
    href = link.get_attribute("href")
    assert href == f"/appeals/{case.pk}/commission/protocol.pdf"
    text = pdf_text(download(page, base + href), collapse=True)
    assert case.number in text
    assert "15-к" in text
    assert " ".join(REASONING.split()) in text and MEASURES in text
    for role in required:
        assert c.people[role].last_name in text


def test_answer_is_given_delivered_and_seen_by_the_student(live_server, page, artifacts, tmp_media):
    """AP-15, AP-21: the handler answers (upheld), records the delivery in person (without the signature
    reference first: refused), and the student sees the answer, the delivery, the timeline and the letter."""
    school = make_school()
    student, handler = school.student.user, school.teacher
    case = file_yesterday(student)
    workflow.route(school.dean, case, Body.DEANS_COUNCIL, [handler])
    today = timezone.localdate()
    base = live_server.url
    page.set_default_timeout(10_000)

    sign_in(page, base, handler.id_code)
    page.goto(f"{base}/appeals/{case.pk}/")
    answer = page.locator("#step-answer")
    answer.locator("select[name=outcome]").select_option(Outcome.UPHELD.value)
    answer.locator("textarea[name=text]").fill(ANSWER)
    answer.get_by_role("button", name=kk("Give the answer")).click()
    page.wait_for_url(f"{base}/appeals/{case.pk}/")
    assert kk("The answer is given; the applicant is told and the letter is stored.") in text_of(page, "body")
    case.refresh_from_db()
    assert (case.status, case.outcome, case.answered_on) == (Status.ANSWERED, Outcome.UPHELD, today)

    # In person without the signature reference: refused in Kazakh.
    deliver = page.locator("#step-deliver")
    deliver.locator("select[name=method]").select_option(Delivery.Method.IN_PERSON.value)
    deliver.get_by_role("button", name=kk("Record")).click()
    page.wait_for_load_state()
    assert kk("Record the signature or the postal receipt number.") in text_of(page, "#step-deliver")
    assert not case.deliveries.exists()
    page.screenshot(path=str(artifacts / "62-appeals-delivery-refused-kk.png"), full_page=True)
    deliver = page.locator("#step-deliver")
    assert deliver.locator("input[name=delivered_on]").input_value() == today.isoformat()
    deliver.locator("select[name=method]").select_option(Delivery.Method.IN_PERSON.value)
    deliver.locator("input[name=reference]").fill(SIGNATURE)
    deliver.get_by_role("button", name=kk("Record")).click()
    page.wait_for_url(f"{base}/appeals/{case.pk}/")
    assert kk("The delivery is recorded.") in text_of(page, "body")
    delivery = case.deliveries.get()
    assert (delivery.method, delivery.delivered_on, delivery.reference) == (
        Delivery.Method.IN_PERSON,
        today,
        SIGNATURE,
    )

    # The student sees the answer, its delivery, the timeline, and downloads the letter.
    page.context.clear_cookies()
    sign_in(page, base, student.id_code)
    page.goto(f"{base}/appeals/{case.pk}/")
    answered = text_of(page, "#case-answer")
    assert kk(Outcome.UPHELD.label) in answered and ANSWER in answered
    assert f"{dmy(today)}: {kk(Delivery.Method.IN_PERSON.label)} ({SIGNATURE})" in answered
    assert page.inner_text("#case-status").strip() == kk(Status.ANSWERED.label)
    timeline = text_of(page, "#case-timeline")
    for step in (Event.Type.REGISTERED, Event.Type.ROUTED, Event.Type.ANSWERED, Event.Type.DELIVERED):
        assert kk(step.label) in timeline, step
    page.screenshot(path=str(artifacts / "63-appeals-student-answer-kk.png"), full_page=True)
    href = page.locator("#answer-letter").get_attribute("href")
    assert href == f"/appeals/{case.pk}/answer.pdf"
    letter = pdf_text(download(page, base + href), collapse=True)
    assert case.number in letter
    assert " ".join(ANSWER.split()) in letter


def test_dean_statistics_count_the_cases(live_server, page, artifacts, tmp_media):
    """AP-18: four complaints registered in October 2026, one answered on time, one late, two still open
    and overdue; a case of November is outside the period."""
    school = make_school()
    student, dean = school.student.user, school.dean
    late = file_case(student, when=at(2026, 10, 1), subject="Жатақхана")
    on_time = file_case(student, when=at(2026, 10, 5), subject="Стипендия")
    file_case(student, when=at(2026, 10, 12), subject="Кітапхана")
    file_case(student, when=at(2026, 10, 19), subject="Сабақ кестесі")
    file_case(student, when=at(2026, 11, 3), subject="Қараша")
    for case in (late, on_time):
        workflow.route(dean, case, Body.DEANS_COUNCIL, [school.teacher])
    workflow.answer_case(dean, on_time, Outcome.UPHELD, "Қанағаттандырылды.", today=date(2026, 10, 15))
    late.refresh_from_db()
    workflow.answer_case(dean, late, Outcome.UPHELD, "Қанағаттандырылды.")
    base = live_server.url
    page.set_default_timeout(10_000)

    sign_in(page, base, dean.id_code)
    page.goto(f"{base}/appeals/statistics/?start=2026-10-01&end=2026-10-31")
    assert page.locator("h1").inner_text() == kk("Statistics of applications")
    figures = {
        name: page.inner_text(f"#figure-{name}").strip() for name in ("total", "answered", "on-time", "open", "overdue")
    }
    assert figures == {"total": "4", "answered": "2", "on-time": "50,0%", "open": "2", "overdue": "2"}
    assert "01.10.2026 – 31.10.2026" in text_of(page, "#statistics-scope")
    timeliness = text_of(page, "#timeliness")
    assert f"{kk('On time')}: 1" in timeliness and f"{kk('Late')}: 1" in timeliness
    page.screenshot(path=str(artifacts / "64-appeals-statistics-kk.png"), full_page=True)
