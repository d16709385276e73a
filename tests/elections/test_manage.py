"""Creating an election, its commission and its phases (EL-01, EL-02, EL-08, EL-11)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from elections import rules
from elections.errors import ElectionError
from elections.models import CampaignMaterial, Candidate, CommissionMember, Election, RollEntry
from elections.services import calendar
from portal.models import Programme, Role
from tests.academics.factories import AcademicYearFactory, make_staff
from tests.elections.factories import add_candidate, at, make_election
from tests.factories import ProgrammeFactory, StudyGroupFactory, make_student

pytestmark = pytest.mark.django_db
Phase = rules.Phase


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_el01_a_new_election_defaults_to_the_last_friday_of_september_and_hybrid_voting():
    organiser = make_staff(Role.DESW_DIRECTOR)
    year = AcademicYearFactory.create(start_year=2026)
    response = _client(organiser).post(
        "/elections/new/",
        {"academic_year": year.pk, "position": "sg_president", "mode": "hybrid", "voter_levels": ["bachelor"]},
    )
    election = Election.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/elections/{election.pk}/"
    assert election.election_day == date(2026, 9, 25)
    assert election.registration_deadline == date(2026, 9, 11)
    assert (election.mode, election.phase, election.voter_levels) == ("hybrid", "DRAFT", ["bachelor"])
    assert election.history.first().history_user == organiser


def test_el01_only_organisers_create_elections_and_bad_input_changes_nothing():
    year = AcademicYearFactory.create(start_year=2026)
    data = {"academic_year": year.pk, "position": "sg_president", "mode": "hybrid", "voter_levels": ["bachelor"]}
    assert _client(make_student().user).post("/elections/new/", data).status_code == 403
    organiser = make_staff(Role.VICE_RECTOR_SOCIAL)
    _client(organiser).post("/elections/new/", {**data, "voter_levels": []})
    _client(organiser).post("/elections/new/", {**data, "election_day": "2030-01-01"})  # outside the year
    assert Election.objects.count() == 0


def test_el02_one_chair_one_secretary_and_only_the_commission_acts():
    election = make_election(phase=Phase.DRAFT)
    organiser = make_staff(Role.DESW_DIRECTOR)
    with pytest.raises(ElectionError):
        calendar.appoint_member(organiser, election, make_staff(Role.TEACHER), CommissionMember.Role.CHAIR)
    newcomer = make_staff(Role.TEACHER)
    calendar.appoint_member(organiser, election, newcomer, CommissionMember.Role.MEMBER)
    with pytest.raises(ElectionError):
        calendar.appoint_member(organiser, election, newcomer, CommissionMember.Role.MEMBER)
    outsider = make_staff(Role.TEACHER)
    with pytest.raises(PermissionDenied):
        calendar.open_registration(outsider, election)
    response = _client(outsider).post(f"/elections/{election.pk}/open-registration/")
    assert response.status_code == 403
    election.refresh_from_db()
    assert election.phase == "DRAFT"
    with pytest.raises(PermissionDenied):
        calendar.appoint_member(newcomer, election, make_staff(Role.TEACHER), CommissionMember.Role.MEMBER)


def test_el01_the_commission_opens_registration_then_publishes_the_list_after_the_deadline():
    election = make_election(phase=Phase.DRAFT, election_day=date(2026, 10, 30))
    chair = election.test_chair  # type: ignore[attr-defined]
    calendar.open_registration(chair, election, now=at(date(2026, 10, 1), 10))
    election.refresh_from_db()
    assert election.phase == "REGISTRATION"
    applied = add_candidate(election, status=Candidate.Status.APPLIED)
    add_candidate(election)
    with pytest.raises(ElectionError):  # registration still open (deadline 16 October)
        calendar.publish_candidates(chair, election, now=at(date(2026, 10, 16), 23))
    with pytest.raises(ElectionError):  # an application is undecided
        calendar.publish_candidates(chair, election, now=at(date(2026, 10, 17), 9))
    applied.status = Candidate.Status.REFUSED
    applied.save()
    calendar.publish_candidates(chair, election, now=at(date(2026, 10, 17), 9))
    election.refresh_from_db()
    assert election.phase == "CAMPAIGN" and election.candidates_published_at is not None


def test_el05_registration_cannot_open_after_its_deadline():
    election = make_election(phase=Phase.DRAFT, election_day=date(2026, 10, 30))
    with pytest.raises(ElectionError):
        calendar.open_registration(election.test_chair, election, now=at(date(2026, 10, 17), 0))  # type: ignore[attr-defined]


def test_el11_el08_the_clock_hides_material_at_silence_and_freezes_the_roll_when_voting_opens():
    bachelor = StudyGroupFactory.create(programme=ProgrammeFactory.create(level=Programme.Level.BACHELOR))
    master = StudyGroupFactory.create(programme=ProgrammeFactory.create(level=Programme.Level.MASTER))
    election = make_election(phase=Phase.CAMPAIGN, election_day=date(2026, 10, 30), candidates=1)
    election.voter_levels = ["bachelor"]
    election.save()
    voters = [make_student(group=bachelor) for _ in range(3)]
    make_student(group=bachelor, status="leave")
    make_student(group=master)
    material = CampaignMaterial.objects.create(
        candidate=election.candidates.get(), title="Плакат", body="Дауыс беріңіз", place="stand", status="approved"
    )
    result = calendar.sync_phase(election, at(date(2026, 10, 29), 0, 1))
    assert result.phase == Phase.SILENCE and result.materials_hidden == 1
    material.refresh_from_db()
    assert material.hidden and election.phase == "SILENCE"
    assert calendar.sync_phase(election, at(date(2026, 10, 29), 0, 2)).materials_hidden == 0  # once
    result = calendar.sync_phase(election, at(date(2026, 10, 30), 9, 0))
    assert result.phase == Phase.VOTING and result.roll_frozen
    roll = set(RollEntry.objects.filter(election=election).values_list("student_id", flat=True))
    candidate_student = election.candidates.get().student_id
    assert roll == {v.pk for v in voters} | ({candidate_student} - set())  # enrolled bachelor students only
    late = make_student(group=bachelor)
    calendar.sync_phase(election, at(date(2026, 10, 30), 10, 0))
    assert not RollEntry.objects.filter(election=election, student=late).exists()  # frozen
    assert calendar.sync_phase(election, at(date(2026, 10, 30), 18, 0)).phase == Phase.COUNTING


def test_el01_the_periodic_job_moves_running_elections_only():
    running = make_election(phase=Phase.CAMPAIGN, election_day=date(2026, 10, 30))
    draft = make_election(phase=Phase.DRAFT, election_day=date(2026, 10, 30))
    assert calendar.sync_all(at(date(2026, 10, 30), 12)) == 1
    running.refresh_from_db()
    draft.refresh_from_db()
    assert (running.phase, draft.phase) == ("VOTING", "DRAFT")


def test_election_pages_show_the_calendar_and_commission(django_assert_max_num_queries):
    election = make_election(phase=Phase.CAMPAIGN, candidates=2)
    client = _client(election.test_chair)  # type: ignore[attr-defined]
    with django_assert_max_num_queries(14):
        body = client.get(f"/elections/{election.pk}/").content.decode()
    assert election.test_chair.full_name in body  # type: ignore[attr-defined]
    assert election.election_day.strftime("%d.%m.%Y") in body and "09:00–18:00" in body
    assert (election.election_day - timedelta(days=2)).strftime("%d.%m.%Y") in body  # the last campaign day
    with django_assert_max_num_queries(10):
        assert client.get("/elections/").status_code == 200
