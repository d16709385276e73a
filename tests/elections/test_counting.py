"""Counting (EL-15, EL-20): the online tally after 18:00, the paper count and its cross-check."""

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied

from elections import rules
from elections.errors import ElectionError
from elections.models import CommissionMember, Election, PaperCount, PaperCountLine
from elections.services import calendar, counting, results, voting
from portal.models import Notification, Role
from tests.academics.factories import make_staff
from tests.elections.counting_factories import (
    chair,
    closed_election,
    count_paper,
    issue_paper,
    registered,
    secretary,
    vote_online,
)
from tests.elections.factories import at, make_election
from tests.factories import make_student

pytestmark = pytest.mark.django_db


def test_el15_no_tally_before_18_00():
    """EL-15, EL-20: nothing is counted or entered before voting closes at 18:00; from 18:00 it is."""
    election = make_election(phase=rules.Phase.CAMPAIGN, candidates=2)
    day = election.election_day
    make_student()
    a, b = registered(election)
    voting.cast_ballot(a.student.user, election, str(b.pk), now=at(day, 10))
    before = at(day, 17, 59)
    with pytest.raises(ElectionError, match="18:00"):
        voting.online_tally(election, before)
    with pytest.raises(ElectionError, match="18:00"):
        results.compute_results(election, before)
    with pytest.raises(ElectionError, match="18:00"):
        counting.record_paper_count(chair(election), election, ballots_found=0, votes={a.pk: 0, b.pk: 0}, now=before)
    assert not PaperCount.objects.exists()
    election.refresh_from_db()
    assert election.phase == "VOTING"
    tally = results.compute_results(election, at(day, 18))
    assert {r.candidate_id: r.online for r in tally.candidates} == {a.pk: 0, b.pk: 1}
    election.refresh_from_db()
    assert election.phase == "COUNTING"


def test_el15_counting_begins_once_with_the_ballot_rows_rewritten():
    """EL-14, EL-15: when the clock reaches counting the ballot rows are rewritten once and the commission
    is told; later syncs do neither again."""
    election = make_election(phase=rules.Phase.CAMPAIGN, candidates=2)
    day = election.election_day
    with mock.patch.object(voting, "scrub_ballot_order") as scrub:
        calendar.sync_phase(election, at(day, 12))
        assert scrub.call_count == 0
        calendar.sync_phase(election, at(day, 18))
        calendar.sync_phase(election, at(day, 19))
        counting.open_for_counting(election, at(day, 20))
    assert scrub.call_count == 1
    assert Notification.objects.filter(recipient=chair(election), url__endswith="/counting/").count() == 1


def test_el15_paper_totals_must_match():
    """EL-15: ballots found = votes + against + invalid + unknown form, or the entry is refused with the
    numbers and nothing is stored."""
    election = closed_election()
    a, b = registered(election)
    issue_paper(election, 10)
    with pytest.raises(ElectionError) as err:
        counting.record_paper_count(
            chair(election),
            election,
            ballots_found=10,
            votes={a.pk: 4, b.pk: 3},
            invalid=1,
            unknown_form=1,
        )
    message = str(err.value)
    assert "10" in message and "9" in message and "7" in message
    assert not PaperCount.objects.exists() and not PaperCountLine.objects.exists()
    count = counting.record_paper_count(
        chair(election), election, ballots_found=10, votes={a.pk: 5, b.pk: 3}, invalid=1, unknown_form=1
    )
    assert (count.ballots_found, count.invalid, count.unknown_form) == (10, 1, 1)
    assert dict(count.lines.values_list("candidate_id", "votes")) == {a.pk: 5, b.pk: 3}


def test_el15_discrepancy_with_ballots_issued_needs_explanation():
    """EL-15: 5 paper ballots issued, 6 found: refused without an explanation, accepted with one."""
    election = closed_election()
    a, b = registered(election)
    issue_paper(election, 5)
    with pytest.raises(ElectionError) as err:
        counting.record_paper_count(chair(election), election, ballots_found=6, votes={a.pk: 3, b.pk: 3})
    assert "5" in str(err.value) and "6" in str(err.value)
    assert not PaperCount.objects.exists()
    count = counting.record_paper_count(
        chair(election),
        election,
        ballots_found=6,
        votes={a.pk: 3, b.pk: 3},
        explanation="  Бір бюллетень жәшікке екі рет салынды.  ",
    )
    assert count.discrepancy_explanation == "Бір бюллетень жәшікке екі рет салынды."
    check = counting.cross_check(election, count)
    assert (check.issued, check.found, check.difference, check.unexplained) == (5, 6, 1, False)


