"""Results, protocol, publication and run-off (EL-07, EL-16, EL-17, EL-18, EL-20)."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from pypdf import PdfReader

from elections import rules
from elections.errors import ElectionError
from elections.models import Candidate, CommissionMember, Election, Mandate, Protocol, ProtocolSignature
from elections.services import results, runoff
from portal.models import Notification, Role, RoleAssignment
from tests.academics.factories import make_staff
from tests.elections.counting_factories import (
    chair,
    closed_election,
    count_paper,
    fast_pdf,  # noqa: F401  (a fixture)
    members,
    publish,
    registered,
    secretary,
    sign_all,
    signers,
    vote_online,
    voter,
)
from tests.elections.factories import at, make_election
from tests.factories import make_student

pytestmark = pytest.mark.django_db


def _pdf_text(protocol: Protocol) -> str:
    protocol.refresh_from_db()
    with protocol.document.file.open("rb") as fh:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(fh.read())).pages)


def test_el17_most_votes_win_whatever_the_turnout():
    """EL-17: 2 votes against 1 of 50 voters on the roll (6 % turnout): the first wins, the election is valid."""
    election = closed_election(candidates=3)
    _a, b, c = registered(election)
    vote_online(election, b, 2)
    vote_online(election, c, 1)
    for _ in range(47):
        voter(election)
    count_paper(election, [0, 0, 0])
    outcome = results.compute_results(election)
    assert outcome.winner_id == b.pk and outcome.runoff_ids == ()
    assert [r.candidate_id for r in outcome.candidates][:2] == [b.pk, c.pk]
    assert (outcome.roll, outcome.voted, outcome.turnout_percent) == (50, 3, Decimal("6.0"))


def test_el17_online_and_paper_votes_are_added():
    """EL-17: 1 online + 3 paper beats 3 online + 0 paper."""
    election = closed_election()
    a, b = registered(election)
    vote_online(election, a, 1)
    vote_online(election, b, 3)
    count_paper(election, [3, 0])
    assert results.compute_results(election).winner_id == a.pk


def test_el07_single_candidate_needs_more_for_than_against():
    """EL-07: a single candidate is elected only if "for" exceeds "against" (3 for, 3 against: not elected)."""
    election = closed_election(candidates=1)
    (only,) = registered(election)
    vote_online(election, only, 2)
    vote_online(election, None, 2)
    count_paper(election, [1], against=1)
    tie = results.compute_results(election)
    assert (tie.candidates[0].total, tie.against, tie.winner_id, tie.single_candidate_rejected) == (3, 3, None, True)
    vote_online(election, only, 1)
    assert results.compute_results(election).winner_id == only.pk


@pytest.mark.usefixtures("fast_pdf")
def test_el17_tie_calls_a_runoff_between_exactly_the_tied_candidates():
    """EL-17 (our rule): a tie for first place (4, 4, 1) creates a draft run-off for the same position and
    year, between exactly the two tied candidates, copied as registered with their portfolios, run by the
    same commission, a week after election day on a weekday by default."""
    election = closed_election(candidates=3)
    a, b, c = registered(election)
    Candidate.objects.filter(pk=a.pk).update(programme="Студенттерге ашық университет.", programme_checked=True)
    vote_online(election, a, 4)
    vote_online(election, b, 4)
    vote_online(election, c, 1)
    count_paper(election, [0, 0, 0])
    protocol = results.draw_up_protocol(chair(election), election)
    assert protocol.results["winner_id"] is None and set(protocol.results["runoff_ids"]) == {a.pk, b.pk}
    with pytest.raises(ElectionError):
        runoff.call_runoff(chair(election), election)  # not before the protocol is signed
    sign_all(election)
    today = timezone.localdate()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    with pytest.raises(ElectionError):
        runoff.call_runoff(chair(election), election, saturday)
    new = runoff.call_runoff(chair(election), election)
    assert (new.runoff_of, new.position, new.academic_year, new.phase) == (
        election,
        election.position,
        election.academic_year,
        "DRAFT",
    )
    assert new.election_day.weekday() < 5 and new.election_day >= election.election_day + timedelta(days=7)
    copied = list(new.candidates.all())
    assert {c.student_id for c in copied} == {a.student_id, b.student_id}
    assert all(c.status == Candidate.Status.REGISTERED for c in copied)
    assert new.candidates.get(student=a.student).programme == "Студенттерге ашық университет."
    assert set(new.commission.values_list("user_id", "role")) == set(election.commission.values_list("user_id", "role"))
    with pytest.raises(ElectionError):
        runoff.call_runoff(chair(election), election)
    assert Election.objects.filter(runoff_of=election).count() == 1
    runoff.publish_runoff_candidates(chair(election), new)
    new.refresh_from_db()
    assert new.phase == "CAMPAIGN" and new.candidates_published_at is not None


@pytest.mark.usefixtures("fast_pdf")
def test_el17_no_runoff_without_a_tie():
    election = closed_election()
    a, _b = registered(election)
    vote_online(election, a, 2)
    count_paper(election, [0, 0])
    results.draw_up_protocol(chair(election), election)
    sign_all(election)
    with pytest.raises(ElectionError):
        runoff.call_runoff(chair(election), election)
    assert not Election.objects.filter(runoff_of=election).exists()


def test_el16_protocol_has_two_originals_and_every_member(settings):
    """EL-16: the PDF holds "Original 1 of 2" and "Original 2 of 2", each with every signing member; the
    registration number is EC-<year>-<pk>; the results are frozen into the protocol."""
    settings.LANGUAGE_CODE = "en"
    election = closed_election()
    a, b = registered(election)
    vote_online(election, a, 3)
    count_paper(election, [1, 2])
    protocol = results.draw_up_protocol(secretary(election), election)
    number = f"EC-{election.election_day.year}-{election.pk}"
    assert protocol.document.registration_number == number
    assert protocol.results["winner_id"] == a.pk
    assert {c["candidate_id"]: c["paper"] for c in protocol.results["candidates"]} == {a.pk: 1, b.pk: 2}
    text = _pdf_text(protocol)
    assert "Original 1 of 2" in text and "Original 2 of 2" in text and "Original 3" not in text
    first, second = text.split("Original 2 of 2")
    for user in signers(election):
        assert user.full_name in first and user.full_name in second
    assert text.count(number) >= 2
    assert "Бекова" in text and "Әлиев" in text


@pytest.mark.usefixtures("fast_pdf")
def test_el16_only_the_chair_or_secretary_draws_up():
    election = closed_election(mode=Election.Mode.ONLINE)
    with pytest.raises(PermissionDenied):
        results.draw_up_protocol(members(election)[0], election)
    with pytest.raises(PermissionDenied):
        results.draw_up_protocol(make_staff(Role.DESW_DIRECTOR), election)
    assert not Protocol.objects.exists()
    results.draw_up_protocol(chair(election), election)
    with pytest.raises(ElectionError):
        results.draw_up_protocol(secretary(election), election)
    assert Protocol.objects.count() == 1


def test_el16_signing_twice_is_refused_and_all_signed_moves_the_phase():
    """EL-16: each member with a deciding vote signs once; the PDF is re-rendered after each signature with
    who signed and when; when all four have signed the phase is "protocol signed"."""
    election = closed_election(mode=Election.Mode.ONLINE)
    adviser = make_staff(Role.COMMISSION_MEMBER)
    CommissionMember.objects.create(election=election, user=adviser, deciding_vote=False)
    protocol = results.draw_up_protocol(chair(election), election)
    first_document = protocol.document_id
    head, writer, *others = signers(election)
    results.sign_protocol(head, election, now=at(election.election_day, 19, 5))
    with pytest.raises(ElectionError):
        results.sign_protocol(head, election)
    assert ProtocolSignature.objects.count() == 1
    protocol.refresh_from_db()
    assert protocol.document_id != first_document
    assert "19:05" in _pdf_text(protocol)
    with pytest.raises(PermissionDenied):
        results.sign_protocol(adviser, election)
    results.sign_protocol(writer, election)
    results.sign_protocol(others[0], election)
    election.refresh_from_db()
    assert election.phase == "COUNTING"
    results.sign_protocol(others[1], election)
    election.refresh_from_db()
    assert election.phase == "PROTOCOL_SIGNED"
    assert ProtocolSignature.objects.count() == 4
    assert Notification.objects.filter(recipient=head, url__endswith="/protocol/").exists()


def test_el20_no_protocol_or_results_before_voting_closes():
    """EL-20: before 18:00 there are no results and no protocol."""
    election = make_election(phase=rules.Phase.CAMPAIGN, candidates=2, mode=Election.Mode.ONLINE)
    with pytest.raises(ElectionError):
        results.draw_up_protocol(chair(election), election, now=at(election.election_day, 17))
    with pytest.raises(ElectionError):
        results.compute_results(election, now=at(election.election_day, 17, 59))
    assert not Protocol.objects.exists()


@pytest.mark.usefixtures("fast_pdf")
def test_el18_publication_gives_the_winner_mandate_and_role_to_the_year_end():
    """EL-18: after every signature the chair publishes; the winner's mandate and SG President role start
    today and end on the last day of the election's academic year; everyone is notified."""
    election = closed_election()
    a, _b = registered(election)
    vote_online(election, a, 3)
    count_paper(election, [0, 1])
    results.draw_up_protocol(chair(election), election)
    with pytest.raises(ElectionError):
        results.publish_results(chair(election), election)  # not signed yet
    sign_all(election)
    with pytest.raises(PermissionDenied):
        results.publish_results(secretary(election), election)
    assert not Mandate.objects.exists()
    results.publish_results(chair(election), election)
    election.refresh_from_db()
    assert election.phase == "PUBLISHED"
    today = timezone.localdate()
    ends = election.academic_year.ends_on
    mandate = Mandate.objects.get(election=election)
    assert (mandate.holder, mandate.position, mandate.academic_year, mandate.starts_on, mandate.ends_on) == (
        a.student,
        Election.Position.SG_PRESIDENT,
        election.academic_year,
        today,
        ends,
    )
    role = RoleAssignment.objects.get(user=a.student.user, role=Role.SG_PRESIDENT)
    assert (role.valid_from, role.valid_until) == (today, ends)
    assert Notification.objects.filter(url__endswith=f"/elections/{election.pk}/results/").count() == (
        4 + 2 + 4  # voters on the roll, candidates, commission
    )
    with pytest.raises(ElectionError):
        results.publish_results(chair(election), election)
    assert Mandate.objects.count() == 1


