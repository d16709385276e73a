"""Non-formal learning recognition pages (AC-16): the student's requests; the lecturer's and head's review."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from academics.errors import AcademicsError
from academics.models import Discipline, NonformalRecognition
from academics.services import nonformal
from academics.views.fields import DisciplineChoice
from portal.models import Role, User
from portal.permissions import request_user, user_roles

REVIEWERS = {Role.TEACHER, Role.HEAD_OF_DEPARTMENT}


class RecognitionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Course title"), max_length=255)
    provider = forms.CharField(
        label=gettext_lazy("Provider"),
        max_length=255,
        help_text=gettext_lazy("The platform or organisation, e.g. Coursera, edX, Stepik."),
    )
    discipline = DisciplineChoice(
        queryset=Discipline.objects.order_by("code"), label=gettext_lazy("Discipline it replaces")
    )
    certificate_reference = forms.CharField(
        label=gettext_lazy("Certificate"), max_length=500, help_text=gettext_lazy("Its number or a link to it.")
    )


@login_required
def student_page(request: HttpRequest) -> HttpResponse:
    """AC-16: the student requests recognition and follows their requests."""
    user = request_user(request)
    student = user.student_profile
    if student is None:
        raise PermissionDenied
    form = RecognitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            nonformal.request_recognition(
                user,
                form.cleaned_data["discipline"],
                form.cleaned_data["title"],
                form.cleaned_data["provider"],
                form.cleaned_data["certificate_reference"],
            )
        except AcademicsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your request is registered: the lecturer and the head of department decide."))
            return redirect("academics:nonformal")
    limit = nonformal.credit_limit(student)
    recognitions = list(
        student.nonformal_recognitions.select_related("discipline", "lecturer_agreed_by", "head_agreed_by")
    )
    rows = [(r, nonformal.refusal_labels(r, limit)) for r in recognitions]
    context = {
        "form": form,
        "rows": rows,
        "limit": limit,
        "used": nonformal.recognised_credits(student),
        "programme_credits": nonformal.programme_total_credits(student.group.programme),
    }
    return render(request, "academics/nonformal/student.html", context)


@login_required
def review_page(request: HttpRequest) -> HttpResponse:
    """Requests waiting for this lecturer's or head of department's agreement."""
    user = request_user(request)
    if not (user_roles(user) & REVIEWERS):
        raise PermissionDenied
    page = Paginator(nonformal.awaiting(user), 50).get_page(request.GET.get("page"))
    return render(request, "academics/nonformal/review.html", {"page": page})


def _decision(request: HttpRequest, pk: int) -> tuple[User, NonformalRecognition, str]:
    recognition = get_object_or_404(NonformalRecognition.objects.select_related("discipline"), pk=pk)
    capacity = request.POST.get("capacity", "")
    if capacity not in nonformal.CAPACITIES:
        raise PermissionDenied
    return request_user(request), recognition, capacity


@require_POST
@login_required
def agree(request: HttpRequest, pk: int) -> HttpResponse:
    user, recognition, capacity = _decision(request, pk)
    try:
        recognition = nonformal.agree_recognition(user, recognition, capacity)
    except AcademicsError as exc:
        messages.error(request, str(exc))
    else:
        if recognition.status == NonformalRecognition.Status.RECOGNISED:
            messages.success(request, _("Both agreed: the course is recognised."))
        elif recognition.status == NonformalRecognition.Status.REFUSED:
            messages.warning(
                request,
                _("The request is refused: %(reasons)s.")
                % {"reasons": "; ".join(nonformal.refusal_labels(recognition))},
            )
        else:
            messages.success(request, _("Your agreement is recorded."))
    return redirect("academics:nonformal_review")


@require_POST
@login_required
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    user, recognition, capacity = _decision(request, pk)
    try:
        nonformal.refuse_recognition(user, recognition, capacity, request.POST.get("comment", ""))
    except AcademicsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The request is refused."))
    return redirect("academics:nonformal_review")
