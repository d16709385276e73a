"""Appeals to a higher official (AP-14): decision or inaction, within 3 months, late ones with a reason."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from appeals import rules
from appeals.errors import AppealError
from appeals.models import Application, Body, Delivery, Event, Kind, Level, Outcome, Status
from appeals.services import workflow
from appeals.services.higher import appeal_to_higher, basis
from portal.models import Notification, Role
from tests.academics.factories import make_staff
from tests.appeals.factories import at, file_case, make_school

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The errors are matched by their English msgids, whatever the catalogues hold."""
    with translation.override("en"):
        yield


TEXT = "Деканның жауабымен келіспеймін: кесте өзгергені туралы топқа хабарланбаған, дәлелдері қоса беріледі."


def answered_case(school, answered_on=date(2026, 12, 1), delivered_on=None, level=None):
    """A complaint filed 17.11.2026, answered (explained) by the dean on `answered_on`."""
    case = file_case(school.student.user, at(2026, 11, 17))
    workflow.route(school.dean, case, Body.DEANS_COUNCIL, [school.dean])
    workflow.answer_case(school.dean, case, Outcome.EXPLAINED, "Кесте 10.11.2026 сайтта жарияланды.", answered_on)
    if level is not None:
        Application.objects.filter(pk=case.pk).update(level=level)
    if delivered_on is not None:
        Delivery.objects.create(application=case, method=Delivery.Method.IN_PERSON, delivered_on=delivered_on)
    case.refresh_from_db()
    return case


@pytest.fixture
def vice_rector():
    return make_staff(Role.VICE_RECTOR_SOCIAL)


def test_ap14_a_decision_is_appealed_within_3_months_of_its_delivery(vice_rector):
    """AP-14: delivered 03.12.2026 -> the 3 months end 03.03.2027; an appeal that day is on time. It is a new
    case at the next level (institute -> vice-rector), assigned to the vice-rector, with its own 15 working days."""
    school = make_school("IT")
    case = answered_case(school, answered_on=date(2026, 12, 1), delivered_on=date(2026, 12, 3))
    found = basis(case, date(2027, 3, 3))
    assert (found.inaction, found.learned_on, found.deadline, found.late) == (
        False,
        date(2026, 12, 3),
        date(2027, 3, 3),
        False,
    )
    appeal = appeal_to_higher(school.student.user, case, TEXT, now=at(2027, 3, 3))
    assert (appeal.kind, appeal.appealed, appeal.level, appeal.status) == (
        Kind.HIGHER_APPEAL,
        case,
        Level.VICE_RECTOR,
        Status.IN_REVIEW,
    )
    assert appeal.number == "IT-2027/00001" and appeal.registered_on == date(2027, 3, 3)
    assert appeal.due_on == rules.answer_due(date(2027, 3, 3)) == date(2027, 3, 31)  # 8, 15 and 22-24 March are off
    assert appeal.delay_reason == "" and list(appeal.handlers.all()) == [vice_rector]
    assert case.events.filter(type=Event.Type.APPEALED, note__startswith=appeal.number).exists()
    assert Notification.objects.filter(recipient=vice_rector, subject__contains=appeal.number).exists()


def test_ap14_the_answer_date_counts_when_there_is_no_delivery_and_month_ends_clamp(vice_rector):
    """AP-14: answered 30.11.2026, not delivered: 3 months end 28.02.2027 (February is shorter)."""
    school = make_school()
    case = answered_case(school, answered_on=date(2026, 11, 30))
    assert basis(case, date(2027, 2, 28)).deadline == date(2027, 2, 28)
    assert basis(case, date(2027, 2, 28)).late is False
    assert basis(case, date(2027, 3, 1)).late is True


