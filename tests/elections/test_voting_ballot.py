"""The student's ballot page: EL-01 hours, EL-07 for/against, EL-10 photo and information, EL-11 roll,
EL-12 one vote with a confirmation step, EL-13 Kazakh order, and the receipt shown once."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from elections.models import Ballot, Candidate, Election, Participation
from elections.services import voting
from portal.models import Programme, Role
from tests.academics.factories import make_staff
from tests.elections.factories import add_candidate, at
from tests.elections.voting_support import DAY, chair, client_for, freeze, set_clock, shown, voter, voting_election

pytestmark = pytest.mark.django_db


def _url(election: Election) -> str:
    return f"/elections/{election.pk}/ballot/"


def _nothing_stored(election: Election) -> bool:
    return not Ballot.objects.filter(election=election).exists() and not Participation.objects.exists()


@pytest.fixture
def open_booth(monkeypatch):
    """10:00 on election day, two registered candidates, one voter signed in."""
    set_clock(monkeypatch, at(DAY, 10))
    election = voting_election(candidates=2)
    student = voter()
    return election, student, client_for(student.user)


def test_el12_student_confirms_then_casts_and_sees_the_receipt_once(open_booth):
    """EL-12, EL-14: choose, confirm ("cannot be changed"), cast; the receipt is on the casting POST's
    response only: not in a redirect URL, not in the session, not on the ballot page afterwards."""
    election, student, client = open_booth
    page = client.get(_url(election))
    assert page.status_code == 200 and 'id="ballot-form"' in page.content.decode()
    first = voting.ballot_choices(election)[0]

    confirm = client.post(_url(election), {"step": "confirm", "choice": first.pk})
    assert confirm.status_code == 200
    assert shown(confirm, "Once cast, your ballot cannot be changed or withdrawn.")
    assert first.student.user.full_name in confirm.content.decode()
    assert _nothing_stored(election)  # confirming stores nothing

    cast = client.post(_url(election), {"step": "cast", "choice": first.pk})
    assert cast.status_code == 200  # rendered, not redirected: the code never travels in a URL
    ballot = Ballot.objects.get(election=election)
    assert ballot.candidate == first and not ballot.against
    body = cast.content.decode()
    assert ballot.receipt in body and shown(cast, "Write this code down now.")
    assert "no-store" in cast["Cache-Control"]
    session = client.session
    assert all(ballot.receipt not in str(value) for value in session.values())
    assert Participation.objects.get(election=election, student=student).channel == "online"

    after = client.get(_url(election))
    assert ballot.receipt not in after.content.decode()
    assert 'id="ballot-voted"' in after.content.decode() and 'id="ballot-form"' not in after.content.decode()
    assert shown(after, "You have voted in this election online.")


def test_el12_the_casting_post_reads_only_what_casting_needs(open_booth, django_assert_max_num_queries):
    """Issue 4's benchmark (bench/vote.py): with the roll frozen, the casting POST neither works out the
    voter's standing nor loads the candidates' names for the page: session, user, election, then one
    statement that checks the roll entry and the choice and writes the participation, its audit row and
    the ballot (`elections/services/casting.py`); the receipt page reads nothing (no navigation)."""
    election, student, client = open_booth
    freeze(election)
    first = voting.ballot_choices(election)[0]
    # Postgres: 4 statements and the savepoint pair of the test's transaction (was 13); elsewhere the ORM path
    # (the student, the roll entry, the candidates, the participation, its audit row, the ballot) takes 11.
    with django_assert_max_num_queries(6 if connection.vendor == "postgresql" else 11):
        cast = client.post(_url(election), {"step": "cast", "choice": first.pk})
    assert cast.status_code == 200 and Ballot.objects.get(election=election).candidate == first
    assert Participation.objects.filter(election=election, student=student).count() == 1


def test_el12_a_second_cast_is_refused_and_one_ballot_exists(open_booth):
    """EL-12: the same student's second request is refused; exactly one ballot and one participation."""
    election, student, client = open_booth
    first, second = voting.ballot_choices(election)
    client.post(_url(election), {"step": "cast", "choice": first.pk})
    again = client.post(_url(election), {"step": "cast", "choice": second.pk}, follow=True)
    assert shown(again, "You have already voted in this election; a ballot cannot be changed.")
    assert Ballot.objects.filter(election=election).count() == 1
    assert Ballot.objects.get(election=election).candidate == first
    assert Participation.objects.filter(election=election, student=student).count() == 1


def test_el12_no_online_ballot_after_a_paper_ballot(open_booth):
    """EL-12: a voter marked in the poll book on paper cannot vote online."""
    election, student, client = open_booth
    freeze(election)
    voting.issue_paper_ballot(chair(election), election, student, "N0001", now=at(DAY, 9, 30))
    page = client.get(_url(election))
    assert shown(page, "You have voted in this election on a paper ballot at the polling place.")
    refused = client.post(
        _url(election), {"step": "cast", "choice": voting.ballot_choices(election)[0].pk}, follow=True
    )
    assert shown(refused, "You have already voted in this election; a ballot cannot be changed.")
    assert not Ballot.objects.filter(election=election).exists()
    assert Participation.objects.get(student=student).channel == "paper"


