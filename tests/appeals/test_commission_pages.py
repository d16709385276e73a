"""The commission's pages (AP-10 to AP-13) with AP-21: who sees what, the forms, the query budgets."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from appeals.models import Commission, CommissionSeat, Decision, DocumentRequest, Recommendation, Status
from appeals.services import commission
from tests.appeals.commission_support import (
    ORDER_DAY,
    Seat,
    client_for,
    decide,
    head_of,
    make_commissioners,
    referred,
    tmp_media,  # noqa: F401 (a fixture)
)
from tests.appeals.factories import file_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tmp_media")]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def url(case, tail=""):
    return f"/appeals/{case.pk}/commission/{tail}"


def form_data(c, **change):
    data = {"order_number": "21-к", "order_date": "2026-11-18"}
    for role, user in c.student_seats():
        data[role] = user.id_code
    data.update(change)
    return data


def test_ap10_the_dean_forms_the_commission_on_its_page():
    c = make_commissioners()
    case = file_case(c.school.student.user)
    client = client_for(c.school.dean)
    page = client.get(url(case))
    assert page.status_code == 200 and 'id="form-commission"' in page.content.decode()
    assert c.people[Seat.PROGRAMME_COMMITTEE].id_code in page.content.decode()  # offered as a candidate
    response = client.post(url(case), form_data(c, invited=f"{c.people[Seat.INVITED].id_code}"))
    assert response.status_code == 302 and response["Location"] == url(case)
    case.refresh_from_db()
    assert case.status == Status.COMMISSION
    assert CommissionSeat.objects.filter(commission__application=case).count() == 7
    again = client.post(url(case), form_data(c, order_number="22-к"))  # sent twice: nothing changes
    assert again.status_code == 302 and Commission.objects.get(application=case).order_number == "21-к"


def test_ap10_a_missing_role_is_named_and_the_form_keeps_what_was_typed():
    c = make_commissioners()
    case = file_case(c.school.student.user)
    response = client_for(c.school.dean).post(url(case), form_data(c, lawyer="", student_dean=""))
    body = response.content.decode()
    assert response.status_code == 200
    assert "The commission must include: Student dean&#x27;s office, Lawyer." in body
    assert 'value="21-к"' in body and c.people[Seat.YOUTH_POLICY].id_code in body
    assert not Commission.objects.exists()
    response = client_for(c.school.dean).post(url(case), form_data(c, lawyer="NOBODY1"))
    assert "NOBODY1" in response.content.decode() and not Commission.objects.exists()


def test_ap21_only_the_commission_the_dean_and_handlers_open_the_page():
    c = make_commissioners()
    case = referred(c)
    assert client_for(c.people[Seat.LAWYER]).get(url(case)).status_code == 200
    for outsider in (c.school.student.user, c.people[Seat.INVITED], make_commissioners().school.dean):
        assert client_for(outsider).get(url(case)).status_code == 403
    unformed = file_case(c.school.student.user)
    assert client_for(c.people[Seat.LAWYER]).get(url(unformed)).status_code == 403
    assert client_for(c.school.teacher).post(url(unformed), form_data(c)).status_code == 403


def test_ap12_a_member_sees_the_decision_but_has_no_chairs_forms():
    c = make_commissioners()
    case = referred(c)
    member = client_for(c.people[Seat.LAWYER])
    body = member.get(url(case)).content.decode()
    assert "commission_decide" not in body and f"{url(case)}decision/" not in body
    assert member.post(url(case, "decision/"), {"facts": "not_confirmed", "reasoning": "x"}).status_code == 403
    assert member.post(url(case, "requests/"), {"what": "x"}).status_code == 403
    decide(c, case)
    body = member.get(url(case)).content.decode()
    assert 'id="finding"' in body and url(case, "protocol.pdf") in body
    pdf = member.get(url(case, "protocol.pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert client_for(c.school.student.user).get(url(case, "protocol.pdf")).status_code == 403


def test_ap12_the_chair_decides_on_the_page_and_an_error_keeps_the_text():
    c = make_commissioners()
    case = referred(c)
    client = client_for(c.school.dean)
    seats = list(CommissionSeat.objects.filter(commission__application=case).values_list("pk", flat=True))
    data = {
        "facts": "confirmed",
        "reasoning": "Хабарланбаған.",
        "measures": "",
        "present": seats,
        "decided_on": "2026-11-20",
    }
    response = client.post(url(case, "decision/"), data)
    assert response.status_code == 200 and "Хабарланбаған." in response.content.decode()
    assert "record the measures" in response.content.decode()
    assert not Decision.objects.exists()
    response = client.post(url(case, "decision/"), {**data, "measures": "Ескерту."})
    assert response.status_code == 302
    assert Decision.objects.get(application=case).protocol is not None


def test_ap12_ap22_the_hearing_and_the_answer_are_offered_from_the_page():
    c = make_commissioners()
    case = referred(c)
    decide(c, case, facts=Decision.Facts.NOT_CONFIRMED)
    client = client_for(c.school.dean)
    body = client.get(url(case)).content.decode()
    assert 'id="hearing-form"' in body and 'id="answer-form"' not in body
    response = client.post(url(case, "hearing/"), {"intended": "Фактілер расталмады."})
    assert response.status_code == 302
    body = client.get(url(case)).content.decode()
    assert 'id="hearing"' in body and 'id="answer-form"' not in body
    response = client.post(url(case, "answer/"), {"text": "Бас тартылды."})
    assert "intended decision" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.COMMISSION


def test_ap12_confirmed_facts_are_answered_from_the_page():
    c = make_commissioners()
    case = referred(c)
    decide(c, case)
    client = client_for(c.school.dean)
    body = client.get(url(case)).content.decode()
    assert 'id="answer-form"' in body and 'id="hearing-form"' not in body
    assert client.post(url(case, "answer/"), {"text": "Қанағаттандырылды."}).status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Status.ANSWERED, "upheld")


def test_ap11_ap13_the_page_highlights_overdue_requests_and_recommendations(django_assert_max_num_queries):
    """AP-11, AP-13: overdue requests are highlighted while the commission sits; the page costs the same
    number of queries with 3 or 30 rows."""
    c = make_commissioners()
    case = referred(c)
    today = timezone.localdate()

    def add_rows(n):
        for i in range(n):
            DocumentRequest.objects.create(
                application=case,
                department=c.department,
                what=f"Құжат {i}",
                due_on=today - timedelta(days=1 + i % 2),
                requested_by=c.school.dean,
            )
            Recommendation.objects.create(
                application=case, text=f"Ұсыныс {i}", responsible=c.school.teacher, due_on=today + timedelta(days=5)
            )

    client = client_for(c.school.dean)
    add_rows(3)
    client.get(url(case))
    with django_assert_max_num_queries(30) as small:
        client.get(url(case))
    add_rows(27)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url(case))
    body = page.content.decode()
    assert body.count('class="table-danger"') == 30


def test_ap13_overdue_recommendations_are_listed_after_the_decision_and_all_done_shows():
    c = make_commissioners()
    case = referred(c)
    late = commission.add_recommendation(
        c.school.dean, case, "Кешіккен", c.school.teacher, date(2026, 11, 20), ORDER_DAY
    )
    decide(c, case)
    client = client_for(c.school.dean)
    body = client.get(url(case)).content.decode()
    assert 'id="recommendations-overdue"' in body and f'id="recommendation-{late.pk}"' in body
    commission.complete_recommendation(c.school.teacher, late, "Орындалды")
    body = client.get(url(case)).content.decode()
    assert 'id="all-done"' in body and 'id="recommendations-overdue"' not in body


def test_ap11_the_head_lists_and_answers_requests(django_assert_max_num_queries):
    c = make_commissioners()
    case = referred(c)
    head = head_of(c.department)
    request = commission.request_documents(c.school.dean, case, c.department, "Кесте", today=ORDER_DAY)
    client = client_for(head)
    for i in range(25):
        DocumentRequest.objects.create(
            application=case, department=c.department, what=f"Тағы {i}", due_on=ORDER_DAY, requested_by=c.school.dean
        )
    with django_assert_max_num_queries(12):
        listing = client.get("/appeals/commission/requests/")
    assert listing.status_code == 200 and listing.content.decode().count("table-danger") == 20
    assert "Кесте" in client.get("/appeals/commission/requests/?q=Кесте").content.decode()
    page = client.get(f"/appeals/commission/requests/{request.pk}/")
    assert page.status_code == 200 and 'id="answer-form"' in page.content.decode()
    assert case.subject not in page.content.decode()  # the head sees the request, not the case
    response = client.post(
        f"/appeals/commission/requests/{request.pk}/",
        {"note": "Қоса беріледі.", "file": SimpleUploadedFile("кесте.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.answered_at is not None and request.attachment is not None
    download = client_for(c.school.dean).get(f"/appeals/commission/requests/{request.pk}/document/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert (
        client_for(c.school.student.user).get(f"/appeals/commission/requests/{request.pk}/document/").status_code == 403
    )


def test_ap11_others_cannot_open_or_answer_a_request():
    c = make_commissioners()
    case = referred(c)
    request = commission.request_documents(c.school.dean, case, c.department, "Кесте", today=ORDER_DAY)
    other = client_for(head_of())
    assert other.get(f"/appeals/commission/requests/{request.pk}/").status_code == 403
    assert other.post(f"/appeals/commission/requests/{request.pk}/", {"note": "x"}).status_code == 403
    assert client_for(c.school.teacher).get("/appeals/commission/requests/").status_code == 403
    # The commission sees the request but does not answer for the department.
    assert (
        client_for(c.school.dean).post(f"/appeals/commission/requests/{request.pk}/", {"note": "x"}).status_code == 403
    )
    request.refresh_from_db()
    assert request.answered_at is None


def test_ap13_the_responsible_lists_and_reports_recommendations(django_assert_max_num_queries):
    c = make_commissioners()
    case = referred(c)
    rec = commission.add_recommendation(
        c.school.dean, case, "Хабарлау", c.school.teacher, date(2026, 12, 15), ORDER_DAY
    )
    client = client_for(c.school.teacher)
    assert client.get(f"/appeals/commission/recommendations/{rec.pk}/").status_code == 403  # a draft
    decide(c, case)
    for i in range(25):
        Recommendation.objects.create(
            application=case, text=f"Тағы {i}", responsible=c.school.teacher, due_on=ORDER_DAY
        )
    with django_assert_max_num_queries(10):
        listing = client.get("/appeals/commission/recommendations/")
    assert listing.status_code == 200 and listing.content.decode().count("table-danger") == 20
    page = client.get(f"/appeals/commission/recommendations/{rec.pk}/")
    assert 'id="completion-form"' in page.content.decode() and case.subject not in page.content.decode()
    assert client.post(f"/appeals/commission/recommendations/{rec.pk}/", {"note": "Орындалды."}).status_code == 302
    rec.refresh_from_db()
    assert rec.completion_note == "Орындалды."
    assert (
        client_for(c.school.dean).post(f"/appeals/commission/recommendations/{rec.pk}/", {"note": "x"}).status_code
        == 403
    )
    assert client_for(c.people[Seat.INVITED]).get(f"/appeals/commission/recommendations/{rec.pk}/").status_code == 403


def test_ap10_the_chair_invites_and_removes_a_member_on_the_page():
    c = make_commissioners()
    case = referred(c)
    client = client_for(c.school.dean)
    invited = c.people[Seat.INVITED]
    assert client.post(url(case, "invite/"), {"role": Seat.INVITED, "member": invited.id_code}).status_code == 302
    seat = CommissionSeat.objects.get(commission__application=case, user=invited)
    assert client.post(url(case, f"seats/{seat.pk}/remove/")).status_code == 302
    assert not CommissionSeat.objects.filter(pk=seat.pk).exists()
    lawyer = CommissionSeat.objects.get(commission__application=case, role=Seat.LAWYER)
    response = client.post(url(case, f"seats/{lawyer.pk}/remove/"), follow=True)
    assert "must include: Lawyer" in response.content.decode()
    assert (
        client_for(c.people[Seat.LAWYER])
        .post(url(case, "invite/"), {"role": "invited", "member": invited.id_code})
        .status_code
        == 403
    )
