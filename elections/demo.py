"""Demo data for elections (after seed_demo and seed_academics): this year's SG President election with its
commission and three registered candidates, voting today (or tomorrow when seeded after 18:00)."""

import io
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, LPad
from django.utils import timezone
from PIL import Image, ImageDraw

from academics.selectors import current_academic_year
from elections import rules
from elections.models import Candidate, CommissionMember, Election
from portal.models import Role, RoleAssignment, StudentProfile

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


def _users_with(role: str) -> list:
    return [a.user for a in RoleAssignment.objects.filter(role=role).select_related("user").order_by("user__id_code")]


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
    local = timezone.localtime(now, rules.ALMATY)
    day = local.date() if local.time() < rules.VOTING_CLOSES else local.date() + timedelta(days=1)
    election = Election.objects.create(
        academic_year=year,
        election_day=day,
        registration_deadline=rules.registration_deadline(day),
        phase=Election.Phase.CAMPAIGN,
        candidates_published_at=now - timedelta(days=10),
    )
    chair, secretary = _users_with(Role.COMMISSION_CHAIR)[0], _users_with(Role.COMMISSION_SECRETARY)[0]
    CommissionMember.objects.create(election=election, user=chair, role=CommissionMember.Role.CHAIR)
    CommissionMember.objects.create(election=election, user=secretary, role=CommissionMember.Role.SECRETARY)
    for user in _users_with(Role.COMMISSION_MEMBER):
        CommissionMember.objects.create(election=election, user=user, role=CommissionMember.Role.MEMBER)
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
        candidate.save()
    return {"elections": 1, "commission": election.commission.count(), "candidates": len(chosen)}
