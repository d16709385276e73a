"""Pure election rules (EL-01, EL-03, EL-04, EL-05, EL-07, EL-13, EL-17): plain values in, plain values out.

Times are aware datetimes in Asia/Almaty; voting is open from 09:00 (inclusive) to 18:00 (exclusive)
on election day: `VOTING_OPENS` and `VOTING_CLOSES` are the defaults of the hours each election stores.
Every "is voting open" check goes through `voting_open`, which reads the clock, never a stored phase
alone: a late scheduled job cannot let a ballot in after closing time.
"""

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import IntEnum
from zoneinfo import ZoneInfo

from portal import text

ALMATY = ZoneInfo("Asia/Almaty")
VOTING_OPENS = time(9, 0)
VOTING_CLOSES = time(18, 0)
REGISTRATION_DAYS_BEFORE = 14  # EL-05
PROGRAMME_MAX_WORDS = 100  # EL-05, Appendix 1
CANDIDATE_YEARS = (2, 3, 4)  # EL-03
MAX_CONSECUTIVE_TERMS = 2  # EL-04


class Phase(IntEnum):
    """EL-01: the phases in order. Stored as their names; compared by their order."""

    DRAFT = 0
    REGISTRATION = 1
    CAMPAIGN = 2
    SILENCE = 3
    VOTING = 4
    COUNTING = 5
    PROTOCOL_SIGNED = 6
    PUBLISHED = 7


