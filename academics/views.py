"""Teacher's gradebook pages: thin views over academics.services.gradebook."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from academics import selectors
from academics.errors import AcademicsError
from academics.forms import AttendanceForm
from academics.models import ClassSession, Enrolment, GradeRecord, Offering
from academics.services import attendance, gradebook
from portal.documents import render_pdf
from portal.models import Role, StudentProfile, User
from portal.permissions import holds_role_over_group
from portal.text import kazakh_order


@dataclass(frozen=True)
class Row:
    """One gradebook line: the saved grade, and what was posted when the page comes back with errors."""

    enrolment: Enrolment
    grade: GradeRecord | None
    posted: dict[str, object] | None
    error: str | None


def _teacher_offering(request: HttpRequest, pk: int) -> tuple[User, Offering]:
    assert isinstance(request.user, User)
    offering = get_object_or_404(
        Offering.objects.select_related("discipline", "term__academic_year", "statement"), pk=pk
    )
    if not gradebook.is_offering_teacher(request.user, offering):
        raise PermissionDenied
    return request.user, offering


@login_required
def gradebook_page(request: HttpRequest, pk: int) -> HttpResponse:
    teacher, offering = _teacher_offering(request, pk)
    errors: dict[int, str] = {}
    posted: dict[int, dict[str, object]] = {}
    if request.method == "POST":
        posted = _rows_from_post(request, offering)
        try:
            errors = gradebook.record_gradebook(teacher, offering, posted)
        except AcademicsError as exc:
            messages.error(request, str(exc))
            return redirect("academics:gradebook", pk=pk)
        if not errors:
            messages.success(request, _("Grades saved."))
            return redirect("academics:gradebook", pk=pk)
        messages.error(request, _("Nothing was saved: correct the marked rows."))
    enrolments = offering.enrolments.select_related("student__user", "student__group", "grade").order_by(
        *kazakh_order("student__user__last_name", "student__user__first_name"), "pk"
    )
    rows = [Row(e, getattr(e, "grade", None), posted.get(e.pk), errors.get(e.pk)) for e in enrolments]
    signed = any(r.grade is not None and r.grade.is_signed for r in rows)
    return render(request, "academics/gradebook.html", {"offering": offering, "rows": rows, "signed": signed})


def _rows_from_post(request: HttpRequest, offering: Offering) -> dict[int, dict[str, object]]:
    rows: dict[int, dict[str, object]] = {}
    for eid in offering.enrolments.values_list("pk", flat=True):
        row: dict[str, object] = {name: request.POST.get(f"{name}-{eid}", "").strip() for name in gradebook.ROW_FIELDS}
        row["exam_no_show"] = request.POST.get(f"exam_no_show-{eid}") == "on"
        rows[eid] = row
    return rows


@require_POST
@login_required
def sign_statement(request: HttpRequest, pk: int) -> HttpResponse:
    teacher, offering = _teacher_offering(request, pk)
    try:
        count = gradebook.sign_statement(teacher, offering)
    except AcademicsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The exam statement is signed: %(count)d grades are final.") % {"count": count})
    return redirect("academics:gradebook", pk=pk)


TRANSCRIPT_VIEWERS = (Role.DEAN, Role.STUDENT_DEAN, Role.REGISTRAR, Role.HEAD_OF_DEPARTMENT, Role.ADVISOR)


def _transcript_student(request: HttpRequest, student_id: int | None) -> StudentProfile:
    """The student's own transcript, or one in a staff member's scope (AC-19); anything else is 403."""
    assert isinstance(request.user, User)
    profiles = StudentProfile.objects.select_related("user", "group__programme__department__institute__university")
    if student_id is None:
        return get_object_or_404(profiles, user=request.user)
    student = get_object_or_404(profiles, pk=student_id)
    if student.user_id != request.user.pk and not (
        request.user.is_superuser or holds_role_over_group(request.user, TRANSCRIPT_VIEWERS, student.group)
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
    context = {"transcript": selectors.transcript(student), "pdf_url": pdf_url}
    return render(request, "academics/transcript.html", context)


@login_required
def transcript_pdf(request: HttpRequest, student_id: int | None = None) -> HttpResponse:
    """AC-19: the transcript PDF in Kazakh, Russian or English (?lang=)."""
    student = _transcript_student(request, student_id)
    language = request.GET.get("lang") or translation.get_language() or "kk"
    if language not in dict(settings.LANGUAGES):
        language = "kk"
    pdf = render_pdf(
        "academics/pdf/transcript.html",
        {"transcript": selectors.transcript(student)},
        registration_date=timezone.localdate(),
        language=language,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="transcript-{student.user.id_code}-{language}.pdf"'
    return response


ADMISSION_VIEWERS = (Role.DEAN, Role.STUDENT_DEAN, Role.REGISTRAR, Role.HEAD_OF_DEPARTMENT)


def _admission_offering(request: HttpRequest, pk: int) -> Offering:
    """The offering's teachers, and deans, heads and the registrar over one of its groups."""
    assert isinstance(request.user, User)
    offering = get_object_or_404(
        Offering.objects.select_related("discipline", "term__academic_year", "statement"), pk=pk
    )
    user = request.user
    allowed = (
        user.is_superuser
        or gradebook.is_offering_teacher(user, offering)
        or any(holds_role_over_group(user, ADMISSION_VIEWERS, g) for g in offering.groups.all())
    )
    if not allowed:
        raise PermissionDenied
    return offering


@login_required
def admission_page(request: HttpRequest, pk: int) -> HttpResponse:
    offering = _admission_offering(request, pk)
    context = {"offering": offering, "rows": attendance.admission_list(offering)}
    return render(request, "academics/admission.html", context)


@login_required
def admission_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    offering = _admission_offering(request, pk)
    pdf = render_pdf(
        "academics/pdf/admission.html",
        {"offering": offering, "rows": attendance.admission_list(offering)},
        registration_date=timezone.localdate(),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="admission-{offering.discipline.code}.pdf"'
    return response


@login_required
def attendance_page(request: HttpRequest, pk: int) -> HttpResponse:
    """AC-24: the teacher marks who attended a class."""
    teacher, offering = _teacher_offering(request, pk)
    enrolments = offering.enrolments.select_related("student__user").order_by(
        *kazakh_order("student__user__last_name", "student__user__first_name"), "pk"
    )
    if request.method == "POST":
        form = AttendanceForm(request.POST)
        if form.is_valid():
            present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
            try:
                attendance.record_attendance(
                    teacher, offering, form.cleaned_data["held_on"], present, form.cleaned_data["number"]
                )
            except AcademicsError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Attendance saved."))
                return redirect("academics:attendance", pk=pk)
    else:
        form = AttendanceForm(initial={"held_on": timezone.localdate(), "number": 1})
    held = ClassSession.objects.filter(offering=offering).count()
    return render(
        request,
        "academics/attendance.html",
        {"offering": offering, "enrolments": enrolments, "form": form, "held": held},
    )


@login_required
def statement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed exam statement as stored (not re-rendered), for the teachers and staff in scope."""
    offering = _admission_offering(request, pk)
    if offering.statement is None:
        raise Http404
    with offering.statement.file.open("rb") as fh:
        response = HttpResponse(fh.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="statement-{offering.discipline.code}.pdf"'
    return response
