"""Factories for elections: an election at a chosen phase with its commission and candidates."""

from datetime import date, timedelta

from django.utils import timezone

from elections import rules
from elections.models import Candidate, CommissionMember, Election
from portal.models import Role, StudentProfile, User
from tests.academics.factories import AcademicYearFactory, make_staff
from tests.factories import make_student

ALMATY = rules.ALMATY


at = rules.at_almaty  # an aware Almaty datetime on a day


def make_election(
    *,
    phase: rules.Phase = rules.Phase.DRAFT,
    election_day: date | None = None,
    mode: str = Election.Mode.HYBRID,
    candidates: int = 0,
    members: int = 2,
) -> Election:
    """An election in the 2026-2027 year (election day 30 days ahead unless given), its chair, secretary and
    `members` members (users named in `election.test_*` attributes), and `candidates` registered candidates
    (year 3 students), the phase stored as given."""
    year = AcademicYearFactory.create(start_year=2026)
    day = election_day or timezone.localdate() + timedelta(days=30)
    if not year.starts_on <= day <= year.ends_on:
        year = AcademicYearFactory.create(
            start_year=day.year if day.month >= 9 else day.year - 1,
            starts_on=date(day.year if day.month >= 9 else day.year - 1, 9, 1),
            ends_on=date(day.year + 1 if day.month >= 9 else day.year, 8, 31),
        )
    election = Election.objects.create(
        academic_year=year,
        mode=mode,
        election_day=day,
        registration_deadline=rules.registration_deadline(day),
        phase=phase.name,
    )
    chair = make_staff(Role.COMMISSION_CHAIR)
    secretary = make_staff(Role.COMMISSION_SECRETARY)
    CommissionMember.objects.create(election=election, user=chair, role=CommissionMember.Role.CHAIR)
    CommissionMember.objects.create(election=election, user=secretary, role=CommissionMember.Role.SECRETARY)
    others = [make_staff(Role.COMMISSION_MEMBER) for _ in range(members)]
    for user in others:
        CommissionMember.objects.create(election=election, user=user, role=CommissionMember.Role.MEMBER)
    election.test_chair = chair  # type: ignore[attr-defined]
    election.test_secretary = secretary  # type: ignore[attr-defined]
    election.test_members = others  # type: ignore[attr-defined]
    for _ in range(candidates):
        add_candidate(election)
    return election


def add_candidate(
    election: Election,
    student: StudentProfile | None = None,
    status: str = Candidate.Status.REGISTERED,
    **kwargs: object,
) -> Candidate:
    student = student or make_student(year_of_study=3)
    return Candidate.objects.create(
        election=election, student=student, status=status, programme="Ашық университет.", **kwargs
    )


def commission_user(election: Election) -> User:
    return election.test_chair  # type: ignore[attr-defined]
