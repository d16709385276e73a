"""EL-05: applying online before the deadline with a checked portfolio; editing and withdrawing."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from elections import rules
from elections.errors import ElectionError
from elections.models import Candidate, Election
from elections.services import candidates
from portal.models import Document, Notification, Role
from tests.academics.factories import make_staff
from tests.elections.candidates_support import (
    PROGRAMME,
    eligible_student,
    exe_as_pdf,
    jpeg,
    pdf,
    png,
    portfolio,
    words,
)
from tests.elections.factories import at, make_election
from tests.factories import make_student

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_and_media(settings, tmp_path):
    translation.activate("en")
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def election() -> Election:
    return make_election(phase=rules.Phase.REGISTRATION)


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_el05_an_eligible_student_applies_with_the_transcript_attached(election, settings):
    """EL-05: the application stores the portfolio under our own file names, with the transcript PDF from
    academics; the student and the institute's dean are notified."""
    student = eligible_student()
    dean = make_staff(Role.DEAN, institute=student.group.programme.department.institute)
    candidate = candidates.apply(student.user, election, **portfolio(recommendation=None))
    assert candidate.status == Candidate.Status.APPLIED
    assert candidate.photo.name.endswith("/photo.jpg") and candidate.cv.name.endswith("/cv.pdf")
    assert candidate.transcript is not None and candidate.transcript.kind == "transcript"
    assert candidate.transcript.file.read().startswith(b"%PDF")
    assert candidate.history.first().history_user == student.user
    assert Notification.objects.filter(recipient=student.user, subject="Your application is received").exists()
    assert Notification.objects.filter(recipient=dean, subject="A candidate awaits your recommendation").exists()


def test_el05_a_png_photo_is_accepted(election):
    candidate = candidates.apply(eligible_student().user, election, **portfolio(photo=png()))
    assert candidate.photo.name.endswith("/photo.png")


def test_el05_applying_on_the_deadline_day_is_accepted_the_day_after_refused(election):
    """EL-05: registration closes at the end of the deadline day (14 days before election day)."""
    deadline = election.registration_deadline
    assert deadline == election.election_day - timedelta(days=14)
    late = eligible_student()
    with pytest.raises(ElectionError, match="Candidate registration closed at the end of"):
        candidates.apply(late.user, election, now=at(deadline + timedelta(days=1), 0, 0), **portfolio())
    assert not Candidate.objects.exists()
    on_time = candidates.apply(eligible_student().user, election, now=at(deadline, 23, 59), **portfolio())
    assert on_time.status == Candidate.Status.APPLIED


def test_el05_no_application_before_registration_opens():
    election = make_election(phase=rules.Phase.DRAFT)
    with pytest.raises(ElectionError, match="has not opened yet"):
        candidates.apply(eligible_student().user, election, **portfolio())


def test_el05_a_programme_of_101_words_is_refused_with_the_count_100_accepted(election, settings):
    """EL-05: at most 100 words; the message gives the count."""
    student = eligible_student()
    with pytest.raises(ElectionError) as refused:
        candidates.apply(student.user, election, **portfolio(programme=words(101)))
    assert str(refused.value) == "The election programme has 101 words; at most 100 are allowed."
    assert not Candidate.objects.exists() and _stored_files(settings) == []
    candidate = candidates.apply(student.user, election, **portfolio(programme=words(100)))
    assert rules.word_count(candidate.programme) == 100


def test_el03_an_ineligible_student_cannot_apply_and_is_told_why(election, settings):
    """EL-03, EL-05: the refusal lists the reasons; nothing is stored."""
    first_year = make_student(year_of_study=1)
    with pytest.raises(ElectionError) as refused:
        candidates.apply(first_year.user, election, **portfolio())
    message = str(refused.value)
    assert message.startswith("You cannot stand in this election:")
    assert "Year of study 1: candidates are in year 2, 3 or 4." in message
    assert "No leadership experience" in message
    assert not Candidate.objects.exists() and not Document.objects.exists() and _stored_files(settings) == []


@pytest.mark.parametrize(
    ("field", "upload", "message"),
    [
        ("cv", exe_as_pdf(), "The CV is not a PDF file"),
        ("recommendation", exe_as_pdf("letter.pdf"), "The recommendation letter is not a PDF file"),
        ("photo", exe_as_pdf("me.jpg"), "The photo is not a JPEG or PNG image"),
        ("photo", pdf("me.png"), "The photo is not a JPEG or PNG image"),
    ],
)
def test_el05_a_file_not_what_it_claims_is_refused_and_nothing_stored(election, settings, field, upload, message):
    """EL-05: uploads are sniffed by content: an .exe renamed .pdf (or .jpg) is refused; no row, no file."""
    upload.seek(0)
    with pytest.raises(ElectionError, match=message):
        candidates.apply(eligible_student().user, election, **portfolio(**{field: upload}))
    assert not Candidate.objects.exists() and not Document.objects.exists()
    assert _stored_files(settings) == []


