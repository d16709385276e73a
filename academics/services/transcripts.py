"""AC-19: the transcript as PDF bytes, for the transcript page and for other apps (the elections portfolio)."""

from django.utils import timezone

from academics import selectors
from portal.documents import render_pdf
from portal.models import StudentProfile


def transcript_pdf(student: StudentProfile, language: str) -> bytes:
    """The student's transcript (signed grades only) rendered in `language`, dated today."""
    return render_pdf(
        "academics/pdf/transcript.html",
        {"transcript": selectors.transcript(student)},
        registration_date=timezone.localdate(),
        language=language,
    )
