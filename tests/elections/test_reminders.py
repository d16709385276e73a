"""Issue 4, item 11 (PT-09): election reminders by a periodic sweep, each sent once per election, kind and person."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import translation

from elections import rules
from elections.models import Candidate, Election, Notice
from elections.services import notices
from elections.services.calendar import sync_phase
from elections.services.voting import cast_ballot
from elections.tasks import send_election_reminders, sync_elections
from portal.models import Notification, StudentProfile
from tests.elections.factories import add_candidate, at, make_election
from tests.factories import make_student

Phase = rules.Phase


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _complete(candidate: Candidate) -> Candidate:
    candidate.photo = "p.jpg"
    candidate.cv = "cv.pdf"
    candidate.intent = "Қатысқым келеді."
    candidate.recommendation = "r.pdf"
    candidate.save()
    return candidate


def _subjects(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("subject", flat=True))


@pytest.mark.django_db
def test_registration_reminders_3_days_and_1_day_before_the_deadline_to_incomplete_portfolios_once():
    """Applicants with an incomplete portfolio are reminded 3 days and 1 day before the deadline, once each."""
    election = make_election(phase=Phase.REGISTRATION)
    incomplete = add_candidate(election, status=Candidate.Status.APPLIED)
    complete = _complete(add_candidate(election, status=Candidate.Status.APPLIED))
    registered = add_candidate(election, status=Candidate.Status.REGISTERED)
    deadline = election.registration_deadline
    assert notices.send_reminders(at(deadline - timedelta(days=4), 12)) == 0
    assert notices.send_reminders(at(deadline - timedelta(days=3), 0, 5)) == 1
    assert notices.send_reminders(at(deadline - timedelta(days=3), 0, 10)) == 0  # the second run sends nothing
    assert notices.send_reminders(at(deadline - timedelta(days=2), 9)) == 0
    assert notices.send_reminders(at(deadline - timedelta(days=1), 9)) == 1
    assert notices.send_reminders(at(deadline, 23, 55)) == 0
    assert notices.send_reminders(at(deadline + timedelta(days=1), 9)) == 0  # registration closed
    assert len(_subjects(incomplete.student.user)) == 2
    assert "Complete your candidate portfolio" in _subjects(incomplete.student.user)[0]
    assert _subjects(complete.student.user) == [] and _subjects(registered.student.user) == []
    kinds = set(Notice.objects.filter(election=election).values_list("kind", flat=True))
    assert kinds == {notices.REGISTRATION_3_DAYS, notices.REGISTRATION_1_DAY}


@pytest.mark.django_db
def test_a_late_sweep_sends_only_the_nearer_registration_reminder():
    election = make_election(phase=Phase.REGISTRATION)
    applicant = add_candidate(election, status=Candidate.Status.APPLIED)
    assert notices.send_reminders(at(election.registration_deadline, 8)) == 1
    assert Notice.objects.get(user=applicant.student.user).kind == notices.REGISTRATION_1_DAY


def _voting_election(voters: int = 3) -> tuple[Election, list[StudentProfile]]:
    election = make_election(phase=Phase.CAMPAIGN, candidates=1)
    students = [make_student() for _ in range(voters)]
    return election, students


@pytest.mark.django_db
def test_voting_open_reminder_goes_to_every_voter_once_even_before_the_roll_is_frozen():
    election, students = _voting_election()
    day = election.election_day
    expected = StudentProfile.objects.filter(status=StudentProfile.Status.ENROLLED).count()
    assert notices.send_reminders(at(day, 8, 55)) == 0
    assert notices.send_reminders(at(day, 9, 0)) == expected
    assert notices.send_reminders(at(day, 9, 5)) == 0
    sync_phase(election, at(day, 9, 6))  # the roll is frozen now: the same voters, nobody notified twice
    assert notices.send_reminders(at(day, 9, 10)) == 0
    for student in students:
        assert _subjects(student.user) == [f"Voting is open: {election}"]


@pytest.mark.django_db
def test_two_hours_before_closing_only_voters_who_have_not_voted_are_reminded_neutrally():
    """The closing reminder goes to voters on the roll without a participation, and says nothing else."""
    election, students = _voting_election()
    day = election.election_day
    candidate = election.candidates.get()
    sync_phase(election, at(day, 9, 0))
    notices.send_reminders(at(day, 9, 0))  # voting is open: everyone on the roll
    cast_ballot(students[0].user, election, str(candidate.pk), now=at(day, 10))
    late = make_student()  # enrolled after the roll was frozen: not a voter of this election
    Notification.objects.all().delete()
    assert notices.send_reminders(at(day, 15, 59)) == 0
    sent = notices.send_reminders(at(day, 16, 0))
    on_roll = election.roll.count()
    assert sent == on_roll - 1
    assert _subjects(students[0].user) == [] and _subjects(late.user) == []
    note = Notification.objects.get(recipient=students[1].user)
    assert note.subject == f"Voting closes at 18:00 today: {election}"
    assert "not voted" not in note.body and "turnout" not in note.body.lower()
    assert notices.send_reminders(at(day, 16, 5)) == 0
    assert notices.send_reminders(at(day, 18, 0)) == 0  # voting closed
    assert Notice.objects.filter(election=election, kind=notices.VOTING_CLOSING).count() == on_roll - 1


@pytest.mark.django_db
def test_the_voter_sweep_is_set_based(django_assert_max_num_queries):
    """The sweep's queries do not grow with the number of voters."""
    election, _students = _voting_election(voters=40)
    day = election.election_day
    with django_assert_max_num_queries(8):
        sent = notices.send_reminders(at(day, 9, 0))
    assert sent == StudentProfile.objects.count()


@pytest.mark.django_db
def test_the_celery_tasks_call_the_services(monkeypatch):
    assert sync_elections.apply().get() == 0
    assert send_election_reminders.apply().get() == 0


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_reminder_once():
    """Two sweeps running at the same moment (two workers): every voter is notified exactly once."""
    election, _students = _voting_election(voters=20)
    now = at(election.election_day, 9, 0)
    barrier = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            barrier.wait()
            results.append(notices.send_reminders(now))
        except BaseException as exc:  # pragma: no cover (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    voters = StudentProfile.objects.count()
    assert sum(results) == voters
    assert Notification.objects.count() == voters
    assert Notice.objects.filter(election=election).count() == voters
