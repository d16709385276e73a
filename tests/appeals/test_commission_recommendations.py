"""AP-13: binding recommendations with a person responsible and a due date, tracked until carried out."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from appeals.errors import AppealError
from appeals.models import Event, Recommendation
from appeals.services import commission
from appeals.services.commission.recommendations import all_carried_out_on, issued_to, open_for
from portal.models import Notification
from tests.appeals.commission_support import (
    ORDER_DAY,
    Seat,
    decide,
    make_commissioners,
    referred,
    tmp_media,  # noqa: F401 (a fixture)
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tmp_media")]
DUE = date(2026, 12, 15)
NOON = datetime(2026, 12, 1, 12, tzinfo=ZoneInfo("Asia/Almaty"))


def recommend(c, case, responsible=None, text="Кесте өзгерісін алдын ала хабарлау"):
    return commission.add_recommendation(c.school.dean, case, text, responsible or c.school.teacher, DUE, ORDER_DAY)


def test_ap13_a_draft_binds_from_the_decision_and_the_responsible_is_told():
    c = make_commissioners()
    case = referred(c)
    rec = recommend(c, case)
    assert rec.history.get().history_user == c.school.dean
    assert list(open_for(c.school.teacher)) == []  # a draft binds nobody yet
    assert not Notification.objects.filter(recipient=c.school.teacher).exists()
    decide(c, case)
    assert list(open_for(c.school.teacher)) == [rec]
    told = Notification.objects.get(recipient=c.school.teacher)
    assert "15.12.2026" in told.subject and told.url == f"/appeals/commission/recommendations/{rec.pk}/"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": " "}, "Write the recommendation"),
        ({"due_on": ORDER_DAY}, "later than today"),
        ({"responsible": "inactive"}, "not active"),
    ],
)
def test_ap13_bad_recommendations_are_refused(change, message):
    c = make_commissioners()
    case = referred(c)
    values = {"text": "Хабарлау", "responsible": c.school.teacher, "due_on": DUE, **change}
    if values["responsible"] == "inactive":
        values["responsible"] = UserFactory.create(is_active=False)
    with pytest.raises(AppealError, match=message):
        commission.add_recommendation(c.school.dean, case, today=ORDER_DAY, **values)
    assert not Recommendation.objects.exists()


def test_ap13_only_the_chair_drafts_and_withdraws_and_only_before_the_decision():
    c = make_commissioners()
    case = referred(c)
    with pytest.raises(PermissionDenied):
        commission.add_recommendation(c.people[Seat.LAWYER], case, "x", c.school.teacher, DUE, ORDER_DAY)
    rec = recommend(c, case)
    kept = recommend(c, case, text="Екінші")
    commission.withdraw_recommendation(c.school.dean, rec)
    assert list(Recommendation.objects.all()) == [kept]
    decide(c, case)
    with pytest.raises(AppealError, match="already decided"):
        commission.withdraw_recommendation(c.school.dean, kept)
    with pytest.raises(AppealError, match="already decided"):
        recommend(c, case)


def test_ap13_the_responsible_reports_each_done_and_the_case_shows_all_done():
    c = make_commissioners()
    case = referred(c)
    first = recommend(c, case)
    second = recommend(c, case, responsible=c.people[Seat.QUALITY_COMMISSION], text="Аудитория жабдығын тексеру")
    decide(c, case)
    commission.complete_recommendation(c.school.teacher, first, "Хабарландыру тәртібі бекітілді.", NOON)
    first.refresh_from_db()
    assert first.completed_at == NOON and first.completion_note == "Хабарландыру тәртібі бекітілді."
    assert first.history.latest().history_user == c.school.teacher
    assert all_carried_out_on(list(case.recommendations.all())) is None
    assert Notification.objects.filter(recipient=c.school.dean, subject__contains="A recommendation").exists()
    later = NOON.replace(day=3)
    commission.complete_recommendation(c.people[Seat.QUALITY_COMMISSION], second, "Тексерілді.", later)
    assert all_carried_out_on(list(case.recommendations.all())) == later
    done = case.events.filter(type=Event.Type.DECIDED, public=True).last()
    assert done is not None and done.note == "All the commission's recommendations are carried out."
    assert Notification.objects.filter(recipient=c.school.dean, subject__contains="All the recommendations").exists()
    assert [r.completed_at for r in issued_to(c.school.teacher)] == [NOON]


def test_ap13_only_the_responsible_reports_and_only_once_with_a_note():
    c = make_commissioners()
    case = referred(c)
    rec = recommend(c, case)
    with pytest.raises(AppealError, match="still a draft"):
        commission.complete_recommendation(c.school.teacher, rec, "Орындалды")
    decide(c, case)
    with pytest.raises(PermissionDenied):
        commission.complete_recommendation(c.school.dean, rec, "Орындалды")
    with pytest.raises(AppealError, match="Write what was done"):
        commission.complete_recommendation(c.school.teacher, rec, "  ")
    commission.complete_recommendation(c.school.teacher, rec, "Орындалды")
    with pytest.raises(AppealError, match="already reported"):
        commission.complete_recommendation(c.school.teacher, rec, "Тағы")


def test_ap13_no_recommendations_is_not_all_done():
    assert all_carried_out_on([]) is None
