"""EL-07 to EL-10: the campaign pages, the candidate's own campaign, the administration's review and the panels."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from elections import rules
from elections.models import CampaignMaterial, Candidate, Election, MeetingRequest
from portal.models import Role
from tests.academics.factories import make_staff
from tests.elections.factories import add_candidate, make_election
from tests.factories import make_student

pytestmark = pytest.mark.django_db
Phase = rules.Phase


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def _election(days_ahead: int = 30, candidates: int = 2) -> Election:
    return make_election(
        phase=Phase.CAMPAIGN, candidates=candidates, election_day=timezone.localdate() + timedelta(days=days_ahead)
    )


def _material(candidate: Candidate, status: str = CampaignMaterial.Status.APPROVED, **kwargs) -> CampaignMaterial:
    data = {"title": f"Плакат {candidate.pk}", "body": "Біргеміз!", "place": "main_stand_1", "status": status}
    return CampaignMaterial.objects.create(candidate=candidate, **(data | kwargs))


def _first(election: Election) -> Candidate:
    return election.candidates.order_by("pk")[0]


def _named(election: Election, *names: str) -> list[Candidate]:
    result = []
    for name in names:
        candidate = add_candidate(election, standard_info=f"Информация: {name}")
        last, first = name.split()
        candidate.student.user.last_name, candidate.student.user.first_name = last, first
        candidate.student.user.save()
        result.append(candidate)
    return result


def test_campaign_page_needs_a_login():
    election = _election()
    response = Client().get(f"/elections/{election.pk}/campaign/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_el10_campaign_page_shows_every_candidate_in_kazakh_order_with_photo_and_standard_information():
    """EL-10, EL-13: any student sees each registered candidate's photo and standard information, in the
    Kazakh alphabet's order (Ә after А, Ө after О, Ү after Ұ); refused applicants are not shown."""
    election = _election(candidates=0)
    ushakov, abenov, orazov, abilov = _named(election, "Үмбетов Нұр", "Абенов Ерлан", "Өтепов Дана", "Әбілов Асан")
    orazov.photo = SimpleUploadedFile("p.png", _png())
    orazov.save()
    refused = add_candidate(election, status=Candidate.Status.REFUSED, standard_info="refused-one")
    body = _client(make_student().user).get(f"/elections/{election.pk}/campaign/").content.decode()
    positions = [body.index(f"Информация: {c.student.user.last_name}") for c in (abenov, abilov, orazov, ushakov)]
    assert positions == sorted(positions)
    assert f"/elections/{election.pk}/campaign/photo/{orazov.pk}/" in body
    assert refused.standard_info not in body
    photo = _client(make_student().user).get(f"/elections/{election.pk}/campaign/photo/{orazov.pk}/")
    assert photo.status_code == 200 and photo.getvalue().startswith(b"\x89PNG")


def test_el09_campaign_page_shows_approved_material_only():
    election = _election()
    first, second = election.candidates.order_by("pk")
    approved = _material(first)
    _material(second, status=CampaignMaterial.Status.PENDING, title="Pending poster")
    _material(second, status=CampaignMaterial.Status.REFUSED, title="Refused poster")
    body = _client(make_student().user).get(f"/elections/{election.pk}/campaign/").content.decode()
    assert approved.title in body and "Stand 1, main academic building" in body
    assert "Pending poster" not in body and "Refused poster" not in body


def test_campaign_page_query_count_is_fixed(django_assert_max_num_queries):
    election = _election(candidates=6)
    for candidate in election.candidates.all():
        for _ in range(3):
            _material(candidate)
    client = _client(make_student().user)
    with django_assert_max_num_queries(12):
        response = client.get(f"/elections/{election.pk}/campaign/")
    assert response.content.decode().count('class="card h-100 material"') == 12  # one page


