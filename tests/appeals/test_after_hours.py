"""AP-04, AP-06: a case received after 18:00 is registered on the next working day. Whatever the dean does
that same evening is dated on the registration day, so no act on a case precedes its registration."""

from datetime import date

import pytest
from django.utils import translation

from appeals import rules
from appeals.errors import AppealError
from appeals.models import Body, Commission, Delivery, Outcome, Status
from appeals.services import commission, workflow
from tests.appeals.commission_support import make_commissioners
from tests.appeals.factories import at, file_case, make_school

pytestmark = pytest.mark.django_db
EVENING, REGISTERED = date(2026, 11, 23), date(2026, 11, 24)  # Monday 19:00 -> Tuesday


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    translation.activate("en")


@pytest.fixture
def school():
    return make_school("IT")


@pytest.fixture
def evening_case(school):
    case = file_case(school.student.user, when=at(2026, 11, 23, 19, 0))
    assert case.registered_on == REGISTERED
    return case


def test_ap04_act_day_is_never_before_registration():
    """AP-04: the act's date is the later of today and the registration day."""
    assert rules.act_day(REGISTERED, EVENING) == REGISTERED
    assert rules.act_day(REGISTERED, date(2026, 11, 26)) == date(2026, 11, 26)
    assert rules.act_day(REGISTERED, REGISTERED) == REGISTERED


def test_ap04_an_answer_given_the_evening_a_case_arrives_is_dated_on_its_registration_day(school, evening_case):
    """AP-04, AP-15: answered on Monday evening, the case registered on Tuesday: the answer bears Tuesday,
    the letter too, and the delivery may be recorded that evening with Tuesday's date (not Wednesday's)."""
    workflow.route(school.dean, evening_case, Body.DEANS_COUNCIL, [school.teacher])
    answered = workflow.answer_case(school.teacher, evening_case, Outcome.UPHELD, "Кесте өзгертілді.", today=EVENING)
    answered.refresh_from_db()
    assert answered.answered_on == REGISTERED >= answered.registered_on
    with pytest.raises(AppealError, match="future"):
        workflow.record_delivery(school.teacher, answered, Delivery.Method.PORTAL, date(2026, 11, 25), today=EVENING)
    delivery = workflow.record_delivery(school.teacher, answered, Delivery.Method.PORTAL, REGISTERED, today=EVENING)
    assert delivery.delivered_on == REGISTERED


def test_ap07_a_return_the_same_evening_is_dated_on_the_registration_day(school, evening_case):
    """AP-07: returned at once, the return bears the registration day."""
    returned = workflow.return_without_consideration(school.dean, evening_case, "Мәні жазылмаған", today=EVENING)
    returned.refresh_from_db()
    assert (returned.status, returned.answered_on) == (Status.RETURNED, REGISTERED)


def test_ap22_a_hearing_the_same_evening_counts_its_3_days_from_the_registration_day(school, evening_case):
    """AP-22: sent on Monday evening, the hearing is dated Tuesday 24.11 and the answer is due Friday 27.11."""
    workflow.route(school.dean, evening_case, Body.DEANS_COUNCIL, [school.teacher])
    hearing = workflow.send_hearing(school.teacher, evening_case, "Бас тарту жоспарлануда", today=EVENING)
    assert (hearing.opened_on, hearing.answer_due) == (REGISTERED, date(2026, 11, 27))


def test_ap10_a_commission_can_be_formed_the_evening_the_case_arrives():
    """AP-10: the order is dated on the registration day (Tuesday), not later, and the decision after it."""
    c = make_commissioners()
    case = file_case(c.school.student.user, when=at(2026, 11, 23, 19, 0))

    def form(order_date: date) -> Commission:
        return commission.form_commission(
            c.school.dean, case, order_number="19-к", order_date=order_date, seats=c.student_seats(), today=EVENING
        )

    with pytest.raises(AppealError, match="cannot be in the future"):
        form(date(2026, 11, 25))
    with pytest.raises(AppealError, match="before the application was registered"):
        form(EVENING)
    assert not Commission.objects.exists()
    formed = form(REGISTERED)
    assert formed.order_date == REGISTERED
