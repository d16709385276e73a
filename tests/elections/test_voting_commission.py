"""The commission's voting-day pages: the poll book and the paper ballot (EL-12), the signature line,
turnout (EL-20) and the voter roll (EL-11); all of them 403 for anyone off the commission."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from elections.models import Ballot, CommissionMember, Election, Participation
from elections.services import pollbook, voting
from portal.models import Programme, Role
from tests.academics.factories import make_staff
from tests.elections.factories import at
from tests.elections.voting_support import (
    DAY,
    chair,
    client_for,
    freeze,
    member,
    set_clock,
    shown,
    voter,
    voting_election,
)
from tests.factories import StudyGroupFactory

pytestmark = pytest.mark.django_db


def _page(election: Election, name: str) -> str:
    return f"/elections/{election.pk}/{name}/"


@pytest.fixture
def polling_day(monkeypatch):
    """10:00 on election day; the roll frozen with three voters; a plain commission member signed in."""
    set_clock(monkeypatch, at(DAY, 10))
    election = voting_election(candidates=2)
    paper_voter = voter(id_card_number="043512345", user__last_name="Нұрланова")
    online_voter = voter(id_card_number="043500001", user__last_name="Оспанов")
    other = voter(id_card_number="", user__last_name="Сейітов")
    freeze(election)
    plain = member(election)
    CommissionMember.objects.filter(user=plain).update(deciding_vote=False)  # a plain member is enough
    return election, plain, client_for(plain), (paper_voter, online_voter, other)


def _issue(client, election, student, number, q=""):
    data = {"student": student.pk, "id_document": number, "q": q}
    return client.post(_page(election, "pollbook") + "issue/", data, follow=True)


def test_el12_poll_book_finds_voters_by_id_card_university_id_or_name_with_how_they_voted(polling_day):
    election, _plain, client, (paper_voter, online_voter, other) = polling_day
    voting.cast_ballot(online_voter.user, election, str(voting.ballot_choices(election)[0].pk), at(DAY, 9, 30))
    by_card = client.get(_page(election, "pollbook"), {"q": "043512345"}).content.decode()
    assert f'data-student="{paper_voter.pk}"' in by_card and f'data-student="{online_voter.pk}"' not in by_card
    assert 'value="043512345"' in by_card  # found by the card: its number is already typed
    by_id = client.get(_page(election, "pollbook"), {"q": online_voter.user.id_code})
    assert f'data-student="{online_voter.pk}"' in by_id.content.decode()
    assert shown(by_id, "Voted online") and shown(by_id, "Voted online: no paper ballot may be issued.")
    by_name = client.get(_page(election, "pollbook"), {"q": "Сейіт"}).content.decode()
    assert f'data-student="{other.pk}"' in by_name and 'class="d-flex gap-2 issue-form"' in by_name


def test_el12_issuing_a_paper_ballot_marks_the_roll_and_prints_the_signature_line(polling_day):
    """EL-12, regulation 8.5.5: the ID card number is checked and recorded; the voter signs a printed line."""
    election, plain, client, (paper_voter, _online, _other) = polling_day
    response = _issue(client, election, paper_voter, "0435 12345")
    participation = Participation.objects.get(election=election, student=paper_voter)
    assert participation.channel == "paper" and participation.recorded_by == plain
    assert participation.id_document == "0435 12345"
    assert participation.history.get().history_user == plain  # audited
    assert response.redirect_chain[-1][0] == f"/elections/{election.pk}/pollbook/{participation.pk}/sign/"
    body = response.content.decode()
    assert paper_voter.user.full_name in body and "0435 12345" in body and "25.09.2026 10:00" in body
    assert shown(response, "Voter's signature") and "elections/print.css" in body
    assert not Ballot.objects.exists()  # a paper ballot goes into the box, not into the table
    listed = client.get(_page(election, "pollbook"), {"q": "043512345"})
    assert shown(listed, "Paper ballot issued") and 'class="d-flex gap-2 issue-form"' not in listed.content.decode()


def test_el12_a_wrong_id_card_number_issues_nothing(polling_day):
    election, _member, client, (paper_voter, _online, _other) = polling_day
    for number in ("043599999", "", "   "):
        response = _issue(client, election, paper_voter, number, q="043512345")
        assert 'class="alert alert-danger' in response.content.decode()
        assert response.redirect_chain[-1][0] == f"/elections/{election.pk}/pollbook/?q=043512345"
    assert not Participation.objects.exists()


def test_el12_a_voter_without_a_card_number_on_file_gets_the_number_recorded(polling_day):
    election, _member, client, (_paper, _online, other) = polling_day
    _issue(client, election, other, "N7654321")
    assert Participation.objects.get(student=other).id_document == "N7654321"


def test_el12_no_paper_ballot_for_a_voter_who_voted_online_or_already_on_paper(polling_day):
    """EL-12: an online voter gets no paper ballot (error shown), nor does a voter given one already."""
    election, _member, client, (paper_voter, online_voter, _other) = polling_day
    voting.cast_ballot(online_voter.user, election, str(voting.ballot_choices(election)[0].pk), at(DAY, 9, 30))
    refused = _issue(client, election, online_voter, "043500001")
    assert online_voter.user.full_name in refused.content.decode()
    assert 'class="alert alert-danger' in refused.content.decode()
    assert Participation.objects.get(student=online_voter).channel == "online"
    _issue(client, election, paper_voter, "043512345")
    again = _issue(client, election, paper_voter, "043512345")
    assert 'class="alert alert-danger' in again.content.decode()
    assert Participation.objects.filter(student=paper_voter).count() == 1


@pytest.mark.parametrize(("hour", "minute"), [(8, 59), (18, 0)])
def test_el01_no_paper_ballot_outside_voting_hours(monkeypatch, polling_day, hour, minute):
    election, _member, client, (paper_voter, _online, _other) = polling_day
    set_clock(monkeypatch, at(DAY, hour, minute))
    page = client.get(_page(election, "pollbook"), {"q": "043512345"}).content.decode()
    assert 'class="d-flex gap-2 issue-form"' not in page
    _issue(client, election, paper_voter, "043512345")
    assert not Participation.objects.exists()


def test_el12_online_only_election_issues_no_paper_ballot(monkeypatch):
    set_clock(monkeypatch, at(DAY, 10))
    election = voting_election(candidates=2, mode=Election.Mode.ONLINE)
    student = voter(id_card_number="1")
    freeze(election)
    client = client_for(chair(election))
    _issue(client, election, student, "1")
    assert not Participation.objects.exists()


def test_signature_line_only_for_a_paper_issue_of_this_election(polling_day):
    election, plain, client, (paper_voter, online_voter, _other) = polling_day
    voting.cast_ballot(online_voter.user, election, str(voting.ballot_choices(election)[0].pk), at(DAY, 9, 30))
    online = Participation.objects.get(student=online_voter)
    assert client.get(f"/elections/{election.pk}/pollbook/{online.pk}/sign/").status_code == 404
    _issue(client, election, paper_voter, "043512345")
    paper = Participation.objects.get(student=paper_voter)
    other = voting_election(candidates=0)
    CommissionMember.objects.create(election=other, user=plain)
    assert client.get(f"/elections/{other.pk}/pollbook/{paper.pk}/sign/").status_code == 404


def test_403_off_the_commission_on_poll_book_turnout_roll_and_signature_line(polling_day):
    """EL-02: a student, a staff member with no seat, and a member of another election's commission get
    403 on every page, and the poll book's POST changes nothing."""
    election, _plain, client, (paper_voter, _online, target) = polling_day
    _issue(client, election, paper_voter, "043512345")
    paper = Participation.objects.get(student=paper_voter)
    elsewhere = make_staff(Role.COMMISSION_MEMBER)
    CommissionMember.objects.create(election=voting_election(candidates=0), user=elsewhere)
    outsiders = [voter().user, make_staff(Role.DESW_DIRECTOR), elsewhere]
    urls = [
        _page(election, "pollbook"),
        _page(election, "turnout"),
        _page(election, "roll"),
        f"/elections/{election.pk}/pollbook/{paper.pk}/sign/",
    ]
    for user in outsiders:
        outsider = client_for(user)
        for url in urls:
            assert outsider.get(url).status_code == 403, (user, url)
        response = outsider.post(_page(election, "pollbook") + "issue/", {"student": target.pk, "id_document": "X"})
        assert response.status_code == 403
    assert Participation.objects.count() == 1


