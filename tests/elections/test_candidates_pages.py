"""The candidate pages: the student's candidacy, the commission's list and review, the dean's
recommendations, the portfolio files and the dashboard panels (EL-03 to EL-06, EL-10)."""

from pathlib import Path

import pytest
from django.utils import translation

from elections import rules
from elections.models import Candidate, CommissionMember, Election
from portal.models import Role
from tests.academics.factories import make_staff
from tests.elections.candidates_support import (
    complete,
    eligible_student,
    english_client,
    exe_as_pdf,
    portfolio,
    words,
)
from tests.elections.factories import add_candidate, make_election
from tests.factories import make_student

pytestmark = pytest.mark.django_db
Status = Candidate.Status


@pytest.fixture(autouse=True)
def _english_and_media(settings, tmp_path):
    translation.activate("en")
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def election() -> Election:
    return make_election(phase=rules.Phase.REGISTRATION)


def _stored(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_el03_the_student_page_shows_the_reasons_before_applying(election):
    """EL-03: an ineligible student reads why, and gets no application form."""
    student = make_student(year_of_study=1)
    body = english_client(student.user).get(f"/elections/{election.pk}/candidacy/").content.decode()
    assert "Year of study 1: candidates are in year 2, 3 or 4." in body
    assert "No leadership experience" in body
    assert 'id="portfolio-form"' not in body
    assert "You cannot apply while the requirements are not met." in body


def test_el05_a_student_applies_on_the_page_and_sees_the_status(election):
    student = eligible_student()
    client = english_client(student.user)
    page = client.get(f"/elections/{election.pk}/candidacy/").content.decode()
    assert "The requirements for candidates are met" in page and 'id="portfolio-form"' in page
    response = client.post(f"/elections/{election.pk}/candidacy/", portfolio(recommendation=""), follow=True)
    body = response.content.decode()
    assert "Your application is filed" in body
    candidate = Candidate.objects.get()
    assert candidate.status == Status.APPLIED and candidate.student == student
    assert "The portfolio still lacks" in body and "institute director&#x27;s recommendation" in body
    assert "Change my portfolio" in body and "Withdraw my candidacy" in body


def test_el05_a_programme_of_101_words_is_shown_back_with_the_count(election, settings):
    """EL-05: the form comes back with the text kept and the word count in the error; nothing stored."""
    client = english_client(eligible_student().user)
    response = client.post(f"/elections/{election.pk}/candidacy/", portfolio(programme=words(101)))
    body = response.content.decode()
    assert response.status_code == 200
    assert "The election programme has 101 words; at most 100 are allowed." in body
    assert "сөз100" in body
    assert not Candidate.objects.exists() and _stored(settings) == []


def test_el05_an_exe_renamed_pdf_is_refused_on_the_page(election, settings):
    client = english_client(eligible_student().user)
    body = client.post(f"/elections/{election.pk}/candidacy/", portfolio(cv=exe_as_pdf())).content.decode()
    assert "The CV is not a PDF file" in body
    assert not Candidate.objects.exists() and _stored(settings) == []


def test_the_student_withdraws_on_the_page(election):
    student = eligible_student()
    candidate = complete(add_candidate(election, student, status=Status.APPLIED))
    client = english_client(student.user)
    body = client.post(f"/elections/{election.pk}/candidacy/withdraw/", follow=True).content.decode()
    assert "Your candidacy is withdrawn." in body
    candidate.refresh_from_db()
    assert candidate.status == Status.WITHDRAWN


def test_the_commission_list_filters_by_status_with_a_fixed_number_of_queries(election, django_assert_max_num_queries):
    for status in (Status.APPLIED, Status.APPLIED, Status.REGISTERED, Status.REFUSED):
        add_candidate(election, status=status)
    client = english_client(election.test_chair)
    with django_assert_max_num_queries(12):
        body = client.get(f"/elections/{election.pk}/candidates/").content.decode()
    assert body.count(f'href="/elections/{election.pk}/candidates/') == 4
    for _ in range(28):
        add_candidate(election, status=Status.APPLIED)
    with django_assert_max_num_queries(12):
        applied = client.get(f"/elections/{election.pk}/candidates/?status=applied").content.decode()
    assert applied.count("badge text-bg-primary") == 25  # one page of the 30 applications
    assert "Page 1 of 2" in applied and "badge text-bg-success" not in applied
    second = client.get(f"/elections/{election.pk}/candidates/?status=applied&page=2").content.decode()
    assert second.count("badge text-bg-primary") == 5


def test_non_members_get_403_on_the_commission_pages(election):
    """EL-02: the list, the review and the decisions are the commission's only."""
    candidate = complete(add_candidate(election, eligible_student(), status=Status.APPLIED))
    base = f"/elections/{election.pk}/candidates/"
    for user in (make_staff(Role.DESW_DIRECTOR), eligible_student().user, candidate.student.user):
        client = english_client(user)
        assert client.get(base).status_code == 403
        assert client.get(f"{base}{candidate.pk}/").status_code == 403
        assert client.post(f"{base}{candidate.pk}/register/", {"programme_checked": "on"}).status_code == 403
        assert client.post(f"{base}{candidate.pk}/refuse/", {"reason": "No"}).status_code == 403
    candidate.refresh_from_db()
    assert candidate.status == Status.APPLIED


def test_a_student_cannot_read_another_students_candidacy(election):
    """Another student's appendices and portfolio files are 403."""
    candidate = complete(add_candidate(election, eligible_student(), status=Status.APPLIED))
    client = english_client(eligible_student().user)
    base = f"/elections/{election.pk}/candidates/{candidate.pk}/"
    assert client.get(f"{base}appendix-1.pdf").status_code == 403
    assert client.get(f"{base}appendix-2.pdf").status_code == 403
    for kind in ("photo", "cv", "recommendation", "transcript"):
        assert client.get(f"{base}files/{kind}/").status_code == 403
    own = english_client(candidate.student.user)
    cv = own.get(f"{base}files/cv/")
    assert cv.status_code == 200 and cv["Content-Type"] == "application/pdf"
    assert own.get(f"{base}files/photo/")["Content-Type"] == "image/jpeg"
    assert own.get(f"{base}files/passwd/").status_code == 404


def test_el05_el06_review_page_register_and_refuse(election):
    """EL-05, EL-06: the review shows the portfolio and eligibility; registering without the check fails."""
    candidate = complete(add_candidate(election, eligible_student(), status=Status.APPLIED))
    client = english_client(election.test_chair)
    base = f"/elections/{election.pk}/candidates/{candidate.pk}/"
    page = client.get(base).content.decode()
    assert "The requirements for candidates are met" in page and candidate.programme in page
    assert "does not incite social, racial, national, religious, class or clan discrimination" in page
    body = client.post(f"{base}register/", {"standard_info": "3-курс."}, follow=True).content.decode()
    assert "Confirm that the programme does not incite" in body
    candidate.refresh_from_db()
    assert candidate.status == Status.APPLIED
    body = client.post(f"{base}refuse/", {"reason": ""}, follow=True).content.decode()
    assert "Give the reason for the refusal" in body
    body = client.post(
        f"{base}register/", {"programme_checked": "on", "standard_info": "3-курс."}, follow=True
    ).content.decode()
    assert "is registered as a candidate" in body
    candidate.refresh_from_db()
    assert candidate.status == Status.REGISTERED and candidate.standard_info == "3-курс."
    client.post(f"{base}standard-info/", {"standard_info": "Жаңа мәтін."})
    candidate.refresh_from_db()
    assert candidate.standard_info == "Жаңа мәтін."


def test_a_member_without_a_deciding_vote_reads_but_cannot_decide(election):
    candidate = complete(add_candidate(election, eligible_student(), status=Status.APPLIED))
    observer = make_staff(Role.COMMISSION_MEMBER)
    CommissionMember.objects.create(election=election, user=observer, deciding_vote=False)
    client = english_client(observer)
    page = client.get(f"/elections/{election.pk}/candidates/{candidate.pk}/").content.decode()
    assert "Your seat has no deciding vote" in page and 'id="register"' not in page
    base = f"/elections/{election.pk}/candidates/{candidate.pk}/"
    assert client.post(f"{base}register/", {"programme_checked": "on", "standard_info": "x"}).status_code == 403


def test_el05_the_dean_page_lists_and_recommends(election, django_assert_max_num_queries):
    student = eligible_student()
    institute = student.group.programme.department.institute
    dean = make_staff(Role.DEAN, institute=institute)
    waiting = complete(add_candidate(election, student, status=Status.APPLIED))
    waiting.recommendation = ""
    waiting.save()
    for _ in range(5):
        extra = add_candidate(election, make_student(year_of_study=3, group=student.group), status=Status.APPLIED)
        assert extra.recommendation == ""
    client = english_client(dean)
    with django_assert_max_num_queries(10):
        body = client.get("/elections/recommendations/").content.decode()
    assert body.count(">Recommend</button>") == 6
    body = client.post(f"/elections/recommendations/{waiting.pk}/recommend/", follow=True).content.decode()
    assert "Your recommendation of" in body
    waiting.refresh_from_db()
    assert waiting.recommended_by == dean
    assert english_client(student.user).get("/elections/recommendations/").status_code == 403
    other_dean = make_staff(Role.DEAN, institute=make_student().group.programme.department.institute)
    other = english_client(other_dean)
    assert ">Recommend</button>" not in other.get("/elections/recommendations/").content.decode()
    assert other.post(f"/elections/recommendations/{extra.pk}/recommend/").status_code == 403
    assert 'href="/elections/recommendations/"' in client.get("/dashboard/dean/").content.decode()


def test_el03_student_dashboard_panel_says_whether_the_student_can_stand(election):
    able = eligible_student()
    body = english_client(able.user).get("/dashboard/student/").content.decode()
    assert 'id="panel-candidacy"' in body and "You can stand: apply until the end of" in body
    unable = make_student(year_of_study=1)
    body = english_client(unable.user).get("/dashboard/student/").content.decode()
    assert "You cannot stand" in body and "Year of study 1" in body


def test_commission_dashboard_panel_counts_applications_to_review(election):
    for status in (Status.APPLIED, Status.APPLIED, Status.REGISTERED):
        add_candidate(election, status=status)
    body = english_client(election.test_chair).get("/dashboard/commission/").content.decode()
    assert 'id="panel-applications"' in body and "2 to review" in body and "1 registered" in body
