"""Demo data for elections (after seed_demo and seed_academics): last year's SG President election, run
through the services from registration to published results (online and paper ballots, the protocol
signed by the whole commission), and this year's election with its commission and three registered
candidates, voting today (or tomorrow when seeded after 18:00)."""

import io
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, LPad
from django.utils import timezone
from PIL import Image, ImageDraw
from weasyprint import HTML

from academics.models import AcademicYear
from academics.selectors import current_academic_year
from elections import rules
from elections.models import Ballot, Candidate, CommissionMember, Election
from elections.services import calendar, counting, pollbook, portfolio, results, voting
from portal.models import Role, RoleAssignment, StudentProfile, User

PROGRAMMES = (
    "Ашық студенттік бюджет, әр институтта кеңес күні, жатақханадағы оқу залдарын түнгі уақытқа дейін ашу.",
    "Спорт секцияларын кеңейту, волонтерлік жобаларды қолдау және студенттерге арналған менторлық бағдарлама.",
    "Цифрлық кампус: электрондық өтініштер, сабақ кестесінің мобильді нұсқасы және студенттік стартап-клуб.",
)
COLOURS = ("#0d6efd", "#198754", "#6f42c1")


def _photo(initials: str, colour: str) -> ContentFile:
    image = Image.new("RGB", (300, 400), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((75, 70, 225, 220), fill="#f8f9fa")
    draw.rectangle((60, 250, 240, 400), fill="#f8f9fa")
    draw.text((130, 140), initials, fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return ContentFile(out.getvalue(), name="photo.jpg")


def _cv(name: str, student: StudentProfile) -> bytes:
    html = f"<h1>{name}</h1><p>{student.group}, {student.year_of_study}-курс.</p><p>Түйіндеме / CV</p>"
    return HTML(string=html).write_pdf()


def _dean_of(student: StudentProfile) -> User | None:
    institute = student.group.programme.department.institute_id
    assignment = RoleAssignment.objects.filter(role=Role.DEAN, institute_id=institute).select_related("user").first()
    return assignment.user if assignment else None


def _users_with(role: str) -> list:
    return [a.user for a in RoleAssignment.objects.filter(role=role).select_related("user").order_by("user__id_code")]


def _seat_commission(election: Election) -> CommissionMember:
    chair, secretary = _users_with(Role.COMMISSION_CHAIR)[0], _users_with(Role.COMMISSION_SECRETARY)[0]
    seat = CommissionMember.objects.create(election=election, user=chair, role=CommissionMember.Role.CHAIR)
    CommissionMember.objects.create(election=election, user=secretary, role=CommissionMember.Role.SECRETARY)
    for user in _users_with(Role.COMMISSION_MEMBER):
        CommissionMember.objects.create(election=election, user=user, role=CommissionMember.Role.MEMBER)
    return seat


def _past_election(year: AcademicYear) -> Election:
    """Last year's election, run through the services on its own dates: the sitting president wins."""
    day = rules.election_day(year.start_year)
    election = Election.objects.create(
        academic_year=year,
        election_day=day,
        registration_deadline=rules.registration_deadline(day),
        phase=Election.Phase.CAMPAIGN,
        candidates_published_at=rules.at_almaty(day - timedelta(days=12), 10),
    )
    chair = _seat_commission(election).user
    president = StudentProfile.objects.filter(user__role_assignments__role=Role.SG_PRESIDENT).first()
    if president is None:
        raise ValueError("Run seed_demo first: the demo needs a sitting president.")
    rival = StudentProfile.objects.filter(year_of_study=3).exclude(pk=president.pk).order_by("-pk").first()
    if rival is None:
        raise ValueError("Run seed_demo first: the demo needs a year-3 student.")
    first, second = (
        str(
            Candidate.objects.create(
                election=election,
                student=student,
                status=Candidate.Status.REGISTERED,
                programme=PROGRAMMES[i],
                standard_info=f"{student.group}, {student.year_of_study}-курс. {PROGRAMMES[i]}",
                programme_checked=True,
                reviewed_by=chair,
                reviewed_at=rules.at_almaty(day - timedelta(days=13), 10),
            ).pk
        )
        for i, student in enumerate((president, rival))
    )
    voters = list(voting.eligible_voters(election).select_related("user").order_by("pk")[:260])
    for i, voter in enumerate(voters[:220]):
        moment = rules.at_almaty(day, 9 + i % 9, i % 60)
        voting.cast_ballot(voter.user, election, first if i % 3 else second, now=moment)
    member = _users_with(Role.COMMISSION_MEMBER)[0]
    for i, voter in enumerate(voters[220:]):
        pollbook.issue_paper_ballot(member, election, voter, voter.id_card_number, now=rules.at_almaty(day, 10, i))
    after = rules.at_almaty(day, 18, 30)
    calendar.sync_phase(election, after)
    counting.record_paper_count(
        chair,
        election,
        ballots_found=40,
        votes={int(first): 24, int(second): 13},
        invalid=2,
        unknown_form=1,
        now=after,
    )
    results.draw_up_protocol(chair, election, now=after)
    for seat in results.signing_members(election):
        results.sign_protocol(seat.user, election, now=after + timedelta(minutes=30))
    results.publish_results(chair, election, now=rules.at_almaty(day + timedelta(days=1), 10))
    return election


@transaction.atomic
def seed(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    year = current_academic_year(now.date())
    if year is None:
        raise ValueError("Run seed_academics first: there is no current academic year.")
    # Identity card numbers for the poll book (EL-12).
    StudentProfile.objects.filter(id_card_number="").update(
        id_card_number=LPad(Cast(F("pk") + 45_000_000, CharField()), 9, Value("0"))
    )
    previous = AcademicYear.objects.filter(start_year=year.start_year - 1).first()
    past = _past_election(previous) if previous is not None else None
    current = _current_election(year, now)
    return {
        "elections": 2 if past else 1,
        "ballots": Ballot.objects.count(),
        "commission": current.commission.count(),
        "candidates": current.candidates.count(),
    }


def _current_election(year: AcademicYear, now: datetime) -> Election:
    local = timezone.localtime(now, rules.ALMATY)
    day = local.date() if local.time() < rules.VOTING_CLOSES else local.date() + timedelta(days=1)
    election = Election.objects.create(
        academic_year=year,
        election_day=day,
        registration_deadline=rules.registration_deadline(day),
        phase=Election.Phase.CAMPAIGN,
        candidates_published_at=now - timedelta(days=10),
    )
    chair = _seat_commission(election).user
    leaders = (
        StudentProfile.objects.filter(
            user__role_assignments__role__in=[Role.GROUP_HEAD, Role.SG_OFFICER], year_of_study__in=(2, 3)
        )
        .select_related("user", "group")
        .order_by("user__id_code")
        .distinct()
    )
    chosen = list(leaders[:3])
    for i, student in enumerate(chosen):
        user = student.user
        candidate = Candidate(
            election=election,
            student=student,
            status=Candidate.Status.REGISTERED,
            programme=PROGRAMMES[i],
            intent=f"{user.full_name}: Студенттік үкімет Президенті лауазымына кандидат ретінде тіркеуіңізді сұраймын.",
            standard_info=f"{student.group}, {student.year_of_study}-курс. {PROGRAMMES[i]}",
            programme_checked=True,
            reviewed_by=chair,
            reviewed_at=now - timedelta(days=11),
            recommended_at=now - timedelta(days=15),
        )
        candidate.photo.save("photo.jpg", _photo(user.last_name[:1] + user.first_name[:1], COLOURS[i]), save=False)
        candidate.cv.save("cv.pdf", ContentFile(_cv(user.full_name, student), name="cv.pdf"), save=False)
        candidate.transcript = portfolio.attach_transcript(student, user)
        dean = _dean_of(student)
        candidate.recommended_by = dean
        candidate.save()
    return election