def test_poll_book_before_voting_says_when_it_opens(monkeypatch):
    set_clock(monkeypatch, at(DAY, 8))
    election = voting_election(candidates=2)
    voter()
    page = client_for(chair(election)).get(_page(election, "pollbook"), {"q": "Әбілов"})
    opens = "The poll book opens when voting starts at 09:00 on %(day)s: the voter roll is frozen then."
    assert shown(page, opens, day="25.09.2026")
    assert 'id="pollbook"' not in page.content.decode()


def test_poll_book_freezes_the_roll_when_the_job_is_late(monkeypatch):
    """EL-11: at 09:05 with the job not run yet, the poll book freezes the roll itself, as a ballot would."""
    set_clock(monkeypatch, at(DAY, 9, 5))
    election = voting_election(candidates=2)
    student = voter(id_card_number="777")
    page = client_for(chair(election)).get(_page(election, "pollbook"), {"q": "777"}).content.decode()
    assert f'data-student="{student.pk}"' in page
    election.refresh_from_db()
    assert election.roll_frozen_at is not None


def test_poll_book_query_count_is_fixed(polling_day, django_assert_max_num_queries):
    election, _member, client, _voters = polling_day
    for _ in range(15):
        voter(user__last_name="Төлегенов")
    Election.objects.filter(pk=election.pk).update(roll_frozen_at=None)
    election.refresh_from_db()
    freeze(election)
    with django_assert_max_num_queries(10):
        page = client.get(_page(election, "pollbook"), {"q": "Төлегенов"}).content.decode()
    assert page.count("data-student=") == 15


