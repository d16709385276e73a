"""AC-15 summer semester, AC-16 non-formal learning, AC-17 scholarship, AC-18 tuition: the rules' numbers."""

from datetime import date
from decimal import Decimal

from academics.rules import (
    listed_for_expulsion,
    nonformal_credit_limit,
    nonformal_recognition_refusals,
    one_month_after,
    scholarship_eligible,
    summer_application_in_time,
    summer_course_opens,
    tuition_penalty,
    tuition_tranches,
)


def test_ac18_three_tranches_with_their_dates_add_up():
    """AC-18: 50 % by 25 Aug, 25 % by 30 Nov, 25 % by 31 Mar of the next year."""
    parts = tuition_tranches(Decimal("1000000.01"), 2026)
    assert [d for d, _ in parts] == [date(2026, 8, 25), date(2026, 11, 30), date(2027, 3, 31)]
    assert [a for _, a in parts] == [Decimal("500000.01"), Decimal("250000.00"), Decimal("250000.00")]
    assert sum(a for _, a in parts) == Decimal("1000000.01")


def test_ac18_penalty_is_0_1_percent_a_day_capped_at_the_principal():
    """AC-18: 250 000 overdue for 10 days: 2 500; for 2 000 days: capped at 250 000."""
    assert tuition_penalty(Decimal(250000), 10) == Decimal("2500.00")
    assert tuition_penalty(Decimal(250000), 1000) == Decimal("250000.00")
    assert tuition_penalty(Decimal(250000), 2000) == Decimal("250000.00")
    assert tuition_penalty(Decimal(250000), 0) == Decimal("0.00")


def test_ac18_unpaid_for_a_month_is_listed_for_expulsion():
    """AC-18: due 30 Nov: on 30 Dec not yet listed, on 31 Dec listed; paid: never."""
    due = date(2026, 11, 30)
    assert not listed_for_expulsion(due, date(2026, 12, 30), still_unpaid=True)
    assert listed_for_expulsion(due, date(2026, 12, 31), still_unpaid=True)
    assert not listed_for_expulsion(due, date(2027, 2, 1), still_unpaid=False)
    assert one_month_after(date(2027, 1, 31)) == date(2027, 2, 28)


def test_ac17_scholarship_rules():
    """AC-17: grant only; first semester of year one: everyone with a grant; then all grades C+ or better."""
    assert not scholarship_eligible(False, True, [])
    assert scholarship_eligible(True, True, [])
    assert scholarship_eligible(True, False, ["A", "B-", "C+"])
    assert not scholarship_eligible(True, False, ["A", "C"])
    assert not scholarship_eligible(True, False, [])


def test_ac15_summer_semester_application_and_opening():
    """AC-15: apply at least 10 days before; a course opens with 8 paid applicants."""
    starts = date(2027, 6, 21)
    assert summer_application_in_time(date(2027, 6, 11), starts)
    assert not summer_application_in_time(date(2027, 6, 12), starts)
    assert summer_course_opens(8) and not summer_course_opens(7)


def test_ac16_nonformal_learning_cap_and_both_agreements():
    """AC-16: 10 % of 240 credits is 24; of 300 it would be 30 but the cap is 24; both agreements needed."""
    assert nonformal_credit_limit(240) == 24
    assert nonformal_credit_limit(300) == 24
    assert nonformal_credit_limit(120) == 12
    assert nonformal_recognition_refusals(20, 5, 240, True, True) == ["over_limit"]
    assert nonformal_recognition_refusals(10, 5, 240, True, False) == ["head_not_agreed"]
    assert nonformal_recognition_refusals(10, 5, 240, True, True) == []