def at_almaty(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware Almaty datetime on `day`."""
    return datetime.combine(day, time(hour, minute), ALMATY)


def election_day(year: int) -> date:
    """EL-01: the default election day, the last Friday of September of `year`."""
    last = date(year, 9, calendar.monthrange(year, 9)[1])
    return last - timedelta(days=(last.weekday() - calendar.FRIDAY) % 7)


def registration_deadline(election_day: date) -> date:
    """EL-05: candidate registration closes 14 days before election day (the deadline is the last day)."""
    return election_day - timedelta(days=REGISTRATION_DAYS_BEFORE)


def silence_day(election_day: date) -> date:
    """EL-08: the day before election day; campaigning ends when it begins."""
    return election_day - timedelta(days=1)


@dataclass(frozen=True)
class Schedule:
    """The clock boundaries of one election, as aware datetimes."""

    election_day: date
    registration_deadline: date
    opens: time = VOTING_OPENS
    closes: time = VOTING_CLOSES

    @property
    def registration_closes_at(self) -> datetime:
        return datetime.combine(self.registration_deadline + timedelta(days=1), time(0), ALMATY)

    @property
    def silence_starts_at(self) -> datetime:
        return datetime.combine(silence_day(self.election_day), time(0), ALMATY)

    @property
    def voting_opens_at(self) -> datetime:
        return datetime.combine(self.election_day, self.opens, ALMATY)

    @property
    def voting_closes_at(self) -> datetime:
        return datetime.combine(self.election_day, self.closes, ALMATY)

    @property
    def campaign_blackout_ends_at(self) -> datetime:
        """EL-08: no campaign material from the start of silence day to the end of election day."""
        return datetime.combine(self.election_day + timedelta(days=1), time(0), ALMATY)


def clock_phase(stored: Phase, schedule: Schedule, now: datetime) -> Phase:
    """EL-01: the phase the clock has reached. Before the candidate list is published (CAMPAIGN) only
    the commission moves the election; from then on silence day, voting and counting come by the clock,
    and the commission's later acts (protocol signed, results published) are never undone by it."""
    if stored < Phase.CAMPAIGN or stored >= Phase.COUNTING:
        return stored
    if now >= schedule.voting_closes_at:
        by_clock = Phase.COUNTING
    elif now >= schedule.voting_opens_at:
        by_clock = Phase.VOTING
    elif now >= schedule.silence_starts_at:
        by_clock = Phase.SILENCE
    else:
        by_clock = Phase.CAMPAIGN
    return max(stored, by_clock)


def voting_open(stored: Phase, schedule: Schedule, now: datetime) -> bool:
    """EL-01, EL-12: ballots are accepted only on election day, 09:00 to 18:00 Almaty time, once the
    candidate list is published. The window is checked on its own as well: a phase stored early (by
    hand, or by a job whose clock runs fast) opens nothing before 09:00."""
    in_window = schedule.voting_opens_at <= now < schedule.voting_closes_at
    return in_window and clock_phase(stored, schedule, now) == Phase.VOTING


def campaign_blackout(schedule: Schedule, now: datetime) -> bool:
    """EL-08: on silence day and election day material is hidden and none can be added."""
    return schedule.silence_starts_at <= now < schedule.campaign_blackout_ends_at


def registration_open(stored: Phase, schedule: Schedule, now: datetime) -> bool:
    """EL-05: candidates apply while the election is in registration and the deadline has not passed."""
    return stored == Phase.REGISTRATION and now < schedule.registration_closes_at


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of letters or digits (hyphenated words count once)."""
    return len(re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", text))


def programme_too_long(text: str) -> bool:
    """EL-05: the election programme (Appendix 1) has at most 100 words."""
    return word_count(text) > PROGRAMME_MAX_WORDS


@dataclass(frozen=True)
class CandidateRecord:
    """What EL-03/EL-04 look at, read from academics and the role history by the services."""

    year_of_study: int
    enrolled: bool
    valid_sanctions: int
    academic_debts: int
    leadership_roles: tuple[str, ...]
    consecutive_terms_held: int


def ineligibility_reasons(record: CandidateRecord) -> list[str]:
    """EL-03, EL-04: the reasons a student cannot stand, as codes (empty when eligible).

    Codes: not_enrolled, year_of_study, sanction, academic_debt, no_leadership, term_limit.
    """
    reasons = []
    if not record.enrolled:
        reasons.append("not_enrolled")
    if record.year_of_study not in CANDIDATE_YEARS:
        reasons.append("year_of_study")
    if record.valid_sanctions:
        reasons.append("sanction")
    if record.academic_debts:
        reasons.append("academic_debt")
    if not record.leadership_roles:
        reasons.append("no_leadership")
    if record.consecutive_terms_held >= MAX_CONSECUTIVE_TERMS:
        reasons.append("term_limit")
    return reasons


def consecutive_terms(held_start_years: Iterable[int], election_start_year: int) -> int:
    """EL-04: how many terms in a row the person has held the office right before the academic year
    starting in `election_start_year` (a sitting president has 1 and may run again; 2 may not)."""
    held = set(held_start_years)
    count = 0
    year = election_start_year - 1
    while year in held:
        count += 1
        year -= 1
    return count


def kazakh_sort_key(full_name: str) -> tuple[tuple[int, int], ...]:
    """EL-13: the sort key of "Surname Name Patronymic" in the Kazakh Cyrillic alphabet's order (А Ә Б ... Я),
    not code-point order; case-insensitive; names in Latin letters after Cyrillic ones. Surname first: a
    space sorts before any letter, so "Ким Роман" comes before "Кимов Арман"."""
    return text.kazakh_sort_key(" ".join(full_name.split()))


@dataclass(frozen=True)
class Outcome:
    """EL-17: who won, or which candidates go to a run-off."""

    winner: int | None
    runoff: tuple[int, ...]
    single_candidate_rejected: bool = False


def outcome(votes: dict[int, int], *, against: int = 0) -> Outcome:
    """EL-07, EL-17: the most votes win whatever the turnout; a tie for first place means a run-off
    between the tied candidates. With a single candidate, "for" must exceed "against"."""
    if not votes:
        return Outcome(winner=None, runoff=())
    if len(votes) == 1:
        ((candidate, for_votes),) = votes.items()
        if for_votes > against:
            return Outcome(winner=candidate, runoff=())
        return Outcome(winner=None, runoff=(), single_candidate_rejected=True)
    top = max(votes.values())
    leaders = tuple(sorted(c for c, v in votes.items() if v == top))
    if len(leaders) == 1:
        return Outcome(winner=leaders[0], runoff=())
    return Outcome(winner=None, runoff=leaders)


def paper_totals_consistent(
    per_candidate: Sequence[int], against: int, invalid: int, unknown_form: int, found: int
) -> bool:
    """EL-15: the ballots found in the box are exactly those counted for someone, against, invalid or
    of an unknown form."""
    return sum(per_candidate) + against + invalid + unknown_form == found
