"""Transcript page and PDF (AC-19)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation

from academics import selectors
from academics.services import transcripts
from portal.models import Role, StudentProfile
from portal.permissions import holds_role_over_group, request_user

TRANSCRIPT_VIEWERS = (Role.DEAN, Role.STUDENT_DEAN, Role.REGISTRAR, Role.HEAD_OF_DEPARTMENT, Role.ADVISOR)


def _transcript_student(request: HttpRequest, student_id: int | None) -> StudentProfile:
    """The student's own transcript, or one in a staff member's scope (AC-19); anything else is 403."""
    user = request_user(request)
    profiles = StudentProfile.objects.select_related("user", "group__programme__department__institute__university")
    if student_id is None:
        return get_object_or_404(profiles, user=user)
    student = get_object_or_404(profiles, pk=student_id)
    if student.user_id != user.pk and not (
        user.is_superuser or holds_role_over_group(user, TRANSCRIPT_VIEWERS, student.group)
    ):
        raise PermissionDenied
    return student


@login_required
def transcript_page(request: HttpRequest, student_id: int | None = None) -> HttpResponse:
    student = _transcript_student(request, student_id)
    pdf_url = (
        reverse("academics:transcript_pdf", args=[student_id])
        if student_id is not None
        else reverse("academics:my_transcript_pdf")
    )
    user = request_user(request)
    can_correct = student.user_id != user.pk and holds_role_over_group(user, (Role.DEAN,), student.group)
    context = {"transcript": selectors.transcript(student), "pdf_url": pdf_url, "can_correct": can_correct}
    return render(request, "academics/transcript.html", context)


@login_required
def transcript_pdf(request: HttpRequest, student_id: int | None = None) -> HttpResponse:
    """AC-19: the transcript PDF in Kazakh, Russian or English (?lang=)."""
    student = _transcript_student(request, student_id)
    language = request.GET.get("lang") or translation.get_language() or "kk"
    if language not in dict(settings.LANGUAGES):
        language = "kk"
    pdf = transcripts.transcript_pdf(student, language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="transcript-{student.user.id_code}-{language}.pdf"'
    return response
