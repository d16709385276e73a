"""Pure academic rules (AC-*): plain values in, plain values out; no ORM, no I/O.

Rounding (AC-05), the one rule applied everywhere: a fractional final percentage is rounded to a
whole percent, halves up (89.5 -> 90 -> A-; 89.49 -> 89 -> B+), and only then looked up in the
letter scale. The unrounded percentage is what `final_percentage` returns and what is stored.
GPA values are rounded to two decimals, halves up.
"""

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

Number = Decimal | int | str

HUNDRED = Decimal(100)
MIDTERM_WEIGHT = Decimal("0.6")
EXAM_WEIGHT = Decimal("0.4")

# AC-05: (lowest whole percent, letter, points), from the top of the scale down.
LETTER_SCALE: tuple[tuple[int, str, Decimal], ...] = (
    (95, "A", Decimal("4.0")),
    (90, "A-", Decimal("3.67")),
    (85, "B+", Decimal("3.33")),
    (80, "B", Decimal("3.0")),
    (75, "B-", Decimal("2.67")),
    (70, "C+", Decimal("2.33")),
    (65, "C", Decimal("2.0")),
    (60, "C-", Decimal("1.67")),
    (55, "D+", Decimal("1.33")),
    (50, "D", Decimal("1.0")),
    (25, "FX", Decimal("0.5")),
    (0, "F", Decimal("0")),
)


@dataclass(frozen=True)
class Policy:
    """The rule parameters an Academic Council may revise yearly (AC-12); handbook values by default.

    Tuition due dates are dates of a particular year, so they live on the academic year itself
    (`AcademicYear.tuition_schedule`); everything here is a plain value the rules take.
    """

    version: str = "handbook"
    transfer_thresholds: Mapping[int, Decimal] = field(
        default_factory=lambda: {2: Decimal("1.67"), 3: Decimal("2.00"), 4: Decimal("2.20")}
    )
    # AC-12: the academic year's GPA decides by default; a university may choose the cumulative one.
    transfer_basis: str = "year"
    # AC-01: R1 in week 7 (or 8), R2 in week 15.
    midterm_weeks: tuple[int, int] = (7, 15)
    # AC-06: the exam-admission minimums.
    midterm_minimum: Decimal = Decimal(50)
    attendance_minimum: Decimal = Decimal(80)
    # AC-17: the lowest letter of the previous session that keeps the scholarship.
    scholarship_minimum_letter: str = "C+"
    # AC-18: the late-payment penalty per day, as a share of the overdue amount.
    penalty_rate_per_day: Decimal = Decimal("0.001")


HANDBOOK = Policy()


def parse_score(value: Number, name: str = "score") -> Decimal:
    """AC-03: a component score, a number from 0 to 100 (ValueError otherwise)."""
    try:
        score = Decimal(value)
    except (ArithmeticError, ValueError, TypeError) as exc:
        raise ValueError(f"{name} must be a number from 0 to 100") from exc
    if not score.is_finite() or not Decimal(0) <= score <= HUNDRED:
        raise ValueError(f"{name} must be a number from 0 to 100")
    return score


def final_percentage(r1: Number, r2: Number, exam: Number) -> Decimal:
    """AC-04: (R1 + R2) / 2 x 0.6 + E x 0.4, unrounded; each score 0-100 (an exam no-show is 0, AC-08)."""
    r1, r2, exam = parse_score(r1, "R1"), parse_score(r2, "R2"), parse_score(exam, "exam")
    return (r1 + r2) / 2 * MIDTERM_WEIGHT + exam * EXAM_WEIGHT


def round_percent(percent: Number) -> int:
    """AC-05: the documented rounding, to a whole percent, halves up."""
    return int(parse_score(percent, "percentage").quantize(Decimal(1), rounding=ROUND_HALF_UP))


def letter_grade(percent: Number) -> tuple[str, Decimal]:
    """AC-05: the letter and its points for a final percentage (rounded first, see the module doc)."""
    whole = round_percent(percent)
    for lowest, letter, points in LETTER_SCALE:
        if whole >= lowest:
            return letter, points
    raise AssertionError("unreachable: the scale starts at 0")


