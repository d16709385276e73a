"""EL-05, EL-06, EL-10: the director's recommendation and the commission's review of applications."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from academics.models import Sanction
from elections import rules
from elections.errors import ElectionError
from elections.models import Candidate, CommissionMember, Election
from elections.services import candidates
from portal.models import Notification, Role
from tests.academics.factories import make_staff
from tests.elections.candidates_support import complete, eligible_student
from tests.elections.factories import add_candidate, at, make_election

pytestmark = pytest.mark.django_db
Status = Candidate.Status


@pytest.fixture(autouse=True)
def _english_and_media(settings, tmp_path):
    translation.activate("en")
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def election() -> Election:
    return make_election(phase=rules.Phase.REGISTRATION)


@pytest.fixture
def applied(election) -> Candidate:
    return complete(add_candidate(election, eligible_student(), status=Status.APPLIED))


def _register(election, candidate, **kwargs):
    kwargs.setdefault("programme_checked", True)
    kwargs.setdefault("standard_info", "3-курс студенті.")
    return candidates.register_candidate(election.test_chair, candidate, **kwargs)


def test_el05_the_commission_registers_a_complete_eligible_application(election, applied):
    """EL-05, EL-06, EL-10: registered with the check recorded, the standard information approved, the
    reviewer and time kept in the audit; the candidate is notified."""
    now = timezone.now()
    candidate = _register(election, applied, now=now)
    assert candidate.status == Status.REGISTERED and candidate.programme_checked
    assert candidate.standard_info == "3-курс студенті."
    assert candidate.reviewed_by == election.test_chair and candidate.reviewed_at == now
    assert candidate.history.first().history_user == election.test_chair
    note = Notification.objects.get(recipient=candidate.student.user)
    assert note.subject == "You are registered as a candidate"


def test_el06_registering_without_the_discrimination_check_is_refused(election, applied):
    """EL-06: the commission must record that the programme incites no discrimination."""
    with pytest.raises(ElectionError, match="does not incite social, racial, national, religious, class or clan"):
        _register(election, applied, programme_checked=False)
    applied.refresh_from_db()
    assert applied.status == Status.APPLIED and not applied.programme_checked
    assert not Notification.objects.exists()


def test_el05_an_incomplete_portfolio_is_refused_with_the_missing_items(election):
    """EL-05: photo, CV, intent, programme, transcript and recommendation are all required."""
    bare = add_candidate(election, eligible_student(), status=Status.APPLIED)
    with pytest.raises(ElectionError) as refused:
        _register(election, bare)
    assert str(refused.value) == (
        "The portfolio is incomplete: photo, CV, application of intent, academic transcript, "
        "institute director's recommendation."
    )
    bare.refresh_from_db()
    assert bare.status == Status.APPLIED


def test_el03_an_application_that_became_ineligible_is_not_registered(election, applied):
    """EL-03: eligibility is recomputed at registration: a sanction imposed after applying refuses it."""
    today = timezone.localdate()
    Sanction.objects.create(
        student=applied.student,
        kind=Sanction.Kind.REPRIMAND,
        reason="R",
        decision_reference="DC-9",
        imposed_on=today,
        valid_until=today + timedelta(days=180),
    )
    with pytest.raises(ElectionError, match="The student cannot stand: 1 valid disciplinary sanction"):
        _register(election, applied)
    applied.refresh_from_db()
    assert applied.status == Status.APPLIED


def test_el05_a_refusal_needs_a_reason_and_the_candidate_reads_it(election, applied):
    """EL-05: refusing without a reason is refused; with one, the candidate is notified with it."""
    with pytest.raises(ElectionError, match="Give the reason for the refusal"):
        candidates.refuse_candidate(election.test_chair, applied, "   ")
    applied.refresh_from_db()
    assert applied.status == Status.APPLIED
    candidates.refuse_candidate(election.test_chair, applied, "Бағдарлама талаптарға сай емес.")
    applied.refresh_from_db()
    assert applied.status == Status.REFUSED and applied.refusal_reason == "Бағдарлама талаптарға сай емес."
    note = Notification.objects.get(recipient=applied.student.user)
    assert note.subject == "Your application is refused" and "Бағдарлама талаптарға сай емес." in note.body


def test_el02_only_commission_members_with_a_deciding_vote_decide(election, applied):
    """EL-02: others get 403 and nothing changes."""
    outsider = make_staff(Role.DESW_DIRECTOR)
    observer = make_staff(Role.COMMISSION_MEMBER)
    CommissionMember.objects.create(election=election, user=observer, deciding_vote=False)
    for user in (outsider, observer, applied.student.user):
        with pytest.raises(PermissionDenied):
            candidates.register_candidate(user, applied, programme_checked=True, standard_info="x")
        with pytest.raises(PermissionDenied):
            candidates.refuse_candidate(user, applied, "No.")
    applied.refresh_from_db()
    assert applied.status == Status.APPLIED


def test_decisions_end_when_the_list_is_published(election, applied):
    election.phase = rules.Phase.CAMPAIGN.name
    election.save()
    with pytest.raises(ElectionError, match="until the candidate list is published"):
        _register(election, applied)


def test_a_registered_candidate_can_still_be_refused_before_publication(election, applied):
    _register(election, applied)
    candidates.refuse_candidate(election.test_chair, applied, "Құжат жалған болып шықты.")
    applied.refresh_from_db()
    assert applied.status == Status.REFUSED


def test_el05_the_dean_of_the_institute_recommends_in_the_portal(election):
    """EL-05: the institute director's approval in the portal stands for the letter."""
    student = eligible_student()
    candidate = add_candidate(election, student, status=Status.APPLIED)
    complete(candidate)
    candidate.recommendation = ""
    candidate.save()
    institute = student.group.programme.department.institute
    dean = make_staff(Role.DEAN, institute=institute)
    other_dean = make_staff(Role.DEAN, institute=eligible_student().group.programme.department.institute)
    assert list(candidates.awaiting_recommendation(dean)) == [candidate]
    assert list(candidates.awaiting_recommendation(other_dean)) == []
    with pytest.raises(PermissionDenied):
        candidates.recommend(other_dean, candidate)
    with pytest.raises(ElectionError, match="institute director's recommendation"):
        _register(election, candidate)
    candidates.recommend(dean, candidate)
    candidate.refresh_from_db()
    assert candidate.recommended_by == dean and candidate.recommended_at is not None
    assert list(candidates.awaiting_recommendation(dean)) == []
    with pytest.raises(ElectionError, match="already recommended"):
        candidates.recommend(dean, candidate)
    assert _register(election, candidate).status == Status.REGISTERED


