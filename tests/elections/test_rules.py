"""The pure election rules (EL-01, EL-03, EL-04, EL-05, EL-07, EL-08, EL-13, EL-15, EL-17)."""

from dataclasses import replace
from datetime import date, datetime, time

import pytest

from elections import rules
from elections.rules import Phase

ALMATY = rules.ALMATY


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), ALMATY)


@pytest.mark.parametrize(
    ("year", "day"),
    [(2024, date(2024, 9, 27)), (2025, date(2025, 9, 26)), (2026, date(2026, 9, 25)), (2027, date(2027, 9, 24))],
)
def test_el01_election_day_is_the_last_friday_of_september(year, day):
    assert rules.election_day(year) == day
    assert day.weekday() == 4 and day.month == 9 and (day.day + 7) > 30


def test_el01_last_friday_when_september_ends_on_a_friday():
    assert rules.election_day(2023) == date(2023, 9, 29)  # 30 September 2023 is a Saturday
    assert rules.election_day(2022) == date(2022, 9, 30)  # 30 September 2022 is a Friday


def test_el05_registration_closes_14_days_before_election_day():
    assert rules.registration_deadline(date(2026, 9, 25)) == date(2026, 9, 11)
    schedule = rules.Schedule(date(2026, 9, 25), date(2026, 9, 11))
    assert rules.registration_open(Phase.REGISTRATION, schedule, at(date(2026, 9, 11), 23, 59))
    assert not rules.registration_open(Phase.REGISTRATION, schedule, at(date(2026, 9, 12), 0, 0))
    assert not rules.registration_open(Phase.DRAFT, schedule, at(date(2026, 9, 1), 12))


SCHEDULE = rules.Schedule(date(2026, 9, 25), date(2026, 9, 11))


@pytest.mark.parametrize(
    ("moment", "phase"),
    [
        (at(date(2026, 9, 23), 23, 59), Phase.CAMPAIGN),
        (at(date(2026, 9, 24), 0, 0), Phase.SILENCE),
        (at(date(2026, 9, 25), 8, 59, 59), Phase.SILENCE),
        (at(date(2026, 9, 25), 9, 0), Phase.VOTING),
        (at(date(2026, 9, 25), 17, 59, 59), Phase.VOTING),
        (at(date(2026, 9, 25), 18, 0), Phase.COUNTING),
    ],
)
def test_el01_from_the_campaign_the_clock_moves_the_phase(moment, phase):
    assert rules.clock_phase(Phase.CAMPAIGN, SCHEDULE, moment) == phase
    # A stored phase ahead of the job changes nothing: the clock alone decides whether voting is open.
    assert rules.voting_open(Phase.VOTING, SCHEDULE, moment) == (phase == Phase.VOTING)


def test_el01_voting_hours_are_almaty_time_whatever_the_clock_zone():
    utc_0300 = datetime(2026, 9, 25, 3, 59, tzinfo=rules.ZoneInfo("UTC"))  # 08:59 in Almaty (UTC+5)
    utc_0400 = datetime(2026, 9, 25, 4, 0, tzinfo=rules.ZoneInfo("UTC"))
    assert not rules.voting_open(Phase.CAMPAIGN, SCHEDULE, utc_0300)
    assert rules.voting_open(Phase.CAMPAIGN, SCHEDULE, utc_0400)


def test_el01_the_clock_never_moves_a_draft_nor_undoes_the_commissions_acts():
    election_day = at(date(2026, 9, 25), 12)
    assert rules.clock_phase(Phase.DRAFT, SCHEDULE, election_day) == Phase.DRAFT
    assert rules.clock_phase(Phase.REGISTRATION, SCHEDULE, election_day) == Phase.REGISTRATION
    assert not rules.voting_open(Phase.REGISTRATION, SCHEDULE, election_day)
    assert rules.clock_phase(Phase.PUBLISHED, SCHEDULE, election_day) == Phase.PUBLISHED


def test_el08_campaign_blackout_covers_silence_day_and_election_day():
    assert not rules.campaign_blackout(SCHEDULE, at(date(2026, 9, 23), 23, 59))
    assert rules.campaign_blackout(SCHEDULE, at(date(2026, 9, 24), 0, 0))
    assert rules.campaign_blackout(SCHEDULE, at(date(2026, 9, 25), 23, 59))
    assert not rules.campaign_blackout(SCHEDULE, at(date(2026, 9, 26), 0, 0))


