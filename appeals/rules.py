"""Pure rules of applications and appeals (AP-05 to AP-08, AP-14, AP-19, AP-22).

Working days come from `portal.workdays` (PT-04), which reads the decree overrides; everything else
here is plain values in and plain values out.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from portal import workdays

ANSWER_DAYS = 15  # AP-06
EXTENDED_DAYS = 30  # AP-06: in all, counted from the same day
EXTENSION_NOTICE_DAYS = 3  # AP-06: the applicant is told within 3 working days
RETURN_DAYS = 3  # AP-07
HEARING_DAYS = 3  # AP-22
HIGHER_APPEAL_MONTHS = 3  # AP-14
REMINDER_DAYS = (3, 1)  # AP-19: working days before the deadline
OFFICE_OPENS = time(9, 0)
OFFICE_CLOSES = time(18, 0)
# Calendar days that always hold a registration day and 15 working days after it (the longest run of days
# off is about a week, at New Year or Nauryz).
CALENDAR_SPAN_DAYS = 90


def registration_day(received_at: datetime) -> date:
    """AP-06: the day of registration. Received on a day off or outside office hours (local time),
    it is registered on the next working day."""
    return registration_dates(received_at)[0]


def registration_dates(received_at: datetime) -> tuple[date, date]:
    """AP-04, AP-06: the registration day and the answer's due date, 15 working days on; the decree
    calendar is read once for both (a filing asks for them together)."""
    day = received_at.date()
    calendar = workdays.WorkdaySpan(day, day + timedelta(days=CALENDAR_SPAN_DAYS))
    if received_at.time() >= OFFICE_CLOSES:
        day = calendar.add_working_days(day, 1)
    elif received_at.time() < OFFICE_OPENS or not calendar.is_working_day(day):
        while not calendar.is_working_day(day):
            day += timedelta(days=1)
    return day, calendar.add_working_days(day, ANSWER_DAYS)


def act_day(registered_on: date, today: date) -> date:
    """AP-04, AP-06: the date an act on a case bears. A case received after 18:00 or on a day off is
    registered on the next working day; whatever the dean does that evening (an answer, a return, an
    order, a hearing) is dated on the registration day, never before it."""
    return max(today, registered_on)


def answer_due(submitted_on: date, extended: bool = False) -> date:
    """AP-06: 15 working days after submission (the day itself not counted); 30 if extended."""
    return workdays.add_working_days(submitted_on, EXTENDED_DAYS if extended else ANSWER_DAYS)


def latest_extension(submitted_on: date) -> date:
    """AP-06: the furthest an answer can be put off: 30 working days from the same day."""
    return answer_due(submitted_on, extended=True)


def extension_notice_due(extended_on: date) -> date:
    """AP-06: the applicant is told of an extension within 3 working days."""
    return workdays.add_working_days(extended_on, EXTENSION_NOTICE_DAYS)


def return_due(submitted_on: date) -> date:
    """AP-07: an application without substance goes back within 3 working days."""
    return workdays.add_working_days(submitted_on, RETURN_DAYS)


def hearing_answer_due(sent_on: date) -> date:
    """AP-22: the applicant may answer an intended refusal within 3 working days."""
    return workdays.add_working_days(sent_on, HEARING_DAYS)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day if it has fewer days (31 May + 3 = 31 Aug)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def higher_appeal_deadline(learned_on: date) -> date:
    """AP-14: a decision or inaction is appealed within 3 months of learning of it."""
    return add_months(learned_on, HIGHER_APPEAL_MONTHS)


def higher_appeal_is_late(learned_on: date, filed_on: date) -> bool:
    """AP-14: late appeals are still accepted; the delay is examined (the reason is then required)."""
    return filed_on > higher_appeal_deadline(learned_on)


@dataclass(frozen=True)
class DeadlineState:
    """How a case stands against its deadline on a given day (AP-09 dashboard, AP-19 reminders)."""

    working_days_left: int  # negative when overdue
    overdue: bool
    due_soon: bool


def deadline_state(deadline: date, today: date) -> DeadlineState:
    """Due soon = 3 working days or fewer left; overdue = the deadline has passed."""
    if today > deadline:
        return DeadlineState(-workdays.working_days_between(deadline, today), True, False)
    left = workdays.working_days_between(today, deadline)
    return DeadlineState(left, False, left <= REMINDER_DAYS[0])


def reminder_threshold(deadline: date, today: date) -> str | None:
    """AP-19: which reminder is due today: "d3", "d1", "d0" (the deadline is today) or "overdue"."""
    if today > deadline:
        return "overdue"
    left = workdays.working_days_between(today, deadline)
    if left == 0:
        return "d0"
    if left <= 1:
        return "d1"
    if left <= 3:
        return "d3"
    return None


_WORD = re.compile(r"\w+", re.UNICODE)
MIN_WORD = 4
REPEAT_SIMILARITY = 0.5


def matter_words(text: str) -> frozenset[str]:
    """The words that carry a matter: lower case, at least 4 letters, first 6 letters (a crude stem that
    is enough for Kazakh and Russian endings)."""
    return frozenset(w.lower()[:6] for w in _WORD.findall(text) if len(w) >= MIN_WORD and not w.isdigit())


def matter_similarity(a: str, b: str) -> float:
    """AP-08: how much two applications' wording overlaps (Jaccard over matter words), 0..1."""
    wa, wb = matter_words(a), matter_words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def looks_repeated(new_text: str, earlier_text: str) -> bool:
    """AP-08: the portal offers termination when a new application reads like an answered earlier one;
    the dean decides whether it brings new arguments."""
    return matter_similarity(new_text, earlier_text) >= REPEAT_SIMILARITY


MIN_TEXT_CHARS = 20
MAX_TEXT_CHARS = 10_000


def delivery_methods(applicant_type: str, represented: bool) -> tuple[str, ...]:
    """AP-15: how an answer may be delivered. Students: in person against signature or by post; legal
    representatives: by post or in person; staff: in person and by corporate e-mail. Showing it in the
    portal is always allowed as well, never instead."""
    if applicant_type == "staff":
        return ("in_person", "email", "portal")
    if applicant_type == "student" or represented:
        return ("in_person", "post", "portal")
    return ()
