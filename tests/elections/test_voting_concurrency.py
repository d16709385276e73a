"""EL-12 under concurrent requests: the database, not a check in Python, keeps one vote per voter.

Needs Postgres: SQLite lets one writer in at a time, so nothing would race there.
"""

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from elections.errors import ElectionError
from elections.models import Ballot, Election, Participation
from elections.services import voting
from portal.models import StudentProfile
from tests.elections.factories import at
from tests.elections.voting_support import DAY, chair, freeze, voter, voting_election

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(f"needs Postgres for truly concurrent transactions (this run uses {connection.vendor})")


def _race(*attempts: Callable[[], object]) -> list[object]:
    """Run the attempts at the same moment, each in its own thread and database connection."""
    barrier = threading.Barrier(len(attempts))
    results: list[object] = [None] * len(attempts)

    def run(i: int, attempt: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = attempt()
        except ElectionError as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _setup() -> tuple[Election, StudentProfile, list[str]]:
    election = voting_election(candidates=2)
    student = voter()
    freeze(election)
    return election, student, [str(c.pk) for c in voting.ballot_choices(election)]


def test_el12_two_simultaneous_casts_by_one_student_store_one_participation_and_one_ballot():
    """EL-12: two requests of the same student at once: one receipt, one refusal, one row in each table."""
    election, student, (first, second) = _setup()

    def cast(choice: str) -> Callable[[], object]:
        return lambda: voting.cast_ballot(student.user, Election.objects.get(pk=election.pk), choice, at(DAY, 10))

    results = _race(cast(first), cast(second))
    receipts = [r for r in results if isinstance(r, str)]
    refusals = [r for r in results if isinstance(r, ElectionError)]
    assert len(receipts) == 1 and len(refusals) == 1
    assert Participation.objects.filter(election=election, student=student).count() == 1
    assert list(Ballot.objects.filter(election=election).values_list("receipt", flat=True)) == receipts


def test_el12_many_simultaneous_casts_by_one_student_store_exactly_one_ballot():
    election, student, choices = _setup()

    def cast(choice: str) -> object:
        return voting.cast_ballot(student.user, Election.objects.get(pk=election.pk), choice, at(DAY, 10))

    attempts = [(lambda c=choices[i % 2]: cast(c)) for i in range(16)]
    results = _race(*attempts)
    assert sum(isinstance(r, str) for r in results) == 1
    assert sum(isinstance(r, ElectionError) for r in results) == 15
    assert Participation.objects.count() == 1 and Ballot.objects.count() == 1


def test_el12_online_cast_and_paper_issue_at_the_same_moment_leave_one_vote():
    """EL-12: the student votes online while a commission member hands out a paper ballot: one wins."""
    election, student, (first, _second) = _setup()
    issuer = chair(election)

    def online() -> object:
        return voting.cast_ballot(student.user, Election.objects.get(pk=election.pk), first, at(DAY, 10))

    def paper() -> object:
        fresh = StudentProfile.objects.select_related("user").get(pk=student.pk)
        return voting.issue_paper_ballot(issuer, Election.objects.get(pk=election.pk), fresh, "N1", at(DAY, 10))

    results = _race(online, paper)
    assert sum(isinstance(r, ElectionError) for r in results) == 1
    participation = Participation.objects.get(election=election, student=student)
    assert Ballot.objects.filter(election=election).count() == (1 if participation.channel == "online" else 0)
