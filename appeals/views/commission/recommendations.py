"""AP-13: the responsible person's recommendations: the list and one recommendation with its report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.errors import AppealError
from appeals.models import Decision, Recommendation
from appeals.services import commission as service
from appeals.services.commission.recommendations import is_overdue, issued_to
from appeals.views.commission.forms import CompletionForm
from portal.forms import errors_text
from portal.permissions import request_user

PAGE_SIZE = 20


@login_required
def recommendation_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    page = Paginator(issued_to(user), PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for rec in page:
        rec.overdue = is_overdue(rec, today)  # type: ignore[attr-defined]
    return render(request, "appeals/commission/recommendations.html", {"page": page})


@login_required
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The person responsible reports it carried out; the commission sees it. A draft is the commission's only."""
    user = request_user(request)
    rec = get_object_or_404(Recommendation.objects.select_related("application", "responsible"), pk=pk)
    decision = Decision.objects.filter(application_id=rec.application_id).first()
    responsible = rec.responsible_id == user.pk and decision is not None
    if not (responsible or service.can_see_commission(user, rec.application)):
        raise PermissionDenied
    can_report = responsible and rec.completed_at is None
    form = CompletionForm(request.POST or None) if can_report else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                service.complete_recommendation(user, rec, form.cleaned_data["note"])
            except AppealError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Reported carried out; the commission's chair is told."))
                return redirect("appeals:recommendation", pk=pk)
        else:
            messages.error(request, errors_text(form))
    context = {
        "rec": rec,
        "decision": decision,
        "form": form,
        "overdue": decision is not None and is_overdue(rec, timezone.localdate()),
    }
    return render(request, "appeals/commission/recommendation.html", context)