def gpa(pairs: Iterable[tuple[Number, Number]]) -> Decimal:
    """AC-11: sum(points x credits) / sum(credits), two decimals; 0 when there are no credits."""
    weighted = Decimal(0)
    credits = Decimal(0)
    for points, credit in pairs:
        weighted += Decimal(points) * Decimal(credit)
        credits += Decimal(credit)
    if credits == 0:
        return Decimal("0.00")
    return (weighted / credits).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def transfer_threshold(to_year: int, policy: Policy | None = None) -> Decimal:
    """AC-12: the GPA needed to move up to `to_year`; years past the table use its last threshold."""
    thresholds = (policy or HANDBOOK).transfer_thresholds
    if to_year < 2:
        raise ValueError("transfer applies to year 2 and above")
    if to_year in thresholds:
        return thresholds[to_year]
    return thresholds[max(y for y in thresholds if y <= to_year)]


# AC-12: what the end of an academic year means for a student.
class TransferOutcome:
    """Stable codes of a transfer decision (the model's choices use the same values)."""

    TRANSFERS = "transfers"
    REPEATS = "repeats"
    FINAL_YEAR = "final_year"


# The normal length of a programme in years of study, by level: its last year ends in the final
# attestation and graduation, not in a transfer. A programme of another length would need its own field.
PROGRAMME_YEARS: Mapping[str, int] = {"bachelor": 4, "master": 2, "doctorate": 3, "internship": 1, "residency": 2}


@dataclass(frozen=True)
class TransferResult:
    outcome: str
    deciding_gpa: Decimal
    to_year: int | None = None
    threshold: Decimal | None = None
    state_grant_lost: bool = False


def year_of_study_in(start_year: int, admission_year: int) -> int:
    """The year of study of a cohort admitted in `admission_year` during the academic year starting in
    `start_year` (a student who repeats a year moves to a later cohort's group); at least 1."""
    return max(1, start_year - admission_year + 1)


def transfer_decision(
    year_of_study: int,
    final_year: int,
    gpa_year: Decimal,
    gpa_cumulative: Decimal,
    state_funded: bool,
    policy: Policy | None = None,
) -> TransferResult:
    """AC-12: GPA at or above the year's threshold moves the student up; below, the year is repeated (paid)
    and a state grant is lost. The year's GPA decides unless the year's policy chose the cumulative one."""
    policy = policy or HANDBOOK
    deciding = gpa_cumulative if policy.transfer_basis == "cumulative" else gpa_year
    if year_of_study >= final_year:
        return TransferResult(TransferOutcome.FINAL_YEAR, deciding)
    to_year = year_of_study + 1
    threshold = transfer_threshold(to_year, policy)
    if deciding >= threshold:
        return TransferResult(TransferOutcome.TRANSFERS, deciding, to_year, threshold)
    return TransferResult(TransferOutcome.REPEATS, deciding, to_year, threshold, state_grant_lost=state_funded)


MAX_RETAKES = 2


def retake_allowed(earlier_enrolments: int) -> bool:
    """AC-13: a discipline may be taken once and retaken at most twice over the whole study."""
    return earlier_enrolments <= MAX_RETAKES


class AdmissionReason:
    """Why a student is not admitted to the final exam (AC-06); values are stable codes."""

    MIDTERM_BELOW_50 = "midterm_below_minimum"
    ATTENDANCE_BELOW_80 = "attendance_below_minimum"
    TUITION_DEBT = "tuition_debt"
    MIDTERM_MISSING = "midterm_missing"


def midterm_average(r1: Number | None, r2: Number | None) -> Decimal | None:
    """The average of R1 and R2, or None while one is missing."""
    if r1 is None or r2 is None:
        return None
    return (parse_score(r1, "R1") + parse_score(r2, "R2")) / 2


def attendance_percent(attended: int, held: int) -> Decimal:
    """AC-24: attended classes as a percentage of classes held (100 when none were held yet)."""
    if held <= 0:
        return HUNDRED
    return Decimal(attended) * HUNDRED / Decimal(held)


def exam_admission_reasons(
    r1: Number | None,
    r2: Number | None,
    attended: int,
    held: int,
    tuition_debt: bool,
    dean_permission: bool = False,
    policy: Policy | None = None,
) -> list[str]:
    """AC-06/AC-07: the reasons a student is not admitted; an empty list means admitted.

    The dean's written permission (AC-07) lifts the midterm condition only: the individual retake
    replaces the midterm result. Attendance and tuition still apply.
    """
    policy = policy or HANDBOOK
    reasons = []
    average = midterm_average(r1, r2)
    if not dean_permission:
        if average is None:
            reasons.append(AdmissionReason.MIDTERM_MISSING)
        elif average < policy.midterm_minimum:
            reasons.append(AdmissionReason.MIDTERM_BELOW_50)
    if attendance_percent(attended, held) < policy.attendance_minimum:
        reasons.append(AdmissionReason.ATTENDANCE_BELOW_80)
    if tuition_debt:
        reasons.append(AdmissionReason.TUITION_DEBT)
    return reasons