@pytest.mark.parametrize("choice", ["against", "999999", "", "<script>"])
def test_forged_or_missing_choice_is_refused_and_nothing_stored(open_booth, choice):
    """EL-07, EL-12: 'against' with two candidates, an id not on the ballot, nothing or junk: refused."""
    election, _student, client = open_booth
    confirm = client.post(_url(election), {"step": "confirm", "choice": choice})
    assert confirm.status_code == 200 and 'id="ballot-form"' in confirm.content.decode()  # the ballot again
    cast = client.post(_url(election), {"step": "cast", "choice": choice}, follow=True)
    assert cast.redirect_chain and 'class="alert alert-danger' in cast.content.decode()
    assert _nothing_stored(election)


def test_el12_candidate_who_is_not_registered_cannot_be_voted_for(open_booth):
    """EL-12: a refused (or another election's) candidate's id is not on the ballot."""
    election, _student, client = open_booth
    refused = add_candidate(election, status=Candidate.Status.REFUSED)
    other = add_candidate(voting_election(candidates=0))
    for candidate in (refused, other):
        response = client.post(_url(election), {"step": "cast", "choice": candidate.pk}, follow=True)
        assert shown(response, "Choose one of the candidates on the ballot.")
    assert _nothing_stored(election)


def test_el07_single_candidate_ballot_asks_for_or_against(monkeypatch):
    """EL-07: with one candidate the ballot offers "for" and "against"; "against" is a ballot with no candidate."""
    set_clock(monkeypatch, at(DAY, 11))
    election = voting_election(candidates=1)
    (only,) = voting.ballot_choices(election)
    student = voter()
    client = client_for(student.user)
    body = client.get(_url(election)).content.decode()
    assert 'value="against"' in body and f'value="{only.pk}"' in body
    client.post(_url(election), {"step": "cast", "choice": "against"})
    ballot = Ballot.objects.get(election=election)
    assert ballot.against and ballot.candidate is None


def _jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (90, 120, 160)).save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_el10_ballot_shows_each_candidates_photo_and_standard_information(open_booth, settings, tmp_path):
    """EL-10: the photo and the information set approved by the commission, for every candidate."""
    settings.MEDIA_ROOT = tmp_path
    election, _student, client = open_booth
    first, second = voting.ballot_choices(election)
    first.photo = _jpeg()
    first.standard_info = "3-курс, ақпараттық жүйелер.\nСтуденттік кеңес мүшесі."
    first.save()
    second.standard_info = "2-курс, құқық."
    second.save()
    body = client.get(_url(election)).content.decode()
    assert first.photo.url in body and 'class="rounded border candidate-photo"' in body
    assert "Студенттік кеңес мүшесі." in body and "2-курс, құқық." in body
    assert body.count('class="card h-100 candidate"') == 2


def test_el13_ballot_lists_candidates_in_kazakh_alphabetical_order(monkeypatch):
    """EL-13: А Ә Б ... У Ұ Ү ... Ы І ..., Latin names after Cyrillic ones; not code-point order."""
    set_clock(monkeypatch, at(DAY, 10))
    election = voting_election(candidates=0)
    surnames = ["Smith", "Бекова", "Іскаков", "Үмбетов", "Аманов", "Ұлықбеков", "Әбенов", "Ыбыраев", "Уәлиев"]
    for surname in surnames:
        add_candidate(election, voter(user__last_name=surname, year_of_study=3))
    body = client_for(voter().user).get(_url(election)).content.decode()
    positions = [body.index(f">{surname} ") for surname in surnames]
    shown_order = [s for _, s in sorted(zip(positions, surnames, strict=True))]
    assert shown_order == [
        "Аманов",
        "Әбенов",
        "Бекова",
        "Уәлиев",
        "Ұлықбеков",
        "Үмбетов",
        "Ыбыраев",
        "Іскаков",
        "Smith",
    ]


@pytest.mark.parametrize(("hour", "minute"), [(8, 59), (18, 0)])
def test_el01_outside_voting_hours_the_page_says_when_and_a_cast_is_refused(monkeypatch, hour, minute):
    """EL-01: at 08:59 and at 18:00:00 nothing is accepted, even with the phase stored as VOTING (a job
    that ran early or late); the page says the hours instead of showing the ballot."""
    set_clock(monkeypatch, at(DAY, hour, minute))
    election = voting_election(candidates=2, phase=voting.rules.Phase.VOTING)
    student = voter()
    client = client_for(student.user)
    page = client.get(_url(election))
    assert 'id="ballot-form"' not in page.content.decode()
    marker = "ballot-not-yet" if hour < 9 else "ballot-closed"
    assert f'id="{marker}"' in page.content.decode() and "09:00" in page.content.decode()
    choice = voting.ballot_choices(election)[0].pk
    refused = client.post(_url(election), {"step": "cast", "choice": choice}, follow=True)
    assert 'class="alert alert-danger' in refused.content.decode()
    assert _nothing_stored(election)