def test_el15_invalid_and_unknown_form_ballots_count_for_no_one():
    """EL-15: online 3 + 2, paper 2 + 1 with 2 invalid and 1 of an unknown form: the candidates get 5 and 3;
    the 3 set-aside ballots go to no one."""
    election = closed_election()
    a, b = registered(election)
    vote_online(election, a, 3)
    vote_online(election, b, 2)
    count_paper(election, [2, 1], invalid=2, unknown_form=1)
    outcome = results.compute_results(election)
    assert {r.candidate_id: (r.online, r.paper, r.total) for r in outcome.candidates} == {
        a.pk: (3, 2, 5),
        b.pk: (2, 1, 3),
    }
    assert sum(r.total for r in outcome.candidates) == 8
    assert (outcome.invalid, outcome.unknown_form, outcome.ballots_found) == (2, 1, 6)
    assert (outcome.roll, outcome.voted_online, outcome.voted_paper, outcome.voted) == (11, 5, 6, 11)
    assert outcome.winner_id == a.pk


def test_el15_count_is_corrected_until_the_protocol_and_every_change_is_audited():
    """EL-15: a correction changes the stored count and leaves an audit trail with who changed what; once
    the protocol is drawn up the count is refused and stays as it was."""
    election = closed_election()
    a, b = registered(election)
    count_paper(election, [2, 2])
    writer = secretary(election)
    counting.record_paper_count(writer, election, ballots_found=4, votes={a.pk: 3, b.pk: 1})
    count = PaperCount.objects.get(election=election)
    assert dict(count.lines.values_list("candidate_id", "votes")) == {a.pk: 3, b.pk: 1}
    assert count.history.count() == 2
    assert count.history.first().history_user == writer
    line = PaperCountLine.objects.get(count=count, candidate=a)
    assert [h.votes for h in line.history.order_by("history_id")] == [2, 3]
    trail = counting.correction_history(count)
    assert any(c.field == a.student.user.full_name and (c.old, c.new) == (2, 3) for e in trail for c in e.changes)
    results.draw_up_protocol(chair(election), election)
    with pytest.raises(ElectionError):
        counting.record_paper_count(writer, election, ballots_found=4, votes={a.pk: 4, b.pk: 0})
    assert dict(count.lines.values_list("candidate_id", "votes")) == {a.pk: 3, b.pk: 1}


def test_el15_online_only_election_needs_no_paper_count():
    """EL-15: an online-only election has no paper count; its protocol is drawn up without one."""
    election = closed_election(mode=Election.Mode.ONLINE)
    a, b = registered(election)
    vote_online(election, a, 2)
    with pytest.raises(ElectionError):
        counting.record_paper_count(chair(election), election, ballots_found=0, votes={a.pk: 0, b.pk: 0})
    assert not PaperCount.objects.exists()
    outcome = results.compute_results(election)
    assert outcome.complete and not outcome.paper_required
    protocol = results.draw_up_protocol(chair(election), election)
    assert protocol.results["winner_id"] == a.pk


def test_el15_hybrid_protocol_waits_for_the_paper_count():
    """EL-15, EL-16: with paper in the mode, no protocol until the paper count is entered."""
    election = closed_election()
    with pytest.raises(ElectionError):
        results.draw_up_protocol(chair(election), election)
    assert not hasattr(Election.objects.get(pk=election.pk), "protocol")


def test_el15_votes_are_entered_for_exactly_the_candidates_on_the_ballot():
    election = closed_election(candidates=3)
    a, b, c = registered(election)
    issue_paper(election, 2)
    for votes in ({a.pk: 1, b.pk: 1}, {a.pk: 1, b.pk: 1, c.pk: 0, 999999: 0}):
        with pytest.raises(ElectionError):
            counting.record_paper_count(chair(election), election, ballots_found=2, votes=votes)
    with pytest.raises(ElectionError):
        counting.record_paper_count(chair(election), election, ballots_found=2, votes={a.pk: 3, b.pk: -1, c.pk: 0})
    assert not PaperCount.objects.exists()


def test_el07_against_is_counted_only_with_a_single_candidate():
    """EL-07: "against" exists on the ballot only when there is one candidate."""
    election = closed_election(candidates=2)
    a, b = registered(election)
    issue_paper(election, 3)
    with pytest.raises(ElectionError):
        counting.record_paper_count(chair(election), election, ballots_found=3, votes={a.pk: 1, b.pk: 1}, against=1)
    single = closed_election(candidates=1)
    count = count_paper(single, [2], against=1)
    assert count.against == 1


def test_el15_paper_count_only_by_the_commission():
    """EL-02, EL-15: an outsider or a member without a deciding vote gets 403; nothing is stored."""
    election = closed_election()
    a, b = registered(election)
    adviser = make_staff(Role.COMMISSION_MEMBER)
    CommissionMember.objects.create(election=election, user=adviser, deciding_vote=False)
    for user in (make_staff(Role.DESW_DIRECTOR), adviser, make_student().user):
        with pytest.raises(PermissionDenied):
            counting.record_paper_count(user, election, ballots_found=0, votes={a.pk: 0, b.pk: 0})
    assert not PaperCount.objects.exists()