WEEKS_PER_SEMESTER = 15
SUMMER_WEEKS = 6
EXAM_SESSION_WEEKS = 3


def contact_hours(credits: int) -> int:
    """AC-02: one credit is one contact hour a week for a 15-week semester."""
    return credits * WEEKS_PER_SEMESTER


@dataclass(frozen=True)
class EntryWindows:
    """When a teacher may enter each component (AC-01, AC-03): the midterm week and the week after it
    for R1 and R2, the exam session for the exam, and the week after the session for FX retakes (AC-09)."""

    r1_opens: date
    r1_closes: date
    r2_opens: date
    r2_closes: date
    exam_opens: date
    exam_closes: date
    fx_opens: date
    fx_closes: date


def week_starts(term_starts: date, week: int) -> date:
    """The first day of the term's `week` (1-based)."""
    return term_starts + timedelta(weeks=week - 1)


def entry_windows(starts_on: date, exams_start: date, exams_end: date, midterm_weeks: tuple[int, int]) -> EntryWindows:
    """AC-01: the default entry windows of a term from its dates and the year's midterm weeks."""
    r1 = week_starts(starts_on, midterm_weeks[0])
    r2 = week_starts(starts_on, midterm_weeks[1])
    fortnight = timedelta(days=13)
    return EntryWindows(
        r1_opens=r1,
        r1_closes=r1 + fortnight,
        r2_opens=r2,
        r2_closes=r2 + fortnight,
        exam_opens=exams_start,
        exam_closes=exams_end,
        fx_opens=exams_end + timedelta(days=1),
        fx_closes=exams_end + timedelta(days=7),
    )


@dataclass(frozen=True)
class TermDates:
    kind: str
    starts_on: date
    ends_on: date
    exams_start: date
    exams_end: date
    windows: EntryWindows


SUMMER_MIDTERM_WEEKS = (3, 6)


def default_calendar(start_year: int, midterm_weeks: tuple[int, int] = (7, 15)) -> list[TermDates]:
    """AC-01: from 2 September, two 15-week semesters each followed by a 3-week exam session,
    a two-week winter break, then the 6-week summer semester with a one-week session. Defaults only:
    the registrar edits the dates of each year."""

    def term(kind: str, start: date, weeks: int, exam_weeks: int, midterms: tuple[int, int]) -> TermDates:
        ends = start + timedelta(weeks=weeks) - timedelta(days=1)
        exams_start, exams_end = ends + timedelta(days=1), ends + timedelta(weeks=exam_weeks)
        windows = entry_windows(start, exams_start, exams_end, midterms)
        return TermDates(kind, start, ends, exams_start, exams_end, windows)

    def next_monday(day: date) -> date:
        return day + timedelta(days=(7 - day.weekday()) % 7 or 7)

    autumn = term("autumn", date(start_year, 9, 2), WEEKS_PER_SEMESTER, EXAM_SESSION_WEEKS, midterm_weeks)
    spring_starts = next_monday(autumn.exams_end + timedelta(weeks=2))
    spring = term("spring", spring_starts, WEEKS_PER_SEMESTER, EXAM_SESSION_WEEKS, midterm_weeks)
    summer = term("summer", next_monday(spring.exams_end), SUMMER_WEEKS, 1, SUMMER_MIDTERM_WEEKS)
    return [autumn, spring, summer]


# AC-18: tuition in tranches (citizens): 50 % by 25 August, 25 % by 30 November, 25 % by 31 March.
TRANCHES: tuple[tuple[int, int, Decimal], ...] = (
    (8, 25, Decimal("0.50")),
    (11, 30, Decimal("0.25")),
    (3, 31, Decimal("0.25")),
)
PENALTY_RATE_PER_DAY = Decimal("0.001")
TIYN = Decimal("0.01")


def handbook_tuition_schedule(start_year: int) -> list[tuple[date, Decimal]]:
    """AC-18: the handbook's due dates and shares for the academic year starting in `start_year`."""
    return [(date(start_year if month >= 8 else start_year + 1, month, day), share) for month, day, share in TRANCHES]


def split_tuition(amount: Decimal, schedule: Iterable[tuple[date, Decimal]]) -> list[tuple[date, Decimal]]:
    """AC-18: the contract amount split by the schedule's shares, to the tiyn; the last tranche takes the
    rounding remainder so the parts add up to the contract amount."""
    dates_shares = sorted(schedule)
    parts = [(due, (amount * share).quantize(TIYN, rounding=ROUND_HALF_UP)) for due, share in dates_shares[:-1]]
    parts.append((dates_shares[-1][0], amount - sum(p for _, p in parts)))
    return parts