def test_el01_at_09_00_the_ballot_is_accepted(monkeypatch):
    """EL-01: voting opens at 09:00:00 Almaty time, whatever phase the job has stored so far."""
    set_clock(monkeypatch, at(DAY, 9, 0))
    election = voting_election(candidates=2)
    client = client_for(voter().user)
    assert 'id="ballot-form"' in client.get(_url(election)).content.decode()
    client.post(_url(election), {"step": "cast", "choice": voting.ballot_choices(election)[0].pk})
    assert Ballot.objects.filter(election=election).count() == 1


def test_el11_student_enrolled_after_the_roll_froze_cannot_vote(monkeypatch):
    """EL-11: the roll is frozen when voting opens; a student enrolled afterwards is not on it."""
    set_clock(monkeypatch, at(DAY, 10))
    election = voting_election(candidates=2)
    freeze(election)
    late = voter()
    client = client_for(late.user)
    page = client.get(_url(election))
    assert 'id="ballot-not-on-roll"' in page.content.decode() and 'id="ballot-form"' not in page.content.decode()
    response = client.post(_url(election), {"step": "cast", "choice": voting.ballot_choices(election)[0].pk})
    assert response.status_code == 302
    assert _nothing_stored(election)


def test_el11_masters_student_cannot_vote_when_only_bachelors_vote(monkeypatch):
    """EL-11: the study levels that vote are a setting of the election."""
    set_clock(monkeypatch, at(DAY, 10))
    election = voting_election(candidates=2)
    Election.objects.filter(pk=election.pk).update(voter_levels=[Programme.Level.BACHELOR])
    election.refresh_from_db()
    master = voter(group__programme__level=Programme.Level.MASTER)
    bachelor = voter()
    choice = voting.ballot_choices(election)[0].pk
    master_client = client_for(master.user)
    assert 'id="ballot-not-on-roll"' in master_client.get(_url(election)).content.decode()
    master_client.post(_url(election), {"step": "cast", "choice": choice})
    client_for(bachelor.user).post(_url(election), {"step": "cast", "choice": choice})
    assert list(Participation.objects.values_list("student", flat=True)) == [bachelor.pk]


def test_staff_member_who_is_not_a_student_gets_403_and_cannot_cast(open_booth):
    """EL-12: only students vote; a commission member or a teacher gets 403 on the ballot."""
    election, _student, _client = open_booth
    choice = voting.ballot_choices(election)[0].pk
    for user in (chair(election), make_staff(Role.TEACHER)):
        client = client_for(user)
        assert client.get(_url(election)).status_code == 403
        assert client.post(_url(election), {"step": "cast", "choice": choice}).status_code == 403
    assert _nothing_stored(election)


def test_anonymous_visitor_is_sent_to_sign_in(open_booth):
    election, _student, _client = open_booth
    from django.test import Client

    response = Client().get(_url(election))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_paper_only_election_sends_the_student_to_the_polling_place(monkeypatch):
    set_clock(monkeypatch, at(DAY, 12))
    election = voting_election(candidates=2, mode=Election.Mode.PAPER)
    client = client_for(voter().user)
    assert 'id="ballot-paper-only"' in client.get(_url(election)).content.decode()
    client.post(_url(election), {"step": "cast", "choice": voting.ballot_choices(election)[0].pk})
    assert _nothing_stored(election)


def test_ballot_page_query_count_does_not_grow_with_candidates(open_booth, django_assert_max_num_queries):
    election, _student, client = open_booth
    for _ in range(8):
        add_candidate(election)
    with django_assert_max_num_queries(12):
        response = client.get(_url(election))
    assert response.content.decode().count('class="card h-100 candidate"') == 10


def test_el12_the_casting_post_loads_the_election_as_the_orm_does(open_booth):
    """Issue 4: the casting POST's fixed statement (Postgres) loads the same values as
    `select_related("academic_year").only(CASTING_FIELDS)`; an unknown election is a 404."""
    from django.http import Http404

    from elections.views.voting import CASTING_FIELDS, _casting_election

    election, _student, _client = open_booth
    freeze(election)
    loaded = _casting_election(election.pk)
    expected = Election.objects.select_related("academic_year").only(*CASTING_FIELDS).get(pk=election.pk)
    assert [getattr(loaded, name) for name in ("id", *CASTING_FIELDS)] == [
        getattr(expected, name) for name in ("id", *CASTING_FIELDS)
    ]
    assert loaded.roll_frozen_at is not None and loaded.stored_phase == expected.stored_phase
    assert loaded.academic_year.start_year == expected.academic_year.start_year
    with pytest.raises(Http404):
        _casting_election(election.pk + 1000)