@pytest.mark.parametrize(("days_ahead", "message"), [(1, "Campaigning ended"), (0, "Campaigning ended"), (-1, "over")])
def test_el08_page_shows_no_material_on_silence_day_election_day_and_after_even_without_the_job(days_ahead, message):
    """EL-08: approved material that the job has not hidden yet (hidden=False) is still not shown."""
    election = _election(days_ahead=days_ahead)
    material = _material(_first(election))
    assert not material.hidden and election.phase == Phase.CAMPAIGN.name
    client = _client(make_student().user)
    body = client.get(f"/elections/{election.pk}/campaign/").content.decode()
    assert material.title not in body and 'id="no-material"' in body and message in body
    assert client.get(f"/elections/{election.pk}/campaign/material/{material.pk}/file/").status_code == 404


def test_el07_single_candidate_page_and_board_say_the_ballot_asks_for_or_against():
    """EL-07: with a single registered candidate the ballot asks "for" or "against"; the campaign page, the
    candidate's own page and the board say so."""
    election = _election(candidates=1)
    candidate = election.candidates.get()
    client = _client(candidate.student.user)
    for url in (f"/elections/{election.pk}/campaign/", f"/elections/{election.pk}/campaign/mine/"):
        body = client.get(url).content.decode()
        assert 'id="single-candidate"' in body and "“for” or “against”" in body
    board = client.get("/dashboard/student/").content.decode()
    assert 'id="panel-campaign"' in board and "single-candidate" in board
    assert "My campaign" in board


def test_el07_contested_election_has_no_for_or_against_notice():
    election = _election(candidates=2)
    client = _client(_first(election).student.user)
    assert 'id="single-candidate"' not in client.get(f"/elections/{election.pk}/campaign/").content.decode()
    assert "single-candidate" not in client.get("/dashboard/student/").content.decode()


def test_el09_candidate_submits_material_with_a_file_from_the_page():
    election = _election()
    candidate = _first(election)
    client = _client(candidate.student.user)
    data = {
        "title": "Плакат",
        "body": "Дауыс беріңіз!",
        "place": "main_stand_2",
        "file": SimpleUploadedFile("a.png", _png()),
    }
    response = client.post(f"/elections/{election.pk}/campaign/mine/material/", data, follow=True)
    material = CampaignMaterial.objects.get()
    assert material.status == CampaignMaterial.Status.PENDING and material.candidate == candidate
    assert "The material is submitted" in response.content.decode()
    own = client.get(f"/elections/{election.pk}/campaign/material/{material.pk}/file/")
    assert own.status_code == 200 and own["X-Content-Type-Options"] == "nosniff"
    other = _client(make_student().user).get(f"/elections/{election.pk}/campaign/material/{material.pk}/file/")
    assert other.status_code == 404


def test_el08_submitting_on_silence_day_from_the_page_is_refused_with_when_campaigning_ended():
    election = _election(days_ahead=1)
    client = _client(_first(election).student.user)
    page = client.get(f"/elections/{election.pk}/campaign/mine/").content.decode()
    assert "Campaigning ended at 24:00 on" in page and "Submit for approval" not in page
    data = {"title": "Плакат", "body": "Дауыс беріңіз!", "place": "main_stand_1"}
    body = client.post(f"/elections/{election.pk}/campaign/mine/material/", data, follow=True).content.decode()
    last_day = (election.election_day - timedelta(days=2)).strftime("%d.%m.%Y")
    assert f"Campaigning ended at 24:00 on {last_day}" in body
    assert not CampaignMaterial.objects.exists()


def test_only_a_registered_candidate_has_a_campaign_of_their_own():
    election = _election()
    client = _client(make_student().user)
    assert client.get(f"/elections/{election.pk}/campaign/mine/").status_code == 403
    data = {"title": "x", "body": "y", "place": "main_stand_1"}
    assert client.post(f"/elections/{election.pk}/campaign/mine/material/", data).status_code == 403
    assert not CampaignMaterial.objects.exists()


def test_el09_meeting_request_from_the_page_outside_the_windows_is_refused():
    election = _election()
    client = _client(_first(election).student.user)
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    url = f"/elections/{election.pk}/campaign/mine/meeting/"
    body = client.post(url, {"day": day, "starts": "10:00", "ends": "10:40", "place": "Зал"}, follow=True)
    assert "11:50–12:40, 17:00–20:00" in body.content.decode() and not MeetingRequest.objects.exists()
    client.post(url, {"day": day, "starts": "11:50", "ends": "12:30", "place": "Зал"})
    assert MeetingRequest.objects.get().status == MeetingRequest.Status.PENDING