def tuition_tranches(amount: Decimal, start_year: int) -> list[tuple[date, Decimal]]:
    """AC-18: due dates and amounts with the handbook's schedule (50 % / 25 % / 25 %)."""
    return split_tuition(amount, handbook_tuition_schedule(start_year))


def tuition_penalty(overdue: Decimal, days_late: int, rate: Decimal = PENALTY_RATE_PER_DAY) -> Decimal:
    """AC-18: 0.1 % of the overdue amount a day, never more than the overdue amount itself."""
    if overdue <= 0 or days_late <= 0:
        return Decimal("0.00")
    return min(overdue * rate * days_late, overdue).quantize(TIYN, rounding=ROUND_HALF_UP)


def one_month_after(day: date) -> date:
    """The same day next month, or that month's last day (31 January -> 28/29 February)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def listed_for_expulsion(due_on: date, today: date, still_unpaid: bool) -> bool:
    """AC-18: unpaid by the due date means no classes; unpaid for a month, the student is listed for expulsion."""
    return still_unpaid and today > one_month_after(due_on)


# AC-17: the state scholarship.
def letter_points(letter: str) -> Decimal:
    """The points of a letter of the scale (AC-05)."""
    for _lowest, scale_letter, points in LETTER_SCALE:
        if scale_letter == letter:
            return points
    raise ValueError(f"unknown letter {letter!r}")


def scholarship_eligible(
    state_grant: bool, first_semester_of_year_one: bool, session_letters: Iterable[str], policy: Policy | None = None
) -> bool:
    """AC-17: state-grant students only; every first-year grant student in the first semester;
    afterwards, every grade of the previous session C+ or better (the year's minimum letter)."""
    if not state_grant:
        return False
    if first_semester_of_year_one:
        return True
    minimum = letter_points((policy or HANDBOOK).scholarship_minimum_letter)
    letters = list(session_letters)
    return bool(letters) and all(letter_points(letter) >= minimum for letter in letters)


def previous_session(kind: str, start_year: int) -> tuple[str, int]:
    """AC-17: the semester whose exam session decides a semester's scholarship, as (kind, start year):
    autumn follows last year's spring, spring follows the autumn. Summer retakes are not a session, and the
    paid summer semester has no scholarship."""
    if kind == "summer":
        raise ValueError("the summer semester has no state scholarship")
    if kind == "spring":
        return "autumn", start_year
    return "spring", start_year - 1


# AC-15: the paid summer semester.
SUMMER_APPLICATION_DAYS_BEFORE = 10
SUMMER_MINIMUM_PAID = 8


def summer_application_in_time(applied_on: date, summer_starts: date) -> bool:
    """AC-15: an application at least 10 days before the summer semester starts."""
    return (summer_starts - applied_on).days >= SUMMER_APPLICATION_DAYS_BEFORE


def summer_course_opens(paid_applicants: int) -> bool:
    """AC-15: a summer course opens when at least 8 applicants have paid."""
    return paid_applicants >= SUMMER_MINIMUM_PAID


# AC-16: non-formal learning.
NONFORMAL_SHARE = Decimal("0.10")
NONFORMAL_MAX_CREDITS = 24


def nonformal_credit_limit(programme_credits: int) -> int:
    """AC-16: up to 10 % of the programme, and never more than 24 credits."""
    return min(int(programme_credits * NONFORMAL_SHARE), NONFORMAL_MAX_CREDITS)


def nonformal_recognition_refusals(
    already: int, requested: int, programme_credits: int, lecturer_agrees: bool, head_agrees: bool
) -> list[str]:
    """AC-16: why a recognition cannot be granted (empty: it can)."""
    reasons = []
    if already + requested > nonformal_credit_limit(programme_credits):
        reasons.append("over_limit")
    if not lecturer_agrees:
        reasons.append("lecturer_not_agreed")
    if not head_agrees:
        reasons.append("head_not_agreed")
    return reasons


def fx_becomes_f(next_period_starts: date, today: date, valid_reason: bool) -> bool:
    """AC-09: an FX not retaken before the next academic period starts becomes F, unless for a valid reason."""
    return today >= next_period_starts and not valid_reason


def difference_becomes_debt(period_end: date, today: date, cleared: bool) -> bool:
    """AC-20: an academic difference not cleared by the end of its academic period becomes academic debt."""
    return not cleared and today > period_end
