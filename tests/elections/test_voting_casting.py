"""Issue 4: the casting statement (elections/services/casting.py) stores exactly what the ORM path of
`voting.cast_ballot` stores, the participation's audit row included (EL-12, EL-14), and the ORM path,
which other databases take, still casts and refuses."""

import re
import uuid
from typing import Any

import pytest
from django.db import connection
from django.utils.translation import gettext

from elections.errors import ElectionError
from elections.models import Ballot, Participation
from elections.services import casting, voting
from tests.elections.factories import at
from tests.elections.voting_support import DAY, freeze, set_clock, voter, voting_election

pytestmark = pytest.mark.django_db

History = Participation.history.model


def _orm_only(monkeypatch) -> None:
    monkeypatch.setattr(casting, "supported", lambda: False)


def _rows(student_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The voter's participation and its audit row as stored, without their keys and the voter."""
    participation: dict[str, Any] = dict(Participation.objects.filter(student_id=student_id).values().get())
    audit: dict[str, Any] = dict(History.objects.filter(student_id=student_id).values().get())
    assert audit.pop("id") == participation.pop("id") and audit.pop("history_id")
    participation.pop("student_id")
    audit.pop("student_id")
    return participation, audit


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the single statement runs on Postgres only")
def test_the_casting_statement_stores_what_the_orm_path_stores(monkeypatch):
    """Two voters of the same group, one through each path: the same participation columns (online, the
    time of the cast, nobody recording it, no document), the same audit row (created, by the voter, at the
    wall-clock time) and a ballot with a random UUID key, a receipt code and nothing else."""
    set_clock(monkeypatch, at(DAY, 10))
    election = voting_election(candidates=2)
    fast = voter()
    slow = voter(group=fast.group)
    freeze(election)
    first, second = voting.ballot_choices(election)

    fast_receipt = voting.cast_ballot(fast.user, election, str(first.pk), at(DAY, 10, 5))
    with monkeypatch.context() as patch:
        _orm_only(patch)
        slow_receipt = voting.cast_ballot(slow.user, election, str(second.pk), at(DAY, 10, 5))

    fast_participation, fast_audit = _rows(fast.pk)
    slow_participation, slow_audit = _rows(slow.pk)
    assert fast_participation == slow_participation
    assert fast_participation["channel"] == "online" and fast_participation["recorded_at"] == at(DAY, 10, 5)
    assert fast_audit.pop("history_user_id") == fast.user.pk and slow_audit.pop("history_user_id") == slow.user.pk
    assert fast_audit == slow_audit
    assert fast_audit["history_type"] == "+" and fast_audit["history_change_reason"] is None
    assert fast_audit["history_date"] == at(DAY, 10)  # the clock, as django-simple-history stamps it
    ballots = {b.receipt: b for b in Ballot.objects.filter(election=election)}
    assert set(ballots) == {fast_receipt, slow_receipt}
    assert ballots[fast_receipt].candidate == first and not ballots[fast_receipt].against
    assert ballots[slow_receipt].candidate == second
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", fast_receipt)
    assert uuid.UUID(str(ballots[fast_receipt].pk)).version == 4


def test_the_casting_statement_writes_every_column_of_the_participation_and_its_audit_row():
    """A column added to `Participation` (and so to its history) must be written by the casting statement
    too: this lists what the statement writes."""
    tracked = {
        "id",
        "election_id",
        "student_id",
        "institute_id",
        "channel",
        "recorded_at",
        "recorded_by_id",
        "id_document",
    }
    audit = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}
    assert {f.column for f in Participation._meta.concrete_fields} == tracked
    assert {f.column for f in History._meta.concrete_fields} == tracked | audit
    statement = casting._statement()
    for column in tracked | audit - {"history_id"}:
        assert column in statement, column


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the single statement runs on Postgres only")
def test_against_is_cast_in_one_statement_only_with_a_single_candidate(monkeypatch):
    """EL-07: "against" passes the statement's check with one registered candidate and not with two."""
    set_clock(monkeypatch, at(DAY, 10))
    single, double = voting_election(candidates=1), voting_election(candidates=2)
    student = voter()
    freeze(single)
    freeze(double)
    assert casting.write_online_vote(student.user, double, None, True, at(DAY, 10)) is None
    assert casting.write_online_vote(student.user, single, None, True, at(DAY, 10))
    ballot = Ballot.objects.get()
    assert ballot.election == single and ballot.against and ballot.candidate is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the single statement runs on Postgres only")
def test_the_statement_writes_nothing_off_the_roll_or_for_a_choice_not_on_the_ballot(monkeypatch):
    """The statement's own checks (the ORM path then gives the reason): a student not on the roll, a
    candidate of another election, a staff member."""
    set_clock(monkeypatch, at(DAY, 10))
    election, other = voting_election(candidates=2), voting_election(candidates=2)
    student = voter()
    freeze(election)
    late = voter()
    first = voting.ballot_choices(election)[0]
    elsewhere = voting.ballot_choices(other)[0]
    assert casting.write_online_vote(late.user, election, first.pk, False, at(DAY, 10)) is None
    assert casting.write_online_vote(student.user, election, elsewhere.pk, False, at(DAY, 10)) is None
    assert not Participation.objects.exists() and not Ballot.objects.exists()


@pytest.mark.parametrize("choice", ["against", "0", "01", "99999999999999999999999", "١"])
def test_a_choice_that_is_no_candidate_id_is_refused_on_either_path(monkeypatch, choice):
    """EL-07: "against" with two candidates, zero, a leading zero, past bigint, a non-ASCII digit."""
    set_clock(monkeypatch, at(DAY, 10))
    election = voting_election(candidates=2)
    student = voter()
    freeze(election)
    for orm_only in (False, True):
        with monkeypatch.context() as patch:
            if orm_only:
                _orm_only(patch)
            with pytest.raises(ElectionError):
                voting.cast_ballot(student.user, election, choice, at(DAY, 10))
    assert not Participation.objects.exists() and not Ballot.objects.exists()


def test_the_orm_path_casts_once_and_refuses_a_second_ballot(monkeypatch):
    """EL-12 on a database without the single statement (SQLite in the embedded default)."""
    set_clock(monkeypatch, at(DAY, 10))
    _orm_only(monkeypatch)
    election = voting_election(candidates=2)
    student = voter()
    freeze(election)
    first, second = voting.ballot_choices(election)
    receipt = voting.cast_ballot(student.user, election, str(first.pk), at(DAY, 10))
    with pytest.raises(ElectionError) as refused:
        voting.cast_ballot(student.user, election, str(second.pk), at(DAY, 10))
    assert str(refused.value) == gettext("You have already voted in this election; a ballot cannot be changed.")
    assert list(Ballot.objects.values_list("receipt", "candidate")) == [(receipt, first.pk)]
    assert History.objects.get(student=student).history_user == student.user
