"""Data for the counting and results tests: a closed election with its roll, online ballots and paper voters."""

from datetime import timedelta

import pytest
from django.utils import timezone

from elections import rules
from elections.models import Ballot, Candidate, Election, Participation, RollEntry
from portal.models import StudentProfile, User
from tests.elections.factories import add_candidate, at, make_election
from tests.factories import make_student

MEMBER_NAMES = ["Төрағаев Марат", "Хатшыева Гүлнар", "Мүшеков Арман", "Қасымова Дина", "Оспанов Ержан"]
NAMES = ["Бекова Айгерім", "Әлиев Дәурен", "Жанова Ұлжан", "Ғабитов Нұрлан", "Сейітова Меруерт"]


def candidate(election: Election, last_name: str, first_name: str = "Нұр") -> Candidate:
    return add_candidate(
        election, make_student(year_of_study=3, user__last_name=last_name, user__first_name=first_name)
    )


def closed_election(*, candidates: int = 2, mode: str = Election.Mode.HYBRID, members: int = 2) -> Election:
    """An election held yesterday (voting closed by the clock, phase still stored as voting) with its
    roll frozen and `candidates` registered candidates with distinct names."""
    day = timezone.localdate() - timedelta(days=1)
    election = make_election(phase=rules.Phase.VOTING, election_day=day, mode=mode, members=members)
    for name in NAMES[:candidates]:
        last, first = name.split()
        candidate(election, last, first)
    for user, name in zip(signers(election), MEMBER_NAMES, strict=False):
        user.last_name, user.first_name = name.split()
        user.save(update_fields=["last_name", "first_name"])
    election.roll_frozen_at = at(day, 9)
    election.materials_hidden_at = at(day - timedelta(days=1), 0)
    election.save(update_fields=["roll_frozen_at", "materials_hidden_at"])
    return election


def chair(election: Election) -> User:
    return election.test_chair  # type: ignore[attr-defined]


def secretary(election: Election) -> User:
    return election.test_secretary  # type: ignore[attr-defined]


def members(election: Election) -> list[User]:
    return election.test_members  # type: ignore[attr-defined]


def registered(election: Election) -> list[Candidate]:
    return list(
        election.candidates.filter(status=Candidate.Status.REGISTERED).select_related("student__user").order_by("pk")
    )


def voter(election: Election) -> StudentProfile:
    student = make_student()
    RollEntry.objects.create(election=election, student=student, institute=student.group.programme.department.institute)
    return student


def vote_online(election: Election, choice: Candidate | None, times: int = 1) -> None:
    """`times` voters on the roll vote online for `choice` (None: against the single candidate)."""
    for _ in range(times):
        student = voter(election)
        Participation.objects.create(
            election=election,
            student=student,
            institute_id=student.group.programme.department.institute_id,
            channel=Participation.Channel.ONLINE,
            recorded_at=at(election.election_day, 10),
        )
        Ballot.objects.create(election=election, candidate=choice, against=choice is None)


def issue_paper(election: Election, times: int = 1) -> None:
    """`times` voters on the roll get a paper ballot (marked in the poll book)."""
    for _ in range(times):
        student = voter(election)
        Participation.objects.create(
            election=election,
            student=student,
            institute_id=student.group.programme.department.institute_id,
            channel=Participation.Channel.PAPER,
            recorded_at=at(election.election_day, 11),
            id_document="012345678",
        )


def count_paper(election: Election, votes: list[int], *, invalid: int = 0, unknown_form: int = 0, against: int = 0):
    """The chair enters a paper count matching the ballots issued (issuing them first if needed)."""
    from elections.services import counting

    found = sum(votes) + invalid + unknown_form + against
    missing = found - counting.paper_ballots_issued(election)
    if missing > 0:
        issue_paper(election, missing)
    return counting.record_paper_count(
        chair(election),
        election,
        ballots_found=found,
        votes={c.pk: n for c, n in zip(registered(election), votes, strict=True)},
        against=against,
        invalid=invalid,
        unknown_form=unknown_form,
    )


def signers(election: Election) -> list[User]:
    return [chair(election), secretary(election), *members(election)]


def sign_all(election: Election) -> None:
    from elections.services import results

    for user in signers(election):
        results.sign_protocol(user, election)


def publish(election: Election) -> None:
    """Draw up, sign and publish (the paper count must be entered first when the mode has paper)."""
    from elections.services import results

    results.draw_up_protocol(chair(election), election)
    sign_all(election)
    results.publish_results(chair(election), election)


@pytest.fixture
def fast_pdf(monkeypatch):
    """Tests that publish many elections and never read the PDF skip WeasyPrint's layout."""
    from elections.services import results

    monkeypatch.setattr(results, "render_pdf", lambda *args, **kwargs: b"%PDF-1.7 test")
