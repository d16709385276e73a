"""Teacher's pages: gradebook, signing, attendance (AC-03, AC-23, AC-24)."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from academics.errors import AcademicsError
from academics.forms import AttendanceForm
from academics.models import ClassSession, Enrolment, GradeRecord, Offering
from academics.services import attendance, gradebook
from portal.models import User
from portal.permissions import request_user
from portal.text import kazakh_order


@dataclass(frozen=True)
class Row:
    """One gradebook line: the saved grade, and what was posted when the page comes back with errors."""

    enrolment: Enrolment
    grade: GradeRecord | None
    posted: dict[str, object] | None
    error: str | None


def _teacher_offering(request: HttpRequest, pk: int) -> tuple[User, Offering]:
    user = request_user(request)
    offering = get_object_or_404(
        Offering.objects.select_related("discipline", "term__academic_year", "statement"), pk=pk
    )
    if not gradebook.is_offering_teacher(user, offering):
        raise PermissionDenied
    return user, offering


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
        message = ngettext(
            "The exam statement is signed: %(count)d grade is final.",
            "The exam statement is signed: %(count)d grades are final.",
            count,
        )
        messages.success(request, message % {"count": count})
    return redirect("academics:gradebook", pk=pk)


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