@pytest.mark.usefixtures("fast_pdf")
def test_el18_other_positions_get_the_officer_role():
    election = closed_election(mode=Election.Mode.ONLINE)
    Election.objects.filter(pk=election.pk).update(position=Election.Position.YOUTH_AFFAIRS_CHAIR)
    election.refresh_from_db()
    a, _b = registered(election)
    vote_online(election, a, 1)
    publish(election)
    assert RoleAssignment.objects.filter(user=a.student.user, role=Role.SG_OFFICER).exists()
    assert not RoleAssignment.objects.filter(user=a.student.user, role=Role.SG_PRESIDENT).exists()


@pytest.mark.usefixtures("fast_pdf")
def test_el18_no_mandate_after_a_tie_or_a_rejected_single_candidate():
    election = closed_election(mode=Election.Mode.ONLINE, candidates=1)
    vote_online(election, None, 1)
    publish(election)
    assert not Mandate.objects.exists()
    assert Election.objects.get(pk=election.pk).phase == "PUBLISHED"


def test_el18_the_predecessors_presidency_ends_when_the_winner_takes_office():
    """EL-18: one SG President at a time; the sitting president's role ends the day before publication."""
    election = closed_election()
    a, _b = registered(election)
    predecessor = make_student(year_of_study=4)
    RoleAssignment.objects.create(user=predecessor.user, role=Role.SG_PRESIDENT)
    vote_online(election, a, 2)
    count_paper(election, [0, 1])
    results.draw_up_protocol(chair(election), election)
    sign_all(election)
    results.publish_results(chair(election), election)
    today = timezone.localdate()
    old = RoleAssignment.objects.get(user=predecessor.user, role=Role.SG_PRESIDENT)
    assert old.valid_until == today - timedelta(days=1)
    assert list(RoleAssignment.objects.active().filter(role=Role.SG_PRESIDENT).values_list("user", flat=True)) == [
        a.student.user_id
    ]
