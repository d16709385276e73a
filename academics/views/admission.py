"""Exam admission list and the signed exam statement (AC-06, AC-07)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from academics.models import Offering
from academics.services import attendance, gradebook
from portal.documents import render_pdf
from portal.models import Role
from portal.permissions import holds_role_over_group, request_user

ADMISSION_VIEWERS = (Role.DEAN, Role.STUDENT_DEAN, Role.REGISTRAR, Role.HEAD_OF_DEPARTMENT)


def _admission_offering(request: HttpRequest, pk: int) -> Offering:
    """The offering's teachers, and deans, heads and the registrar over one of its groups."""
    user = request_user(request)
    offering = get_object_or_404(
        Offering.objects.select_related("discipline", "term__academic_year", "statement"), pk=pk
    )
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
    user = request_user(request)
    can_permit = any(holds_role_over_group(user, (Role.DEAN,), g) for g in offering.groups.all())
    context = {
        "offering": offering,
        "rows": attendance.admission_list(offering),
        "can_permit": can_permit,
        "policy": offering.term.academic_year.policy(),
    }
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
def statement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed exam statement as stored (not re-rendered), for the teachers and staff in scope."""
    offering = _admission_offering(request, pk)
    if offering.statement is None:
        raise Http404
    with offering.statement.file.open("rb") as fh:
        response = HttpResponse(fh.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="statement-{offering.discipline.code}.pdf"'
    return response
