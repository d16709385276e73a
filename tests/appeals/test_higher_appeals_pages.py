"""The appeal-to-a-higher-official page (AP-14) and the official's board."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from appeals import rules
from appeals.models import Application, Body, Delivery, Kind, Outcome
from appeals.services import workflow
from portal.models import Role
from tests.academics.factories import make_staff
from tests.appeals.factories import at, file_case, make_school
from tests.appeals.grades_support import client_for

pytestmark = pytest.mark.django_db
TEXT = "Деканның жауабымен келіспеймін: кесте өзгергені туралы топқа хабарланбаған, дәлелдері қоса беріледі."


def delivered_case(school, delivered_months_ago):
    """A complaint answered by the dean and delivered `delivered_months_ago` months (and a day) before today."""
    case = file_case(school.student.user, at(2026, 1, 13))
    workflow.route(school.dean, case, Body.DEANS_COUNCIL, [school.dean])
    workflow.answer_case(school.dean, case, Outcome.EXPLAINED, "Кесте сайтта жарияланды.")
    delivered = rules.add_months(timezone.localdate(), -delivered_months_ago) - timedelta(days=1)
    Delivery.objects.create(application=case, method=Delivery.Method.IN_PERSON, delivered_on=delivered)
    return case


def url(case):
    return reverse("appeals:higher_appeal", args=[case.pk])


def test_ap14_the_applicant_appeals_in_time_to_the_vice_rector():
    school = make_school()
    vice_rector = make_staff(Role.VICE_RECTOR_SOCIAL)
    case = delivered_case(school, 1)
    client = client_for(school.student.user)
    page = client.get(url(case)).content.decode()
    assert 'id="higher-appeal-form"' in page and 'id="late"' not in page and vice_rector.full_name in page
    assert 'name="delay_reason"' not in page  # asked for only once the 3 months have passed
    response = client.post(url(case), {"text": TEXT})
    assert response.status_code == 302
    appeal = Application.objects.get(kind=Kind.HIGHER_APPEAL)
    assert appeal.appealed == case and list(appeal.handlers.all()) == [vice_rector]
    page = client.get(url(case)).content.decode()
    assert 'id="pending"' in page and appeal.number in page


def test_ap14_a_late_appeal_asks_for_the_reason_and_the_official_sees_it():
    """AP-14: delivered more than 3 months ago: accepted only with the reason for the delay, which is shown on the
    official's board."""
    school = make_school()
    vice_rector = make_staff(Role.VICE_RECTOR_SOCIAL)
    case = delivered_case(school, 3)
    client = client_for(school.student.user)
    page = client.get(url(case)).content.decode()
    assert 'id="late"' in page and 'name="delay_reason"' in page
    response = client.post(url(case), {"text": TEXT})
    assert response.status_code == 200 and not Application.objects.filter(kind=Kind.HIGHER_APPEAL).exists()
    response = client.post(url(case), {"text": TEXT, "delay_reason": "Ауруханада жатқан едім."})
    assert response.status_code == 302
    board = client_for(vice_rector).get(reverse("dashboard", args=["leadership"])).content.decode()
    assert 'id="panel-higher-appeals"' in board and "Ауруханада жатқан едім." in board
    appeal = Application.objects.get(kind=Kind.HIGHER_APPEAL)
    block = render_to_string("appeals/grades/includes/case_grade_appeal.html", {"application": appeal})
    assert 'id="higher-appeal-basis"' in block and case.number in block and "Ауруханада жатқан едім." in block


def test_ap14_an_open_case_within_its_deadline_has_nothing_to_appeal():
    school = make_school()
    case = file_case(school.student.user, timezone.localtime())
    client = client_for(school.student.user)
    page = client.get(url(case)).content.decode()
    assert 'id="nothing-to-appeal"' in page and 'id="higher-appeal-form"' not in page
    assert client.post(url(case), {"text": TEXT}).status_code == 200
    assert not Application.objects.filter(kind=Kind.HIGHER_APPEAL).exists()


def test_ap14_only_the_applicant_opens_the_page():
    school = make_school()
    case = delivered_case(school, 1)
    for person in (school.dean, school.teacher, make_school().student.user):
        client = client_for(person)
        assert client.get(url(case)).status_code == 403
        assert client.post(url(case), {"text": TEXT}).status_code == 403
    assert not Application.objects.filter(kind=Kind.HIGHER_APPEAL).exists()