@pytest.mark.parametrize("role", [None, Role.COMMISSION_CHAIR, Role.DEAN])
def test_el09_review_pages_and_decisions_are_403_outside_the_administration(role):
    election = _election()
    material = _material(_first(election), status=CampaignMaterial.Status.PENDING)
    meeting = MeetingRequest.objects.create(
        candidate=material.candidate,
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, minutes=30),
        place="Зал",
    )
    user = make_student().user if role is None else make_staff(role)
    client = _client(user)
    base = f"/elections/{election.pk}/campaign"
    assert client.get(f"{base}/materials/").status_code == 403
    assert client.get(f"{base}/meetings/").status_code == 403
    assert client.post(f"{base}/materials/{material.pk}/approve/").status_code == 403
    assert client.post(f"{base}/meetings/{meeting.pk}/approve/").status_code == 403
    assert client.post(f"{base}/meetings/{meeting.pk}/refuse/", {"reason": "x"}).status_code == 403
    material.refresh_from_db()
    meeting.refresh_from_db()
    assert material.status == "pending" and meeting.status == "pending"


def test_el09_administration_approves_and_refuses_material_from_the_review_page(django_assert_max_num_queries):
    election = _election(candidates=4)
    for candidate in election.candidates.all():
        _material(candidate, status=CampaignMaterial.Status.PENDING)
        _material(candidate, status=CampaignMaterial.Status.PENDING)
    admin = make_staff(Role.DESW_DIRECTOR)
    client = _client(admin)
    base = f"/elections/{election.pk}/campaign/materials"
    with django_assert_max_num_queries(12):
        page = client.get(f"{base}/")
    assert page.content.decode().count("Approve</button>") == 8
    first, second = CampaignMaterial.objects.order_by("pk")[:2]
    client.post(f"{base}/{first.pk}/approve/")
    client.post(f"{base}/{second.pk}/refuse/", {"reason": "Орынсыз сөз"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "approved" and first.decided_by == admin
    assert second.status == "refused" and second.decision_note == "Орынсыз сөз"
    empty_reason = _material(_first(election), status=CampaignMaterial.Status.PENDING)
    body = client.post(f"{base}/{empty_reason.pk}/refuse/", {"reason": ""}, follow=True).content.decode()
    assert "Give the reason for refusing." in body


def test_el09_meetings_page_shows_each_candidates_approved_count_side_by_side(django_assert_max_num_queries):
    election = _election(candidates=5)
    admin = make_staff(Role.VICE_RECTOR_SOCIAL)
    start = timezone.now() + timedelta(days=4)
    for i, candidate in enumerate(election.candidates.order_by("pk")):
        for j in range(i % 3):
            MeetingRequest.objects.create(
                candidate=candidate,
                starts_at=start + timedelta(hours=j),
                ends_at=start + timedelta(hours=j, minutes=30),
                place=f"Зал {i}",
                status=MeetingRequest.Status.APPROVED if j == 0 else MeetingRequest.Status.PENDING,
            )
    client = _client(admin)
    with django_assert_max_num_queries(12):
        response = client.get(f"/elections/{election.pk}/campaign/meetings/")
    body = response.content.decode()
    table = body[body.index('id="equal-treatment"') : body.index("</table>", body.index('id="equal-treatment"'))]
    assert table.count("/ 3</td>") == 5 and table.count(">1 / 3<") == 3 and table.count(">0 / 3<") == 2


def test_campaign_panels_on_the_student_and_administration_boards():
    election = _election()
    _material(_first(election), status=CampaignMaterial.Status.PENDING)
    board = _client(make_student().user).get("/dashboard/student/").content.decode()
    assert f"/elections/{election.pk}/campaign/" in board and "My campaign" not in board
    desw = _client(make_staff(Role.YOUTH_POLICY_HEAD)).get("/dashboard/desw/").content.decode()
    assert 'id="panel-campaign-administration"' in desw and "1 material awaits approval" in desw
