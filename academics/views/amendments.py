"""Changing a signed grade by an amendment (AC-23): FX retake by the teacher, correction by the dean;
and the dean's permission for an individual midterm retake (AC-07)."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from academics import rules
from academics.errors import AcademicsError
from academics.forms import AmendmentForm, RetakePermissionForm
from academics.models import Enrolment, GradeAmendment, GradeRecord
from academics.services import attendance, gradebook
from portal.permissions import request_user

# Appeal decisions arrive from the appeals app through `gradebook.amend_grade`, not from this page.
KINDS_ON_THIS_PAGE = (GradeAmendment.Kind.FX_RETAKE, GradeAmendment.Kind.DEAN_CORRECTION)


@login_required
def amend_page(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    user = request_user(request)
    if kind not in KINDS_ON_THIS_PAGE:
        raise Http404
    grade = get_object_or_404(
        GradeRecord.objects.select_related(
            "enrolment__student__user",
            "enrolment__student__group",
            "enrolment__offering__discipline",
            "enrolment__offering__term__academic_year",
            "signed_by",
        ),
        pk=pk,
    )
    if not gradebook.can_amend(user, grade, kind):
        raise PermissionDenied
    form = AmendmentForm(request.POST or None)
    form.fields["exam"].required = kind == GradeAmendment.Kind.FX_RETAKE
    if request.method == "POST" and form.is_valid():
        try:
            amendment = gradebook.amend_grade(user, grade, kind=kind, **form.cleaned_data)
        except AcademicsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("The grade is amended: %(letter)s (%(percent)s %%). The teacher's entry is kept.")
                % {"letter": amendment.letter, "percent": round(amendment.final_percent, 1)},
            )
            return redirect("academics:amend_grade", pk=pk, kind=kind)
    amendments = grade.amendments.select_related("created_by").order_by("created_at", "pk")
    exam = Decimal(0) if grade.exam_no_show else grade.exam
    original = None
    if grade.r1 is not None and grade.r2 is not None and exam is not None:
        percent = rules.final_percentage(grade.r1, grade.r2, exam)
        original = (percent, rules.letter_grade(percent)[0])
    context = {
        "grade": grade,
        "kind": kind,
        "kind_label": GradeAmendment.Kind(kind).label,
        "form": form,
        "amendments": amendments,
        "original": original,
    }
    return render(request, "academics/amend.html", context)


@require_POST
@login_required
def permit_retake(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    user = request_user(request)
    enrolment = get_object_or_404(Enrolment.objects.select_related("student__group", "offering"), pk=enrolment_id)
    form = RetakePermissionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A permission needs the number and date of the dean's written decision."))
    else:
        try:
            attendance.permit_midterm_retake(user, enrolment, form.cleaned_data["document_reference"])
        except AcademicsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("%(student)s may retake the midterm individually.") % {"student": enrolment.student.user.full_name},
            )
    return redirect("academics:admission", pk=enrolment.offering_id)
