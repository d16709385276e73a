"""AC-04, AC-05, AC-08, AC-11, AC-12: the pure grading rules and their numbers."""

from decimal import Decimal

import pytest

from academics.rules import Policy, final_percentage, gpa, letter_grade, round_percent, transfer_threshold


def test_ac04_final_percentage_formula():
    """AC-04: (R1 + R2) / 2 x 0.6 + E x 0.4."""
    assert final_percentage(80, 90, 70) == Decimal("79.0")
    assert final_percentage(100, 100, 100) == Decimal(100)
    assert final_percentage("75.5", 80, 91) == Decimal("83.05")


def test_ac08_exam_no_show_scores_zero_for_the_exam():
    """AC-08: a no-show is E = 0: perfect midterms still give only 60 % (C-), midterms of 80 give 48 % (FX)."""
    assert final_percentage(100, 100, 0) == Decimal(60)
    assert letter_grade(final_percentage(100, 100, 0)) == ("C-", Decimal("1.67"))
    assert letter_grade(final_percentage(80, 80, 0)) == ("FX", Decimal("0.5"))


@pytest.mark.parametrize("bad", [-1, 101, "abc", None, "NaN", "Infinity"])
def test_ac03_scores_outside_0_100_or_not_numbers_are_refused(bad):
    """AC-03: each component is 0-100."""
    with pytest.raises(ValueError):
        final_percentage(bad, 50, 50)


@pytest.mark.parametrize(
    ("percent", "letter", "points"),
    [
        (100, "A", "4.0"),
        (95, "A", "4.0"),
        (94, "A-", "3.67"),
        (90, "A-", "3.67"),
        (89, "B+", "3.33"),
        (85, "B+", "3.33"),
        (84, "B", "3.0"),
        (80, "B", "3.0"),
        (79, "B-", "2.67"),
        (75, "B-", "2.67"),
        (74, "C+", "2.33"),
        (70, "C+", "2.33"),
        (69, "C", "2.0"),
        (65, "C", "2.0"),
        (64, "C-", "1.67"),
        (60, "C-", "1.67"),
        (59, "D+", "1.33"),
        (55, "D+", "1.33"),
        (54, "D", "1.0"),
        (50, "D", "1.0"),
        (49, "FX", "0.5"),
        (25, "FX", "0.5"),
        (24, "F", "0"),
        (0, "F", "0"),
    ],
)
def test_ac05_letter_scale_boundaries(percent, letter, points):
    """AC-05: every band boundary of the letter scale."""
    assert letter_grade(percent) == (letter, Decimal(points))


def test_ac05_fractional_percentages_round_half_up_before_the_lookup():
    """AC-05: 89.5 rounds to 90 (A-), 89.49 to 89 (B+), 49.5 to 50 (D), 24.5 to 25 (FX)."""
    assert round_percent("89.5") == 90
    assert letter_grade("89.5") == ("A-", Decimal("3.67"))
    assert letter_grade("89.49") == ("B+", Decimal("3.33"))
    assert letter_grade("49.5") == ("D", Decimal("1.0"))
    assert letter_grade("24.5") == ("FX", Decimal("0.5"))
    # The formula's own fractions go through the same rule: (89 + 90) / 2 x 0.6 + 90 x 0.4 = 89.7 -> 90.
    assert letter_grade(final_percentage(89, 90, 90)) == ("A-", Decimal("3.67"))


def test_ac11_gpa_is_credit_weighted():
    """AC-11: sum(points x credits) / sum(credits): (4.0x5 + 3.0x5 + 2.0x10) / 20 = 2.75."""
    assert gpa([(Decimal("4.0"), 5), (Decimal("3.0"), 5), (Decimal("2.0"), 10)]) == Decimal("2.75")
    assert gpa([("3.67", 5), ("3.33", 3)]) == Decimal("3.54")  # (18.35 + 9.99) / 8 = 3.5425
    assert gpa([]) == Decimal("0.00")
    assert gpa([(4, 0)]) == Decimal("0.00")


def test_ac12_transfer_thresholds_from_the_handbook():
    """AC-12: 1.67 to year 2, 2.00 to year 3, 2.20 to year 4."""
    assert transfer_threshold(2) == Decimal("1.67")
    assert transfer_threshold(3) == Decimal("2.00")
    assert transfer_threshold(4) == Decimal("2.20")
    assert transfer_threshold(5) == Decimal("2.20")
    with pytest.raises(ValueError):
        transfer_threshold(1)


def test_ac12_thresholds_are_revised_by_policy():
    """AC-12: an Academic Council's revised thresholds replace the handbook's."""
    revised = Policy(
        version="2026-2027", transfer_thresholds={2: Decimal("1.80"), 3: Decimal("2.10"), 4: Decimal("2.30")}
    )
    assert transfer_threshold(3, revised) == Decimal("2.10")


def test_ac06_admitted_with_midterms_50_and_attendance_80_and_no_debt():
    """AC-06: midterm average >= 50, attendance >= 80 %, no tuition debt: admitted."""
    from academics.rules import exam_admission_reasons

    assert exam_admission_reasons(50, 50, attended=24, held=30, tuition_debt=False) == []  # exactly 80 %
    assert exam_admission_reasons(40, 60, attended=30, held=30, tuition_debt=False) == []  # average 50


def test_ac06_each_failed_condition_is_a_reason():
    """AC-06: 49.5 average, 79 % attendance (missed more than 20 %), a tuition debt: three reasons."""
    from academics.rules import AdmissionReason, exam_admission_reasons

    reasons = exam_admission_reasons(49, 50, attended=79, held=100, tuition_debt=True)
    assert reasons == [
        AdmissionReason.MIDTERM_BELOW_50,
        AdmissionReason.ATTENDANCE_BELOW_80,
        AdmissionReason.TUITION_DEBT,
    ]
    assert exam_admission_reasons(None, 80, attended=10, held=10, tuition_debt=False) == [
        AdmissionReason.MIDTERM_MISSING
    ]


def test_ac07_deans_permission_lifts_the_midterm_condition_only():
    """AC-07: a dean's written permission for an individual retake; attendance still counts."""
    from academics.rules import AdmissionReason, exam_admission_reasons

    assert exam_admission_reasons(30, 30, attended=30, held=30, tuition_debt=False, dean_permission=True) == []
    assert exam_admission_reasons(30, 30, attended=20, held=30, tuition_debt=False, dean_permission=True) == [
        AdmissionReason.ATTENDANCE_BELOW_80
    ]


def test_ac24_attendance_percent():
    """AC-24: 24 of 30 classes is 80 %; none held yet counts as full attendance."""
    from academics.rules import attendance_percent

    assert attendance_percent(24, 30) == Decimal(80)
    assert attendance_percent(0, 0) == Decimal(100)
