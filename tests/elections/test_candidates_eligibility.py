"""EL-03, EL-04: who may stand, read from the academic record and the role history, with the reasons."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from academics.models import Sanction
from academics.services.gradebook import record_scores, sign_statement
from elections import rules
from elections.models import Election
from elections.services import eligibility
from portal.models import Role, StudentProfile
from tests.academics.factories import OfferingFactory, TermFactory
from tests.elections.candidates_support import eligible_student, leader, mandate
from tests.elections.factories import make_election
from tests.factories import UserFactory, make_student

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    translation.activate("en")


@pytest.fixture
def election() -> Election:
    return make_election(phase=rules.Phase.REGISTRATION)


@pytest.mark.parametrize("year", [2, 3, 4])
def test_el03_students_in_year_2_3_or_4_may_stand(election, year):
    """EL-03: years 2, 3 and 4 are eligible (with leadership, no sanction, no debt)."""
    check = eligibility.check(eligible_student(year_of_study=year), election)
    assert check.eligible and check.reasons == ()


@pytest.mark.parametrize("year", [1, 5])
def test_el03_year_1_and_year_5_are_refused_with_the_year_in_the_reason(election, year):
    """EL-03: year 1 and year 5 cannot stand; the explanation names the year and the allowed ones."""
    check = eligibility.check(eligible_student(year_of_study=year), election)
    assert check.reasons == ("year_of_study",)
    assert check.explanations == (f"Year of study {year}: candidates are in year 2, 3 or 4.",)


def test_el03_a_valid_sanction_refuses_an_expired_or_lifted_one_does_not(election):
    """EL-03: a disciplinary sanction in force today is a reason; one expired or lifted is not."""
    student = eligible_student()
    today = timezone.localdate()
    Sanction.objects.create(
        student=student,
        kind=Sanction.Kind.REMARK,
        reason="Old",
        decision_reference="DC-1",
        imposed_on=today - timedelta(days=400),
        valid_until=today - timedelta(days=35),
    )
    Sanction.objects.create(
        student=student,
        kind=Sanction.Kind.REPRIMAND,
        reason="Lifted",
        decision_reference="DC-2",
        imposed_on=today - timedelta(days=30),
        valid_until=today + timedelta(days=300),
        lifted_on=today - timedelta(days=1),
    )
    assert eligibility.check(student, election).eligible
    Sanction.objects.create(
        student=student,
        kind=Sanction.Kind.REPRIMAND,
        reason="Missed classes",
        decision_reference="DC-3",
        imposed_on=today - timedelta(days=10),
        valid_until=today + timedelta(days=355),
    )
    check = eligibility.check(student, election)
    assert check.reasons == ("sanction",)
    assert check.explanations[0].startswith("1 valid disciplinary sanction: a candidate must have none.")


def test_el03_an_academic_debt_refuses_with_the_discipline_named(election):
    """EL-03: an FX grade is academic debt (AC-14), and a reason naming the discipline."""
    student = eligible_student()
    offering = OfferingFactory.create(term=TermFactory.create(), discipline__name_kk="Физика")
    teacher = UserFactory.create()
    offering.teachers.add(teacher)
    record_scores(teacher, offering.enrolments.create(student=student), r1=40, r2=40, exam=40)  # 40 % -> FX
    sign_statement(teacher, offering)
    check = eligibility.check(student, election)
    assert check.reasons == ("academic_debt",)
    assert check.explanations[0].startswith("1 academic debt: a candidate must have none.")
    assert "Физика" in check.explanations[0] and "FX" in check.explanations[0]


def test_el03_no_leadership_experience_refuses(election):
    """EL-03: without any leadership role in the history the student cannot stand."""
    student = make_student(year_of_study=3)
    leader(student, role=Role.TEACHER)  # an unrelated role does not count
    check = eligibility.check(student, election)
    assert check.reasons == ("no_leadership",)
    assert "No leadership experience" in check.explanations[0]


@pytest.mark.parametrize("role", [Role.GROUP_HEAD, Role.SG_OFFICER, Role.SG_PRESIDENT, Role.CLUB_LEADER])
def test_el03_a_past_or_current_leadership_role_counts(election, role):
    """EL-03: group head, SG officer or president, club leader; expired assignments count, future ones not."""
    student = make_student(year_of_study=2)
    today = timezone.localdate()
    future = leader(student, role=role, valid_from=today + timedelta(days=10))
    assert eligibility.check(student, election).reasons == ("no_leadership",)
    future.delete()
    leader(student, role=role, valid_from=date(2023, 9, 1), valid_until=date(2024, 6, 30))
    check = eligibility.check(student, election)
    assert check.eligible
    assert check.record.leadership_roles == (role,)
    assert str(Role(role).label) in check.leadership[0]


def test_el03_an_earlier_mandate_is_leadership_experience(election):
    """EL-03: having held an elected office (another position) counts as experience."""
    student = make_student(year_of_study=4)
    mandate(student, 2024, position=Election.Position.YOUTH_AFFAIRS_CHAIR)
    check = eligibility.check(student, election)
    assert check.eligible
    assert check.record.leadership_roles == (f"mandate:{Election.Position.YOUTH_AFFAIRS_CHAIR}",)


def test_el03_a_student_who_is_not_enrolled_cannot_stand(election):
    student = eligible_student(status=StudentProfile.Status.ACADEMIC_LEAVE)
    assert eligibility.check(student, election).reasons == ("not_enrolled",)


def test_el03_every_reason_is_listed_at_once(election):
    """EL-03: a year-1 student without leadership and with a sanction gets all three reasons."""
    student = make_student(year_of_study=1)
    today = timezone.localdate()
    Sanction.objects.create(
        student=student,
        kind=Sanction.Kind.REMARK,
        reason="R",
        decision_reference="DC",
        imposed_on=today,
        valid_until=today + timedelta(days=30),
    )
    assert eligibility.check(student, election).reasons == ("year_of_study", "sanction", "no_leadership")


def test_el04_a_sitting_president_with_one_term_may_run_again(election):
    """EL-04 (8.2.6): the president of 2025-2026 may stand in 2026 for a second term."""
    student = make_student(year_of_study=3)
    mandate(student, election.academic_year.start_year - 1)
    check = eligibility.check(student, election)
    assert check.record.consecutive_terms_held == 1
    assert check.eligible


def test_el04_two_consecutive_terms_may_not_run(election):
    """EL-04 (4.3): two terms in a row right before this year: no third one."""
    student = make_student(year_of_study=4)
    start = election.academic_year.start_year
    mandate(student, start - 1)
    mandate(student, start - 2)
    check = eligibility.check(student, election)
    assert check.record.consecutive_terms_held == 2
    assert check.reasons == ("term_limit",)
    assert check.explanations == (
        "2 consecutive terms in this office already: nobody holds it for more than 2 terms in a row.",
    )


def test_el04_a_gap_resets_the_count(election):
    """EL-04: terms in 2023 and 2025 (a gap in 2024) are not consecutive: one term counts."""
    student = make_student(year_of_study=4)
    start = election.academic_year.start_year
    mandate(student, start - 1)
    mandate(student, start - 3)
    check = eligibility.check(student, election)
    assert check.record.consecutive_terms_held == 1
    assert check.eligible


def test_el04_terms_in_another_office_do_not_count(election):
    """EL-04: the limit is per office: two years as Youth Affairs chair do not bar the presidency."""
    student = make_student(year_of_study=4)
    start = election.academic_year.start_year
    mandate(student, start - 1, position=Election.Position.YOUTH_AFFAIRS_CHAIR)
    mandate(student, start - 2, position=Election.Position.YOUTH_AFFAIRS_CHAIR)
    assert eligibility.check(student, election).eligible
