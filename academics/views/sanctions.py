"""The dean's office register of disciplinary sanctions (AC-21)."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from academics.errors import AcademicsError
from academics.forms import LiftSanctionForm, SanctionForm
from academics.models import Sanction
from academics.services import sanctions
from portal.models import StudentProfile, User
from portal.permissions import groups_in_scope, request_user, user_roles


def _keeper(request: HttpRequest) -> User:
    user = request_user(request)
    if not (user.is_superuser or user_roles(user).intersection(sanctions.KEEPERS)):
        raise PermissionDenied
    return user


@login_required
def register_page(request: HttpRequest) -> HttpResponse:
    user = _keeper(request)
    today = timezone.localdate()
    form = SanctionForm(request.POST or None, initial={"imposed_on": today, "valid_until": today + timedelta(days=365)})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        student = (
            StudentProfile.objects.select_related("user", "group__programme__department")
            .filter(user__id_code=data.pop("student").strip())
            .first()
        )
        if student is None:
            form.add_error("student", _("No student has this ID code."))
        else:
            try:
                sanction = sanctions.record_sanction(user, student, **data)
            except AcademicsError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("The sanction is recorded: %(sanction)s.") % {"sanction": sanction})
                return redirect("academics:sanctions")
    rows = Sanction.objects.select_related("student__user", "student__group").order_by("-imposed_on", "-pk")
    if not user.is_superuser:
        rows = rows.filter(student__group__in=groups_in_scope(user, sanctions.KEEPERS))
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(
            Q(student__user__last_name__icontains=query)
            | Q(student__user__first_name__icontains=query)
            | Q(student__user__id_code__icontains=query)
        )
    state = request.GET.get("state", "valid")
    if state == "valid":
        rows = rows.filter(pk__in=Sanction.objects.valid_on(today).values("pk"))
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": query,
        "state": state,
        "today": today,
        "lift_form": LiftSanctionForm(),
    }
    return render(request, "academics/sanctions/register.html", context)


@require_POST
@login_required
def lift(request: HttpRequest, pk: int) -> HttpResponse:
    user = _keeper(request)
    sanction = get_object_or_404(Sanction, pk=pk)
    form = LiftSanctionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date the sanction was lifted."))
    else:
        try:
            sanctions.lift_sanction(user, sanction, form.cleaned_data["lifted_on"])
        except AcademicsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The sanction is lifted."))
    return redirect("academics:sanctions")