def test_el10_the_commission_approves_the_standard_information_until_voting(election, applied):
    """EL-10: the ballot shows the information the commission approved; it cannot be emptied, and it
    cannot change once voting has begun."""
    _register(election, applied)
    candidates.approve_standard_info(election.test_chair, applied, "  Қаржы институты, 3-курс.  ")
    applied.refresh_from_db()
    assert applied.standard_info == "Қаржы институты, 3-курс."
    with pytest.raises(ElectionError, match="cannot be empty"):
        candidates.approve_standard_info(election.test_chair, applied, " ")
    with pytest.raises(PermissionDenied):
        candidates.approve_standard_info(applied.student.user, applied, "Мен үздікпін.")
    election.phase = rules.Phase.CAMPAIGN.name
    election.save()
    with pytest.raises(ElectionError, match="Voting has begun"):
        candidates.approve_standard_info(election.test_chair, applied, "Кеш.", now=at(election.election_day, 9, 0))
    applied.refresh_from_db()
    assert applied.standard_info == "Қаржы институты, 3-курс."


def test_el10_registering_needs_the_standard_information(election, applied):
    with pytest.raises(ElectionError, match="standard information"):
        _register(election, applied, standard_info="  ")


def test_el10_the_default_standard_information_is_a_draft_from_the_record(election, applied):
    text = candidates.default_standard_info(applied)
    assert applied.student.user.full_name in text and str(applied.student.group) in text