def test_el05_a_jpeg_header_on_garbage_is_refused(election):
    """EL-05: a file starting like a JPEG that Pillow cannot decode is not a photo."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("me.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 500, "image/jpeg")
    with pytest.raises(ElectionError, match="The photo is not a JPEG or PNG image"):
        candidates.apply(eligible_student().user, election, **portfolio(photo=fake))


def test_el05_files_over_the_size_limits_are_refused(election, monkeypatch):
    """EL-05: photos up to 5 MB, PDFs up to 10 MB."""
    student = eligible_student()
    big_photo = jpeg()
    big_photo.size = 5 * 2**20 + 1
    with pytest.raises(ElectionError, match="at most 5 MB"):
        candidates.apply(student.user, election, **portfolio(photo=big_photo))
    big_cv = pdf()
    big_cv.size = 10 * 2**20 + 1
    with pytest.raises(ElectionError, match="The CV must be a PDF file of at most 10 MB"):
        candidates.apply(student.user, election, **portfolio(cv=big_cv))
    assert not Candidate.objects.exists()


def test_el05_one_candidacy_per_student_and_election(election):
    """EL-05: a second application is refused; the database holds the rule too."""
    from django.db import IntegrityError, transaction

    student = eligible_student()
    first = candidates.apply(student.user, election, **portfolio())
    with pytest.raises(ElectionError, match="already applied"):
        candidates.apply(student.user, election, **portfolio())
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.create(election=election, student=first.student)
    assert Candidate.objects.count() == 1


def test_el05_the_portfolio_can_change_until_the_deadline(election):
    """EL-05: editing replaces the programme and files; after the deadline nothing changes."""
    student = eligible_student()
    candidate = candidates.apply(student.user, election, **portfolio())
    old_photo = candidate.photo.name
    candidates.update_portfolio(student.user, candidate, intent="Жаңа ниет.", programme="Жаңа бағдарлама.", photo=png())
    candidate.refresh_from_db()
    assert candidate.programme == "Жаңа бағдарлама." and candidate.photo.name != old_photo
    assert candidate.cv.name.endswith("/cv.pdf")  # kept
    after = at(election.registration_deadline + timedelta(days=1), 9)
    with pytest.raises(ElectionError, match="closed"):
        candidates.update_portfolio(student.user, candidate, intent="x", programme="Кеш.", now=after)
    candidate.refresh_from_db()
    assert candidate.programme == "Жаңа бағдарлама."
    with pytest.raises(ElectionError, match="101 words"):
        candidates.update_portfolio(student.user, candidate, intent="x", programme=words(101))


def test_only_the_candidate_edits_or_withdraws_their_candidacy(election):
    candidate = candidates.apply(eligible_student().user, election, **portfolio())
    other = eligible_student()
    with pytest.raises(PermissionDenied):
        candidates.update_portfolio(other.user, candidate, intent="x", programme="Басқа.")
    with pytest.raises(PermissionDenied):
        candidates.withdraw(other.user, candidate)
    candidate.refresh_from_db()
    assert candidate.programme == PROGRAMME and candidate.status == Candidate.Status.APPLIED


def test_a_candidate_withdraws_before_publication_and_may_apply_again(election):
    """A candidacy can be withdrawn until the list is published; while registration is open it can be filed again."""
    student = eligible_student()
    candidate = candidates.apply(student.user, election, **portfolio())
    candidates.withdraw(student.user, candidate)
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.WITHDRAWN
    again = candidates.apply(student.user, election, **portfolio())
    assert again.pk == candidate.pk and again.status == Candidate.Status.APPLIED


def test_no_withdrawal_once_the_list_is_published():
    election = make_election(phase=rules.Phase.CAMPAIGN, candidates=1)
    election.candidates_published_at = timezone.now()
    election.save()
    candidate = election.candidates.get()
    with pytest.raises(ElectionError, match="published"):
        candidates.withdraw(candidate.student.user, candidate)
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.REGISTERED


def test_staff_without_a_student_record_cannot_apply(election):
    with pytest.raises(PermissionDenied):
        candidates.apply(make_staff(Role.TEACHER), election, **portfolio())
