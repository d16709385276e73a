"""Shared helpers of the candidate tests (EL-03 to EL-06, EL-10, EL-19)."""

import io
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from elections import rules
from elections.models import Candidate, Election, Mandate
from portal.models import Role, RoleAssignment, StudentProfile, User
from tests.academics.factories import AcademicYearFactory
from tests.factories import make_student

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROGRAMME = "Ашық университет, әділ стипендия және студенттерге арналған жаңа клубтар."


def jpeg(name: str = "me.jpg", size: tuple[int, int] = (60, 80)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def png(name: str = "me.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def pdf(name: str = "cv.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, "application/pdf")


def exe_as_pdf(name: str = "cv.pdf") -> SimpleUploadedFile:
    """A Windows executable renamed to .pdf, claiming to be a PDF."""
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, "application/pdf")


def words(n: int) -> str:
    return " ".join(f"сөз{i}" for i in range(n))


def leader(student: StudentProfile, role: str = Role.GROUP_HEAD, **kwargs: object) -> RoleAssignment:
    return RoleAssignment.objects.create(user=student.user, role=role, group=student.group, **kwargs)


def eligible_student(**kwargs: object) -> StudentProfile:
    """A year-3 student with a past group-head role (EL-03)."""
    kwargs.setdefault("year_of_study", 3)
    student = make_student(**kwargs)
    leader(student, valid_from=date(2024, 9, 1), valid_until=date(2025, 6, 30))
    return student


def mandate(student: StudentProfile, start_year: int, position: str = Election.Position.SG_PRESIDENT) -> Mandate:
    """A mandate held in the academic year starting in `start_year` (with the election that gave it)."""
    year = AcademicYearFactory.create(
        start_year=start_year, starts_on=date(start_year, 9, 1), ends_on=date(start_year + 1, 8, 31)
    )
    day = rules.election_day(start_year)
    election = Election.objects.create(
        academic_year=year,
        position=position,
        election_day=day,
        registration_deadline=rules.registration_deadline(day),
        phase=rules.Phase.PUBLISHED.name,
    )
    return Mandate.objects.create(
        election=election,
        position=position,
        holder=student,
        academic_year=year,
        starts_on=day,
        ends_on=year.ends_on,
    )


def english_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def portfolio(**override: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "intent": "Студенттерге қызмет еткім келеді.",
        "programme": PROGRAMME,
        "photo": jpeg(),
        "cv": pdf(),
        "recommendation": pdf("letter.pdf"),
    }
    return data | override


def complete(candidate: Candidate) -> Candidate:
    """Give a factory candidate a full portfolio (files written to the test media root)."""
    from django.core.files.base import ContentFile

    from portal.documents import issue_document

    candidate.photo.save("photo.jpg", ContentFile(jpeg().read()), save=False)
    candidate.cv.save("cv.pdf", ContentFile(PDF_BYTES), save=False)
    candidate.recommendation.save("recommendation.pdf", ContentFile(PDF_BYTES), save=False)
    candidate.intent = "Студенттерге қызмет еткім келеді."
    candidate.transcript = issue_document(kind="transcript", title="Transcript", pdf=PDF_BYTES)
    candidate.save()
    return candidate
