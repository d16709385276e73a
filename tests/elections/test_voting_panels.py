"""The student board's elections panel and the commission board's voting-day panel."""

from datetime import timedelta

import pytest

from elections import rules
from elections.models import Election
from elections.services import voting
from tests.elections.factories import at
from tests.elections.voting_support import DAY, chair, client_for, freeze, set_clock, shown, voter, voting_election

pytestmark = pytest.mark.django_db


def _board(student) -> str:
    return client_for(student.user).get("/dashboard/student/").content.decode()


def test_student_board_shows_the_date_and_hours_before_voting(monkeypatch):
    set_clock(monkeypatch, at(DAY - timedelta(days=5), 12))
    voting_election(candidates=2)
    student = voter()
    response = client_for(student.user).get("/dashboard/student/")
    assert 'id="panel-voting"' in response.content.decode()
    assert shown(
        response,
        "Election day: %(day)s, voting from %(opens)s to %(closes)s.",
        day="25.09.2026",
        opens="09:00",
        closes="18:00",
    )
    assert 'id="vote-button"' not in response.content.decode()


def test_student_board_shows_a_vote_button_while_voting_is_open(monkeypatch):
    set_clock(monkeypatch, at(DAY, 10))
    election = voting_election(candidates=2)
    body = _board(voter())
    assert f'id="vote-button" href="/elections/{election.pk}/ballot/"' in body


def test_student_board_says_you_voted_and_no_button_after_voting(monkeypatch):
    set_clock(monkeypatch, at(DAY, 10))
    election = voting_election(candidates=2)
    student = voter()
    voting.cast_ballot(student.user, election, str(voting.ballot_choices(election)[0].pk), at(DAY, 10))
    response = client_for(student.user).get("/dashboard/student/")
    assert 'id="voting-voted"' in response.content.decode() and 'id="vote-button"' not in response.content.decode()
    assert shown(response, "You have voted online.")


def test_student_board_has_no_elections_panel_without_a_published_list(monkeypatch):
    set_clock(monkeypatch, at(DAY, 10))
    voting_election(candidates=2, phase=rules.Phase.REGISTRATION)
    assert 'id="panel-voting"' not in _board(voter())


def test_student_board_after_the_election_says_voting_is_closed(monkeypatch):
    set_clock(monkeypatch, at(DAY, 19))
    election = voting_election(candidates=2)
    Election.objects.filter(pk=election.pk).update(phase=rules.Phase.PUBLISHED.name)
    body = _board(voter())
    assert 'id="panel-voting"' in body and 'id="vote-button"' not in body


def test_commission_board_links_the_voting_day_pages(monkeypatch):
    set_clock(monkeypatch, at(DAY, 10))
    election = voting_election(candidates=2)
    voter()
    freeze(election)
    body = client_for(chair(election)).get("/dashboard/commission/").content.decode()
    assert 'id="panel-commission-voting"' in body
    for name in ("pollbook", "turnout", "roll"):
        assert f'href="/elections/{election.pk}/{name}/"' in body