def test_ap14_a_late_appeal_is_accepted_with_the_reason_for_the_delay(vice_rector):
    """AP-14: on 04.03.2027, a day past the 3 months, the reason for the delay is required; with it the appeal
    is accepted and the reason reaches the official."""
    school = make_school()
    case = answered_case(school, delivered_on=date(2026, 12, 3))
    with pytest.raises(AppealError, match="reason for the delay"):
        appeal_to_higher(school.student.user, case, TEXT, " ", now=at(2027, 3, 4))
    assert not Application.objects.filter(kind=Kind.HIGHER_APPEAL).exists()
    reason = "Ауруханада емделдім, анықтама қоса беріледі."
    appeal = appeal_to_higher(school.student.user, case, TEXT, reason, now=at(2027, 3, 4))
    assert appeal.delay_reason == reason
    note = Notification.objects.get(recipient=vice_rector, subject__contains=appeal.number)
    assert "Ауруханада" in note.body


def test_ap14_inaction_is_appealed_once_the_deadline_has_passed(vice_rector):
    """AP-14: filed 17.11.2026, due 08.12.2026 and not answered: nothing to appeal on the 8th; on the 9th the
    inaction is appealed, counted from the deadline."""
    school = make_school()
    case = file_case(school.student.user, at(2026, 11, 17))
    assert case.due_on == date(2026, 12, 8)
    with pytest.raises(AppealError, match="nothing to appeal"):
        appeal_to_higher(school.student.user, case, TEXT, now=at(2026, 12, 8))
    found = basis(case, date(2026, 12, 9))
    assert (found.inaction, found.learned_on, found.deadline) == (True, date(2026, 12, 8), date(2027, 3, 8))
    appeal = appeal_to_higher(school.student.user, case, TEXT, now=at(2026, 12, 9))
    assert case.number in appeal.subject
    assert appeal.appealed == case and appeal.level == Level.VICE_RECTOR


def test_ap14_only_the_applicant_appeals_and_once_at_a_time(vice_rector):
    school = make_school()
    case = answered_case(school, delivered_on=date(2026, 12, 3))
    for stranger in (school.teacher, school.dean, make_school().student.user):
        with pytest.raises(PermissionDenied):
            appeal_to_higher(stranger, case, TEXT, now=at(2027, 1, 12))
    appeal_to_higher(school.student.user, case, TEXT, now=at(2027, 1, 12))
    with pytest.raises(AppealError, match="already"):
        appeal_to_higher(school.student.user, case, TEXT, now=at(2027, 1, 13))
    assert Application.objects.filter(kind=Kind.HIGHER_APPEAL).count() == 1


@pytest.mark.parametrize(
    ("level", "expected", "role"),
    [
        (Level.DEPARTMENT, Level.INSTITUTE, Role.DEAN),
        (Level.INSTITUTE, Level.VICE_RECTOR, Role.VICE_RECTOR_SOCIAL),
        (Level.VICE_RECTOR, Level.RECTOR, Role.RECTOR),
    ],
)
def test_ap14_ap20_the_appeal_goes_one_level_up_to_that_levels_official(level, expected, role):
    """AP-14 with the AP-20 ladder: department -> dean, institute -> vice-rector, vice-rector -> rector."""
    school = make_school()
    make_staff(Role.VICE_RECTOR_SOCIAL)
    make_staff(Role.RECTOR)
    case = answered_case(school, delivered_on=date(2026, 12, 3), level=level)
    appeal = appeal_to_higher(school.student.user, case, TEXT, now=at(2027, 1, 12))
    assert appeal.level == expected
    [official] = appeal.handlers.all()
    assert official.role_assignments.filter(role=role).exists()
    if role == Role.DEAN:
        assert official == school.dean


def test_ap14_the_rectors_decision_has_no_higher_official():
    school = make_school()
    case = answered_case(school, delivered_on=date(2026, 12, 3), level=Level.RECTOR)
    with pytest.raises(AppealError, match="rector"):
        appeal_to_higher(school.student.user, case, TEXT, now=at(2027, 1, 12))


def test_ap14_the_official_considers_and_answers_the_appeal(vice_rector):
    school = make_school()
    case = answered_case(school, delivered_on=date(2026, 12, 3))
    appeal = appeal_to_higher(school.student.user, case, TEXT, now=at(2027, 1, 12))
    workflow.answer_case(vice_rector, appeal, Outcome.UPHELD, "Кесте қайта жарияланады.", date(2027, 1, 20))
    appeal.refresh_from_db()
    assert (appeal.status, appeal.answered_by) == (Status.ANSWERED, vice_rector)
