"""EL-12 under concurrent requests: the database, not a check in Python, keeps one vote per voter, up to the
integrity requirement of issue 4 (200 concurrent vote attempts by one voter store exactly one ballot), through
the service and through the ballot page.

Needs Postgres (CI runs the suite on it): SQLite lets one writer in at a time, so nothing would race there.
"""

import re
import threading
from collections.abc import Callable
from typing import TypeVar

import pytest
from django.contrib.messages import get_messages
from django.db import connection, connections
from django.test import Client
from django.utils import translation

from elections.errors import ElectionError
from elections.models import Ballot, Election, Participation
from elections.services import voting
from portal.models import StudentProfile
from tests.elections.factories import at
from tests.elections.voting_support import DAY, chair, freeze, set_clock, voter, voting_election

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


T = TypeVar("T")
ATTEMPTS = 200  # the integrity requirement of issue 4: 200 concurrent vote attempts by one voter
MAX_WORKERS = 50
ALREADY_VOTED = "You have already voted in this election; a ballot cannot be changed."


def _workers() -> int:
    """Threads to use, each with its own connection: at most 50, and no more than the server has free
    (max_connections less those in use, keeping 10 for the superuser reserve and other clients)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        limit = int(cursor.fetchone()[0])
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = %s", ["client backend"])
        in_use = cursor.fetchone()[0]
    return max(2, min(MAX_WORKERS, limit - in_use - 10))


def _storm(attempt: Callable[[int, T], object], setup: Callable[[], T]) -> list[object]:
    """ATTEMPTS calls of `attempt(i, setup())` spread over the worker threads: each thread runs `setup` once,
    waits at a barrier that releases all threads together, runs its share back to back in Kazakh (the
    portal's language) and closes its database connection at the end. Returns what each attempt returned
    or raised."""
    workers = _workers()
    shares = [list(range(w, ATTEMPTS, workers)) for w in range(workers)]
    barrier = threading.Barrier(workers)
    results: list[object] = [None] * ATTEMPTS

    def run(share: list[int]) -> None:
        try:
            with translation.override("kk"):
                context = setup()
                barrier.wait(timeout=30)
                for i in share:
                    try:
                        results[i] = attempt(i, context)
                    except Exception as exc:  # every outcome is asserted on, unexpected ones included
                        results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(share,)) for share in shares]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "an attempt hung"
    return results


def _already_voted_in_kazakh() -> str:
    with translation.override("kk"):
        message = translation.gettext(ALREADY_VOTED)
    assert message != ALREADY_VOTED, "no Kazakh text: run `manage.py compilemessages`"
    return message


def test_el12_200_concurrent_casts_by_one_voter_store_exactly_one_ballot():
    """Issue 4, integrity: 200 attempts of one voter at once through the service store one participation
    and one ballot; the other 199 get the translated "already voted" refusal, nothing else."""
    election, student, choices = _setup()

    def cast(i: int, _context: None) -> object:
        fresh = Election.objects.get(pk=election.pk)
        return voting.cast_ballot(student.user, fresh, choices[i % 2], at(DAY, 10))

    results = _storm(cast, lambda: None)
    receipts = [r for r in results if isinstance(r, str)]
    refusals = [r for r in results if isinstance(r, ElectionError)]
    unexpected = [r for r in results if not isinstance(r, str | ElectionError)]
    assert not unexpected, unexpected[:3]
    assert len(receipts) == 1 and len(refusals) == ATTEMPTS - 1
    assert {str(r) for r in refusals} == {_already_voted_in_kazakh()}
    assert Participation.objects.filter(election=election).count() == 1
    assert Participation.objects.get(election=election).student == student
    assert list(Ballot.objects.filter(election=election).values_list("receipt", flat=True)) == receipts


_RECEIPT = re.compile(r'id="receipt-code">([A-Z0-9-]{14})<')


def test_el12_200_concurrent_casting_posts_by_one_voter_store_exactly_one_ballot(monkeypatch):
    """The same through the ballot page: one signed-in session per thread, 200 casting POSTs at once; one
    page shows a receipt, 199 redirect back to the ballot with the translated "already voted" message."""
    set_clock(monkeypatch, at(DAY, 10))
    election, student, choices = _setup()
    url = f"/elections/{election.pk}/ballot/"

    def signed_in() -> Client:
        client = Client()
        client.force_login(student.user)
        return client

    def post(i: int, client: Client) -> object:
        response = client.post(url, {"step": "cast", "choice": choices[i % 2]})
        if response.status_code == 200:
            found = _RECEIPT.search(response.content.decode())
            return found.group(1) if found else response
        if response.status_code == 302 and response["Location"] == url:
            shown = [str(m) for m in get_messages(response.wsgi_request)]
            client.cookies.pop("messages", None)  # the ballot page, not followed here, would have shown it
            return ElectionError(" | ".join(shown))
        return response

    results = _storm(post, signed_in)
    receipts = [r for r in results if isinstance(r, str)]
    refusals = [r for r in results if isinstance(r, ElectionError)]
    unexpected = [r for r in results if not isinstance(r, str | ElectionError)]
    assert not unexpected, unexpected[:3]
    assert len(receipts) == 1 and len(refusals) == ATTEMPTS - 1
    assert {str(r) for r in refusals} == {_already_voted_in_kazakh()}
    assert Participation.objects.filter(election=election).count() == 1
    assert list(Ballot.objects.filter(election=election).values_list("receipt", flat=True)) == receipts
