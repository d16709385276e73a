"""EL-08, EL-09: campaign material and meetings with voters (services)."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from elections import rules
from elections.errors import ElectionError
from elections.models import CampaignMaterial, Election, MeetingRequest, Notice
from elections.services import campaign
from elections.services.calendar import sync_all, sync_phase
from portal.models import Notification, Role
from tests.academics.factories import make_staff
from tests.elections.factories import add_candidate, at, make_election

pytestmark = pytest.mark.django_db
Phase = rules.Phase
PLACE = "main_stand_1"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def election() -> Election:
    return make_election(phase=Phase.CAMPAIGN, candidates=2)


@pytest.fixture
def admin():
    return make_staff(Role.YOUTH_POLICY_SPECIALIST)


def _campaign_now(election: Election, days_before: int = 10, hour: int = 9):
    return at(election.election_day - timedelta(days=days_before), hour)


def _silence_now(election: Election, hour: int = 10):
    return at(rules.silence_day(election.election_day), hour)


def _user(election: Election, index: int = 0):
    return election.candidates.order_by("pk")[index].student.user


def _png(name: str = "poster.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _submit(election: Election, now, user=None, **kwargs):
    data = {"title": "Ашық университет", "body": "Біздің бағдарлама.", "place": PLACE} | kwargs
    return campaign.submit_material(user or _user(election), election, now=now, **data)


# EL-08, EL-09: material


def test_el09_candidate_submits_material_that_waits_for_approval(election, admin):
    """EL-09: material is shown only after the administration approves it; the candidate is told."""
    now = _campaign_now(election)
    material = _submit(election, now, file=_png())
    assert material.status == CampaignMaterial.Status.PENDING
    assert material.file.name.endswith("/material.png")
    assert material.history.first().history_user == _user(election)
    assert not campaign.visible_materials(election, now).exists()
    campaign.approve_material(admin, material, now=now)
    assert list(campaign.visible_materials(election, now)) == [material]
    note = Notification.objects.get(recipient=_user(election))
    assert "approved" in note.subject
    assert material.history.first().history_user == admin


def test_el09_refusal_needs_a_reason_and_tells_the_candidate(election, admin):
    now = _campaign_now(election)
    material = _submit(election, now)
    with pytest.raises(ElectionError, match="reason"):
        campaign.refuse_material(admin, material, "  ")
    material.refresh_from_db()
    assert material.status == CampaignMaterial.Status.PENDING
    campaign.refuse_material(admin, material, "Қорлайтын сөз бар")
    material.refresh_from_db()
    assert material.status == CampaignMaterial.Status.REFUSED and material.decision_note == "Қорлайтын сөз бар"
    assert "Қорлайтын сөз бар" in Notification.objects.get(recipient=_user(election)).body
    with pytest.raises(ElectionError, match="already been decided"):
        campaign.approve_material(admin, material, now=now)


def test_el09_only_the_administration_decides_material(election):
    """EL-09: approval by anyone outside the administration (a commission member, a candidate) is 403."""
    now = _campaign_now(election)
    material = _submit(election, now)
    for outsider in (election.test_chair, _user(election, 1), make_staff(Role.DEAN)):
        with pytest.raises(PermissionDenied):
            campaign.approve_material(outsider, material, now=now)
        with pytest.raises(PermissionDenied):
            campaign.refuse_material(outsider, material, "no")
    material.refresh_from_db()
    assert material.status == CampaignMaterial.Status.PENDING


def test_only_a_registered_candidate_submits_material(election):
    now = _campaign_now(election)
    applicant = add_candidate(election, status="refused")
    with pytest.raises(PermissionDenied):
        _submit(election, now, user=applicant.student.user)
    with pytest.raises(PermissionDenied):
        _submit(election, now, user=election.test_chair)
    assert not CampaignMaterial.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("poster.png", b"%PDF-1.4 not an image", "not what its name claims"),
        ("poster.exe", b"MZ\x90\x00 program", "JPEG or PNG image or a PDF"),
        ("poster.png", b"\x89PNG\r\n\x1a\n broken", "damaged"),
        ("leaflet.pdf", b"%PDF-1.4" + b"0" * (10 * 1024 * 1024), "too large"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_stored(election, name, content, message):
    with pytest.raises(ElectionError, match=message):
        _submit(election, _campaign_now(election), file=SimpleUploadedFile(name, content))
    assert not CampaignMaterial.objects.exists()


def test_material_needs_a_designated_place(election):
    """EL-09: printed material goes only on the designated stands."""
    with pytest.raises(ElectionError, match="designated places"):
        _submit(election, _campaign_now(election), place="Жатақхана қабырғасы")
    assert not CampaignMaterial.objects.exists()


def test_el08_submitting_on_silence_day_is_refused_even_if_the_job_has_not_run(election):
    """EL-08: the stored phase still says CAMPAIGN (no sync ran); the clock refuses, naming when campaigning ended."""
    now = _silence_now(election)
    assert election.phase == Phase.CAMPAIGN.name
    last_day = (election.election_day - timedelta(days=2)).strftime("%d.%m.%Y")
    with pytest.raises(ElectionError, match=f"Campaigning ended at 24:00 on {last_day}"):
        _submit(election, now)
    with pytest.raises(ElectionError, match="election day"):
        _submit(election, at(election.election_day, 20))
    with pytest.raises(ElectionError, match="The campaign is over"):
        _submit(election, at(election.election_day + timedelta(days=1), 9))
    assert not CampaignMaterial.objects.exists()


def test_el08_no_material_before_the_list_is_published():
    election = make_election(phase=Phase.REGISTRATION, candidates=1)
    with pytest.raises(ElectionError, match="publishes the candidate list"):
        _submit(election, _campaign_now(election))


def test_el08_material_approved_earlier_is_not_shown_on_silence_day_without_the_job(election, admin):
    now = _campaign_now(election)
    campaign.approve_material(admin, _submit(election, now), now=now)
    assert campaign.visible_materials(election, now).count() == 1
    assert campaign.visible_materials(election, _silence_now(election, 0)).count() == 0
    assert campaign.visible_materials(election, at(election.election_day + timedelta(days=3), 12)).count() == 0


def test_el08_approving_on_silence_day_is_refused(election, admin):
    material = _submit(election, _campaign_now(election))
    with pytest.raises(ElectionError, match="Campaigning ended"):
        campaign.approve_material(admin, material, now=_silence_now(election))
    material.refresh_from_db()
    assert material.status == CampaignMaterial.Status.PENDING


def test_el08_sync_phase_hides_material_at_silence_start_and_tells_candidates_once(election, admin):
    """EL-08: the scheduled job hides every material at 00:00 of silence day and tells each candidate once."""
    now = _campaign_now(election)
    approved = _submit(election, now)
    campaign.approve_material(admin, approved, now=now)
    pending = _submit(election, now, user=_user(election, 1))
    Notification.objects.all().delete()
    silence = at(rules.silence_day(election.election_day), 0, 1)
    result = sync_phase(election, silence)
    assert result.phase == Phase.SILENCE and result.materials_hidden == 2
    approved.refresh_from_db()
    pending.refresh_from_db()
    assert approved.hidden and pending.hidden
    assert election.phase == Phase.SILENCE.name and election.materials_hidden_at == silence
    notes = Notification.objects.filter(subject__contains="Silence day")
    assert {n.recipient for n in notes} == {_user(election, 0), _user(election, 1)}
    assert "24:00" in notes[0].body
    sync_phase(election, silence + timedelta(minutes=1))
    sync_all(silence + timedelta(hours=2))
    assert Notification.objects.filter(subject__contains="Silence day").count() == 2
    assert Notice.objects.filter(election=election, kind="campaign_ended").count() == 2


def test_el08_a_job_that_first_runs_after_election_day_tells_nobody(election):
    sync_phase(election, at(election.election_day + timedelta(days=2), 9))
    election.refresh_from_db()
    assert election.materials_hidden_at is not None
    assert not Notification.objects.filter(subject__contains="Silence day").exists()


# EL-09: meetings with voters


def _meeting(election, now, user=None, day_offset=9, start=(11, 50), end=(12, 30), place="Мәжіліс залы"):
    day = election.election_day - timedelta(days=day_offset)
    return campaign.request_meeting(
        user or _user(election),
        election,
        starts_at=at(day, *start),
        ends_at=at(day, *end),
        place=place,
        now=now,
    )


def test_el09_meeting_in_a_break_is_requested_and_approved(election, admin):
    now = _campaign_now(election)
    meeting = _meeting(election, now)
    assert meeting.status == MeetingRequest.Status.PENDING
    campaign.approve_meeting(admin, meeting, now=now)
    meeting.refresh_from_db()
    assert meeting.status == MeetingRequest.Status.APPROVED and meeting.decided_by == admin
    assert meeting.history.first().history_user == admin
    assert Notification.objects.filter(recipient=_user(election), subject__contains="approved").exists()
    assert campaign.meeting_counts(election)[meeting.candidate_id] == (1, 0)


@pytest.mark.parametrize(("start", "end"), [((10, 0), (10, 45)), ((12, 30), (13, 0)), ((16, 30), (17, 30))])
def test_el09_meeting_during_class_hours_is_refused_with_the_allowed_windows(election, start, end):
    """EL-09: meetings are held in breaks (11:50-12:40) or after classes (17:00-20:00)."""
    with pytest.raises(ElectionError, match="breaks or after classes: 11:50–12:40, 17:00–20:00"):
        _meeting(election, _campaign_now(election), start=start, end=end)
    assert not MeetingRequest.objects.exists()


def test_el09_meeting_windows_are_a_setting(election, settings):
    settings.ELECTION_MEETING_WINDOWS = [("10:00", "11:00")]
    assert _meeting(election, _campaign_now(election), start=(10, 0), end=(10, 45))
    with pytest.raises(ElectionError, match="10:00–11:00"):
        _meeting(election, _campaign_now(election))


def test_el09_meeting_after_classes_is_accepted(election):
    assert _meeting(election, _campaign_now(election), start=(17, 0), end=(18, 30))


def test_el09_meeting_on_silence_day_or_in_the_past_is_refused(election):
    now = _campaign_now(election)
    with pytest.raises(ElectionError, match="campaign, which ends"):
        _meeting(election, now, day_offset=1)
    with pytest.raises(ElectionError, match="future"):
        _meeting(election, now, day_offset=11)
    with pytest.raises(ElectionError, match="Campaigning ended"):
        _meeting(election, _silence_now(election), day_offset=-1)
    assert not MeetingRequest.objects.exists()


def test_el09_equal_quota_of_approved_meetings(election, admin):
    """EL-09: each candidate gets at most `meetings_per_candidate` approved meetings (here 2)."""
    election.meetings_per_candidate = 2
    election.save()
    now = _campaign_now(election)
    requests = [_meeting(election, now, day_offset=9 - i) for i in range(3)]
    campaign.approve_meeting(admin, requests[0], now=now)
    campaign.approve_meeting(admin, requests[1], now=now)
    with pytest.raises(ElectionError, match="already has 2 approved meetings"):
        campaign.approve_meeting(admin, requests[2], now=now)
    requests[2].refresh_from_db()
    assert requests[2].status == MeetingRequest.Status.PENDING
    with pytest.raises(ElectionError, match="You already have the 2 approved meetings"):
        _meeting(election, now, day_offset=5)
    other = _meeting(election, now, user=_user(election, 1), day_offset=5)
    campaign.approve_meeting(admin, other, now=now)
    counts = campaign.meeting_counts(election)
    assert counts[requests[0].candidate_id] == (2, 1) and counts[other.candidate_id] == (1, 0)


def test_el09_two_approved_meetings_cannot_overlap_at_the_same_place(election, admin):
    now = _campaign_now(election)
    first = _meeting(election, now, start=(11, 50), end=(12, 30))
    campaign.approve_meeting(admin, first, now=now)
    clash = _meeting(election, now, user=_user(election, 1), start=(12, 0), end=(12, 40), place=" мәжіліс  ЗАЛЫ ")
    with pytest.raises(ElectionError, match="The place is taken"):
        campaign.approve_meeting(admin, clash, now=now)
    clash.refresh_from_db()
    assert clash.status == MeetingRequest.Status.PENDING
    elsewhere = _meeting(election, now, user=_user(election, 1), start=(12, 0), end=(12, 40), place="302 аудитория")
    campaign.approve_meeting(admin, elsewhere, now=now)
    later = _meeting(election, now, user=_user(election, 1), start=(17, 0), end=(18, 0))
    campaign.approve_meeting(admin, later, now=now)
    assert MeetingRequest.objects.filter(status=MeetingRequest.Status.APPROVED).count() == 3


def test_el09_only_the_administration_decides_meetings(election):
    now = _campaign_now(election)
    meeting = _meeting(election, now)
    with pytest.raises(PermissionDenied):
        campaign.approve_meeting(election.test_chair, meeting, now=now)
    with pytest.raises(PermissionDenied):
        campaign.refuse_meeting(_user(election), meeting, "no")
    meeting.refresh_from_db()
    assert meeting.status == MeetingRequest.Status.PENDING


def test_el09_refused_meeting_tells_the_candidate_why(election, admin):
    meeting = _meeting(election, _campaign_now(election))
    campaign.refuse_meeting(admin, meeting, "Зал бос емес")
    meeting.refresh_from_db()
    assert meeting.status == MeetingRequest.Status.REFUSED
    assert "Зал бос емес" in Notification.objects.get(recipient=_user(election)).body