def test_el05_programme_of_at_most_100_words():
    hundred = " ".join(["сөз"] * 100)
    assert rules.word_count(hundred) == 100 and not rules.programme_too_long(hundred)
    assert rules.programme_too_long(hundred + " тағы")
    assert rules.word_count("Студенттік-үкімет, 2026 жыл!") == 3


def _record(**overrides):
    base = rules.CandidateRecord(
        year_of_study=3,
        enrolled=True,
        valid_sanctions=0,
        academic_debts=0,
        leadership_roles=("group_head",),
        consecutive_terms_held=0,
    )
    return replace(base, **overrides)


@pytest.mark.parametrize("year", [2, 3, 4])
def test_el03_students_in_years_2_to_4_may_stand(year):
    assert rules.ineligibility_reasons(_record(year_of_study=year)) == []


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"year_of_study": 1}, "year_of_study"),
        ({"year_of_study": 5}, "year_of_study"),
        ({"valid_sanctions": 1}, "sanction"),
        ({"academic_debts": 2}, "academic_debt"),
        ({"leadership_roles": ()}, "no_leadership"),
        ({"enrolled": False}, "not_enrolled"),
        ({"consecutive_terms_held": 2}, "term_limit"),
    ],
)
def test_el03_el04_each_reason_against_a_candidacy(overrides, reason):
    assert rules.ineligibility_reasons(_record(**overrides)) == [reason]


def test_el04_a_sitting_president_may_run_for_a_second_term_not_a_third():
    assert rules.consecutive_terms({2025}, 2026) == 1
    assert rules.ineligibility_reasons(_record(consecutive_terms_held=1)) == []
    assert rules.consecutive_terms({2024, 2025}, 2026) == 2
    assert rules.consecutive_terms({2023, 2025}, 2026) == 1  # a gap breaks the run
    assert rules.consecutive_terms({2024}, 2026) == 0


def test_el13_kazakh_alphabetical_order_not_code_points():
    names = [
        "Smith John",
        "Іскақов Бауыржан",
        "Бекова Әйгерім",
        "Үмбетов Дана",
        "Ұлықов Ерлан",
        "Әбенов Арман",
        "Аманов Болат",
        "Ким Роман",
        "Кимов Арман",
        "Қасымов Ғалым",
        "Әбенов Азат",
    ]
    assert sorted(names, key=rules.kazakh_sort_key) == [
        "Аманов Болат",
        "Әбенов Азат",
        "Әбенов Арман",
        "Бекова Әйгерім",
        "Ким Роман",
        "Кимов Арман",
        "Қасымов Ғалым",
        "Ұлықов Ерлан",
        "Үмбетов Дана",
        "Іскақов Бауыржан",
        "Smith John",
    ]
    assert sorted(names) != sorted(names, key=rules.kazakh_sort_key)  # code-point order differs


def test_el17_most_votes_win_whatever_the_turnout():
    assert rules.outcome({1: 3, 2: 7, 3: 5}) == rules.Outcome(winner=2, runoff=())
    assert rules.outcome({1: 1, 2: 0}) == rules.Outcome(winner=1, runoff=())


def test_el17_a_tie_for_first_place_goes_to_a_runoff_between_the_tied():
    assert rules.outcome({1: 7, 2: 7, 3: 5}) == rules.Outcome(winner=None, runoff=(1, 2))
    assert rules.outcome({1: 5, 2: 7, 3: 5}).winner == 2  # a tie below first place decides nothing


def test_el07_a_single_candidate_needs_more_for_than_against():
    assert rules.outcome({4: 51}, against=50).winner == 4
    rejected = rules.outcome({4: 50}, against=50)
    assert rejected.winner is None and rejected.single_candidate_rejected and rejected.runoff == ()


def test_el15_paper_totals_must_add_up_to_the_ballots_found():
    assert rules.paper_totals_consistent([10, 7], against=0, invalid=2, unknown_form=1, found=20)
    assert not rules.paper_totals_consistent([10, 7], against=0, invalid=2, unknown_form=1, found=21)
