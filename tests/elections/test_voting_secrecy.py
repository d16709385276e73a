"""EL-14 secrecy, EL-12 one vote per voter, EL-01 hours and EL-11 roll, at the service level."""

import uuid

import pytest
from django.apps import apps
from django.db import connection, models
from django.test import Client
from django.utils import translation
from simple_history.models import registered_models

from elections import rules
from elections.errors import ElectionError
from elections.models import Ballot, Election, Participation
from elections.services import voting
from portal.models import Programme
from tests.elections.factories import at
from tests.elections.voting_support import DAY, chair, client_for, freeze, set_clock, voter, voting_election

pytestmark = pytest.mark.django_db

REMOTE_ADDR = "203.0.113.77"


def test_el14_ballot_columns_are_only_id_election_candidate_against_receipt():
    """EL-14: no column references a person or an address or holds a time or a sequence."""
    fields = {f.name: f for f in Ballot._meta.concrete_fields}
    assert set(fields) == {"id", "election", "candidate", "against", "receipt"}
    assert isinstance(fields["id"], models.UUIDField) and fields["id"].default is uuid.uuid4
    assert not any(isinstance(f, models.DateField | models.GenericIPAddressField) for f in fields.values())
    assert fields["election"].related_model is Election
    assert fields["candidate"].related_model is apps.get_model("elections", "Candidate")
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, Ballot._meta.db_table)}
    assert columns == {"id", "election_id", "candidate_id", "against", "receipt"}


def test_el14_ballot_has_no_history():
    """EL-14: ballots are never audited: no history model, no history manager."""
    assert not hasattr(Ballot, "history")
    with pytest.raises(LookupError):
        apps.get_model("elections", "HistoricalBallot")
    assert Ballot not in registered_models.values()


def test_el14_participation_stores_no_choice():
    """EL-14: who voted holds nothing of what was chosen: no candidate, no ballot, no receipt."""
    models_of_participation = [Participation, Participation.history.model]
    for model in models_of_participation:
        for field in model._meta.concrete_fields:
            assert field.name not in ("candidate", "ballot", "receipt", "against", "choice")
            assert getattr(field, "related_model", None) not in (Ballot, apps.get_model("elections", "Candidate"))


def _cast_many(election: Election, n: int) -> list[str]:
    students = [voter() for _ in range(n)]
    freeze(election)
    choices = [str(c.pk) for c in voting.ballot_choices(election)]
    return [
        voting.cast_ballot(s.user, election, choices[i % len(choices)], at(DAY, 10, i % 60))
        for i, s in enumerate(students)
    ]


def test_el14_ballot_ids_are_random_not_in_insertion_order():
    """EL-14: a ballot's key is a random (version 4) UUID: sorting by it does not give the order of casting."""
    election = voting_election(candidates=2)
    receipts_in_cast_order = _cast_many(election, 30)
    by_id = list(Ballot.objects.filter(election=election).order_by("id").values_list("receipt", flat=True))
    assert sorted(by_id) == sorted(receipts_in_cast_order)
    assert by_id != receipts_in_cast_order
    assert all(b.id.version == 4 for b in Ballot.objects.filter(election=election))


def test_el14_the_voters_address_is_stored_nowhere_in_the_elections_tables(monkeypatch):
    """EL-14: after an online vote and a receipt check from REMOTE_ADDR, no row of any elections table
    (history tables included) holds the address."""
    set_clock(monkeypatch, at(DAY, 10))
    election = voting_election(candidates=2)
    student = voter()
    client = Client(REMOTE_ADDR=REMOTE_ADDR)
    client.force_login(student.user)
    choice = voting.ballot_choices(election)[0].pk
    response = client.post(f"/elections/{election.pk}/ballot/", {"step": "cast", "choice": choice})
    receipt = Ballot.objects.get(election=election).receipt
    assert receipt in response.content.decode()
    Client(REMOTE_ADDR=REMOTE_ADDR).post(f"/elections/{election.pk}/receipt/", {"code": "ZZZZ-ZZZZ-ZZZZ"})
    assert Participation.objects.filter(election=election).exists()
    scanned = 0
    for model in apps.get_app_config("elections").get_models():
        names = [f.attname for f in model._meta.concrete_fields]
        for row in model.objects.values_list(*names):  # type: ignore[attr-defined]
            scanned += 1
            assert REMOTE_ADDR not in " ".join(str(v) for v in row), model.__name__
    assert scanned > 5


def test_el12_service_refuses_a_second_ballot_from_either_channel():
    """EL-12: online then online, online then paper, paper then online: each second one refused, one row."""
    election = voting_election(candidates=2)
    online, paper = voter(), voter()
    freeze(election)
    choice = str(voting.ballot_choices(election)[0].pk)
    voting.cast_ballot(online.user, election, choice, at(DAY, 10))
    with pytest.raises(ElectionError):
        voting.cast_ballot(online.user, election, choice, at(DAY, 10, 1))
    with pytest.raises(ElectionError):
        voting.issue_paper_ballot(chair(election), election, online, "X1", at(DAY, 10, 2))
    voting.issue_paper_ballot(chair(election), election, paper, "X2", at(DAY, 10, 3))
    with pytest.raises(ElectionError):
        voting.cast_ballot(paper.user, election, choice, at(DAY, 10, 4))
    assert Ballot.objects.filter(election=election).count() == 1
    assert sorted(Participation.objects.values_list("channel", flat=True)) == ["online", "paper"]


