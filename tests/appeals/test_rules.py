"""Pure rules of appeals: deadlines in working days (AP-06, AP-07, AP-22), late higher appeals (AP-14),
repeated applications (AP-08), reminder thresholds (AP-19) and delivery ways (AP-15)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from appeals import rules
from portal.models import WorkdayOverride

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")


def test_ap06_answer_due_is_15_working_days_after_submission_not_counting_the_day():
    """AP-06: Tue 17 Nov 2026 + 15 working days = Tue 8 Dec 2026 (three weekends in between)."""
    assert rules.answer_due(date(2026, 11, 17)) == date(2026, 12, 8)


def test_ap06_extended_answer_is_due_30_working_days_from_the_same_day_skipping_independence_day():
    """AP-06: + 30 working days = 30 Dec 2026; 16 December (Independence Day) is not counted."""
    assert rules.answer_due(date(2026, 11, 17), extended=True) == date(2026, 12, 30)
    assert rules.latest_extension(date(2026, 11, 17)) == date(2026, 12, 30)


def test_ap06_a_decree_override_moves_the_due_date():
    """AP-06 with PT-04: a decreed day off inside the period pushes the due date one working day."""
    WorkdayOverride.objects.create(date=date(2026, 11, 20), kind=WorkdayOverride.Kind.DAY_OFF, reason="decree")
    assert rules.answer_due(date(2026, 11, 17)) == date(2026, 12, 9)


@pytest.mark.parametrize(
    ("received", "registered"),
    [
        (datetime(2026, 11, 17, 10, 0), date(2026, 11, 17)),  # a working Tuesday morning
        (datetime(2026, 11, 17, 18, 30), date(2026, 11, 18)),  # after hours: the next working day
        (datetime(2026, 11, 17, 7, 45), date(2026, 11, 17)),  # before opening: the same working day
        (datetime(2026, 11, 21, 12, 0), date(2026, 11, 23)),  # Saturday: Monday
        (datetime(2026, 11, 20, 19, 0), date(2026, 11, 23)),  # Friday evening: Monday
        (datetime(2026, 12, 16, 11, 0), date(2026, 12, 17)),  # Independence Day: the next day
    ],
)
def test_ap06_registration_day_is_the_next_working_day_for_days_off_and_after_hours(received, registered):
    """AP-06: the clock starts on the day of registration."""
    assert rules.registration_day(received.replace(tzinfo=ALMATY)) == registered


def test_ap07_return_without_consideration_is_due_within_3_working_days():
    """AP-07: registered Friday 20 Nov 2026: returned by Wednesday 25 Nov."""
    assert rules.return_due(date(2026, 11, 20)) == date(2026, 11, 25)


def test_ap22_hearing_answer_is_due_in_3_working_days():
    """AP-22: sent on Thursday 10 Dec 2026; 16 Dec is a holiday, so 11, 14, 15 -> due 15 Dec."""
    assert rules.hearing_answer_due(date(2026, 12, 10)) == date(2026, 12, 15)


def test_ap06_extension_notice_is_due_within_3_working_days():
    assert rules.extension_notice_due(date(2026, 11, 17)) == date(2026, 11, 20)


@pytest.mark.parametrize(
    ("learned", "filed", "late"),
    [
        (date(2026, 5, 31), date(2026, 8, 31), False),  # 3 months to the day
        (date(2026, 5, 31), date(2026, 9, 1), True),
        (date(2026, 11, 30), date(2027, 2, 28), False),  # February has no 30th: its last day
        (date(2026, 11, 30), date(2027, 3, 1), True),
    ],
)
def test_ap14_an_appeal_to_a_higher_official_is_late_after_3_months(learned, filed, late):
    """AP-14: within 3 months of learning of the decision; a late appeal is still accepted."""
    assert rules.higher_appeal_is_late(learned, filed) is late


def test_ap08_a_reworded_repeat_of_the_same_matter_looks_repeated():
    """AP-08: the portal offers termination when the matter's words mostly coincide."""
    first = "Жатақханадағы бөлмеде жылу жоқ, жатақхана әкімшілігі шара қолданбайды"
    again = "Жатақханадағы бөлмеде әлі де жылу жоқ, әкімшілігі шара қолданбайды"
    other = "Емтихан кестесі өзгертілді, топқа хабарланбады"
    assert rules.looks_repeated(again, first)
    assert not rules.looks_repeated(other, first)
    assert rules.matter_similarity("", first) == 0.0


@pytest.mark.parametrize(
    ("today", "threshold"),
    [
        (date(2026, 12, 1), None),  # 5 working days left
        (date(2026, 12, 3), "d3"),  # 3 left: 4, 7, 8
        (date(2026, 12, 4), "d3"),  # 2 left
        (date(2026, 12, 7), "d1"),  # 1 left
        (date(2026, 12, 8), "d0"),  # the deadline is today
        (date(2026, 12, 9), "overdue"),
    ],
)
def test_ap19_reminder_thresholds_are_3_and_1_working_days_before_and_the_day_itself(today, threshold):
    """AP-19: deadline Tuesday 8 Dec 2026."""
    assert rules.reminder_threshold(date(2026, 12, 8), today) == threshold


def test_ap09_due_soon_is_3_working_days_or_fewer_and_overdue_counts_working_days():
    state = rules.deadline_state(date(2026, 12, 8), date(2026, 12, 3))
    assert (state.working_days_left, state.due_soon, state.overdue) == (3, True, False)
    late = rules.deadline_state(date(2026, 12, 8), date(2026, 12, 14))
    assert (late.working_days_left, late.overdue) == (-4, True)


def test_ap15_delivery_ways_depend_on_the_applicant():
    """AP-15: students in person or by post; representatives the same; staff in person and by e-mail."""
    assert set(rules.delivery_methods("student", False)) == {"in_person", "post", "portal"}
    assert set(rules.delivery_methods("staff", False)) == {"in_person", "email", "portal"}
    assert "email" not in rules.delivery_methods("student", True)
    assert rules.delivery_methods("anonymous", False) == ()