def _turnout_setup(monkeypatch, per_institute: int):
    set_clock(monkeypatch, at(DAY, 9))
    election = voting_election(candidates=2)
    groups = [StudyGroupFactory.create() for _ in range(3)]
    students = [voter(group=g) for g in groups for _ in range(per_institute)]
    freeze(election)
    first, second = voting.ballot_choices(election)
    for n, candidate in enumerate((first, second)):
        candidate.student.user.last_name = f"Кандидатова{n}"
        candidate.student.user.save()
    # Institute 0: everyone online, between 09:00 and 11:00; institute 1: one on paper at 12:30; institute 2: nobody.
    for i, s in enumerate(students[:per_institute]):
        choice = first if i % 3 else second
        voting.cast_ballot(s.user, election, str(choice.pk), at(DAY, 9 + i % 2, 15))
    voting.issue_paper_ballot(chair(election), election, students[per_institute], "P1", at(DAY, 12, 30))
    return election, groups, students


def test_el20_turnout_per_institute_hour_and_channel_without_any_candidate_number(
    monkeypatch, django_assert_max_num_queries
):
    """EL-20: overall, per institute, per hour, online vs paper; the page never reads the ballot table
    and shows no candidate, even with ballots cast."""
    election, groups, _students = _turnout_setup(monkeypatch, per_institute=6)
    set_clock(monkeypatch, at(DAY, 13))
    client = client_for(chair(election))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_page(election, "turnout"))
    assert not any("elections_ballot" in q["sql"] or "elections_candidate" in q["sql"] for q in queries)
    result = response.context["turnout"]
    # The two candidates are students too, each on the roll in an institute of their own.
    assert (result.voters, result.voted, result.online, result.paper) == (20, 7, 6, 1)
    by_name = {row.institute: (row.voters, row.voted) for row in result.by_institute}
    institutes = [str(g.programme.department.institute) for g in groups]
    assert [by_name[name] for name in institutes] == [(6, 6), (6, 1), (6, 0)]
    hours = {label: count for label, count, _share in response.context["hours"]}
    assert (hours["09:00"], hours["10:00"], hours["11:00"], hours["12:00"]) == (3, 3, 0, 1)
    assert len(hours) == 9  # 09:00 to 17:00, empty hours included
    body = response.content.decode()
    assert 'id="turnout-percent">35,0 %' in body or 'id="turnout-percent">35.0 %' in body
    for candidate in voting.ballot_choices(election):
        assert candidate.student.user.full_name not in body
        assert f"candidate-{candidate.pk}" not in body
    assert 'hx-trigger="every 30s"' in body  # live while voting is open