@pytest.mark.parametrize("when", [(8, 59), (18, 0)])
def test_el01_ballot_refused_outside_hours_even_when_the_stored_phase_says_voting(when):
    """EL-01: at 08:59 and at 18:00:00 the clock refuses the ballot although the job stored VOTING."""
    election = voting_election(candidates=2, phase=rules.Phase.VOTING)
    student = voter()
    freeze(election)
    with pytest.raises(ElectionError):
        voting.cast_ballot(student.user, election, str(voting.ballot_choices(election)[0].pk), at(DAY, *when))
    assert not Ballot.objects.exists() and not Participation.objects.exists()


def test_el01_ballot_accepted_at_09_00():
    election = voting_election(candidates=2)
    student = voter()
    voting.cast_ballot(student.user, election, str(voting.ballot_choices(election)[0].pk), at(DAY, 9))
    assert Ballot.objects.count() == 1


def test_el01_voting_open_is_the_clock_window_whatever_the_stored_phase():
    """EL-01: a phase stored early opens nothing before 09:00; a late job keeps nothing open after 18:00."""
    schedule = rules.Schedule(election_day=DAY, registration_deadline=rules.registration_deadline(DAY))
    for stored in (rules.Phase.CAMPAIGN, rules.Phase.SILENCE, rules.Phase.VOTING):
        assert not rules.voting_open(stored, schedule, at(DAY, 8, 59))
        assert rules.voting_open(stored, schedule, at(DAY, 9))
        assert rules.voting_open(stored, schedule, at(DAY, 17, 59))
        assert not rules.voting_open(stored, schedule, at(DAY, 18))
    assert not rules.voting_open(rules.Phase.VOTING, schedule, at(DAY, 10).replace(day=DAY.day - 1))
    assert not rules.voting_open(rules.Phase.REGISTRATION, schedule, at(DAY, 10))


def test_el11_student_enrolled_after_the_roll_froze_is_refused():
    election = voting_election(candidates=2)
    freeze(election)
    late = voter()
    with pytest.raises(ElectionError):
        voting.cast_ballot(late.user, election, str(voting.ballot_choices(election)[0].pk), at(DAY, 10))
    assert not Participation.objects.exists()


def test_el11_masters_student_refused_when_only_bachelors_vote():
    election = voting_election(candidates=2)
    Election.objects.filter(pk=election.pk).update(voter_levels=[Programme.Level.BACHELOR])
    election.refresh_from_db()
    master = voter(group__programme__level=Programme.Level.MASTER)
    with pytest.raises(ElectionError):
        voting.cast_ballot(master.user, election, str(voting.ballot_choices(election)[0].pk), at(DAY, 10))
    assert not Participation.objects.exists()


def test_el12_staff_member_cannot_cast_through_the_service():
    election = voting_election(candidates=2)
    freeze(election)
    with pytest.raises(ElectionError):
        voting.cast_ballot(chair(election), election, str(voting.ballot_choices(election)[0].pk), at(DAY, 10))
    assert not Ballot.objects.exists()


def test_el14_session_keeps_neither_the_receipt_nor_the_choice(monkeypatch):
    set_clock(monkeypatch, at(DAY, 10))
    election = voting_election(candidates=2)
    student = voter()
    client = client_for(student.user)
    choice = voting.ballot_choices(election)[1]
    client.post(f"/elections/{election.pk}/ballot/", {"step": "confirm", "choice": choice.pk})
    client.post(f"/elections/{election.pk}/ballot/", {"step": "cast", "choice": choice.pk})
    receipt = Ballot.objects.get().receipt
    stored = " ".join(f"{k}={v}" for k, v in client.session.items())
    assert receipt not in stored and "choice" not in stored


@pytest.mark.django_db(transaction=True)
def test_el14_after_voting_the_ballot_tables_storage_does_not_follow_the_order_of_casting():
    """EL-14: once scrubbed, the rows are stored in the order of their random keys (Postgres: ctid after
    CLUSTER, one shared xmin; SQLite: rowid), not in the order the ballots were cast."""
    election = voting_election(candidates=2)
    cast_order = _cast_many(election, 30)
    voting.scrub_ballot_order(election)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = "SELECT receipt, xmin::text FROM elections_ballot WHERE election_id = %s ORDER BY ctid"
        else:
            sql = "SELECT receipt, 0 FROM elections_ballot WHERE election_id = %s ORDER BY rowid"
        cursor.execute(sql, [election.pk])
        rows = cursor.fetchall()
    stored_order = [receipt for receipt, _xmin in rows]
    by_key = list(Ballot.objects.filter(election=election).order_by("id").values_list("receipt", flat=True))
    assert sorted(stored_order) == sorted(cast_order)
    assert stored_order == by_key and stored_order != cast_order
    assert len({xmin for _receipt, xmin in rows}) == 1
    assert voting.ballot_in_count(election, cast_order[0])  # receipts still check


def test_el01_no_ballot_in_voting_hours_while_the_candidate_list_is_unpublished():
    """EL-01: the clock brings voting only once the candidate list is published (CAMPAIGN)."""
    election = voting_election(candidates=2, phase=rules.Phase.REGISTRATION)
    student = voter()
    with pytest.raises(ElectionError, match="not been published"), translation.override("en"):
        voting.cast_ballot(student.user, election, str(voting.ballot_choices(election)[0].pk), at(DAY, 10))
    assert not Participation.objects.exists()