@pytest.mark.parametrize("per_institute", [2, 15])
def test_el20_turnout_query_count_does_not_grow_with_voters(monkeypatch, django_assert_max_num_queries, per_institute):
    election, _groups, _students = _turnout_setup(monkeypatch, per_institute=per_institute)
    set_clock(monkeypatch, at(DAY, 13))
    client = client_for(chair(election))
    with django_assert_max_num_queries(10):
        client.get(_page(election, "turnout"))


def test_el20_turnout_htmx_refresh_returns_the_panel_only_and_stops_after_voting(monkeypatch):
    election, _groups, _students = _turnout_setup(monkeypatch, per_institute=2)
    client = client_for(chair(election))
    partial = client.get(_page(election, "turnout"), HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="turnout"') and "<html" not in partial
    set_clock(monkeypatch, at(DAY, 18))
    assert "hx-trigger" not in client.get(_page(election, "turnout")).content.decode()


def test_el11_roll_before_freezing_shows_the_eligible_count_and_levels(monkeypatch):
    set_clock(monkeypatch, at(DAY - __import__("datetime").timedelta(days=3), 12))
    election = voting_election(candidates=0)
    Election.objects.filter(pk=election.pk).update(voter_levels=[Programme.Level.BACHELOR])
    for _ in range(3):
        voter()
    voter(group__programme__level=Programme.Level.MASTER)
    voter(status="expelled")
    response = client_for(chair(election)).get(_page(election, "roll"))
    assert response.context["eligible"] == 3
    body = response.content.decode()
    assert 'id="roll-eligible">3<' in body and 'id="roll" ' not in body


def test_el11_frozen_roll_is_searchable_paginated_and_exported(polling_day, django_assert_max_num_queries):
    election, _member, client, (paper_voter, _online, _other) = polling_day
    Election.objects.filter(pk=election.pk).update(roll_frozen_at=None)
    for n in range(55):
        voter(user__last_name=f"Жұмабаев{n:02d}")
    voter(user__last_name="=HYPERLINK(1)")
    election.refresh_from_db()
    freeze(election)
    with django_assert_max_num_queries(12):
        first = client.get(_page(election, "roll"))
    # 3 voters of the fixture, 56 here and the 2 candidates (students too).
    assert first.context["page"].paginator.count == 61 and len(first.context["page"]) == 50
    second = client.get(_page(election, "roll"), {"page": 2})
    assert len(second.context["page"]) == 11
    found = client.get(_page(election, "roll"), {"q": "043512345"})
    assert [e.student for e in found.context["page"]] == [paper_voter]
    export = client.get(_page(election, "roll"), {"format": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode().lstrip("\ufeff"))))
    assert len(rows) == 62  # the header and every voter, not only the first page
    assert [r[0] for r in rows if "HYPERLINK" in r[0]] == ["'=HYPERLINK(1)"]  # no formula in a spreadsheet
    narrowed = client.get(_page(election, "roll"), {"format": "csv", "q": "Жұмабаев01"})
    assert len(list(csv.reader(io.StringIO(b"".join(narrowed.streaming_content).decode())))) == 2


def test_el11_el12_roll_page_matches_anywhere_and_any_case_the_poll_book_only_exactly_and_name_starts(polling_day):
    """One roll search, two strictnesses: the poll book (a voter at the desk) and the roll page (browsing)."""
    election, _member, _client, (paper_voter, _online, _other) = polling_day
    surname = paper_voter.user.last_name
    inner = surname[2:]  # SQLite folds the case of ASCII letters only, so the case is kept here
    assert paper_voter in [e.student for e in pollbook.roll_entries(election, inner)]
    assert paper_voter not in [e.student for e, _ in voting.find_voters(election, inner)]
    assert paper_voter in [e.student for e, _ in voting.find_voters(election, surname[:3])]
    code = paper_voter.user.id_code
    assert [e.student for e, _ in voting.find_voters(election, code)] == [paper_voter]
