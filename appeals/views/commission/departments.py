"""AP-11: the department head's side of document requests: the list, one request and its answer, and
the department's document as a download for the commission."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.errors import AppealError
from appeals.models import Decision, DocumentRequest
from appeals.services import commission as service
from appeals.services.commission.access import headed_department_ids, heads_department
from appeals.services.commission.documents import is_overdue, requests_to
from appeals.views.commission.forms import DepartmentAnswerForm
from portal.forms import errors_text
from portal.permissions import request_user

PAGE_SIZE = 20


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """The requests to the departments the user heads, open first; search by case number or text."""
    user = request_user(request)
    if not headed_department_ids(user).exists():
        raise PermissionDenied
    rows = requests_to(user)
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(Q(application__number__icontains=query) | Q(what__icontains=query))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    decided = set(
        Decision.objects.filter(application_id__in=[r.application_id for r in page]).values_list(
            "application_id", flat=True
        )
    )
    for r in page:
        r.moot = r.answered_at is None and r.application_id in decided  # type: ignore[attr-defined]
        r.overdue = not r.moot and is_overdue(r, today)  # type: ignore[attr-defined]
    return render(request, "appeals/commission/requests.html", {"page": page, "query": query})


def _request_or_404(pk: int) -> DocumentRequest:
    return get_object_or_404(
        DocumentRequest.objects.select_related("application__institute", "department", "attachment", "requested_by"),
        pk=pk,
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: the head answers it here; the commission sees it."""
    user = request_user(request)
    doc_request = _request_or_404(pk)
    is_head = heads_department(user, doc_request.department_id)
    if not (is_head or service.can_see_commission(user, doc_request.application)):
        raise PermissionDenied
    decided = Decision.objects.filter(application_id=doc_request.application_id).exists()
    can_answer = is_head and doc_request.answered_at is None and not decided
    form = DepartmentAnswerForm(request.POST or None, request.FILES or None) if can_answer else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                service.answer_document_request(user, doc_request, form.cleaned_data["note"], form.cleaned_data["file"])
            except AppealError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The answer is sent to the commission."))
                return redirect("appeals:document_request", pk=pk)
        else:
            messages.error(request, errors_text(form))
    context = {
        "doc_request": doc_request,
        "form": form,
        "is_head": is_head,
        "decided": decided,
        "overdue": not decided and is_overdue(doc_request, timezone.localdate()),
    }
    return render(request, "appeals/commission/request.html", context)


@login_required
def department_document(request: HttpRequest, pk: int) -> FileResponse:
    """The PDF a department sent, for the commission and the department's head."""
    user = request_user(request)
    doc_request = _request_or_404(pk)
    if not (
        heads_department(user, doc_request.department_id) or service.can_see_commission(user, doc_request.application)
    ):
        raise PermissionDenied
    attachment = doc_request.attachment
    if attachment is None:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = f'inline; filename="request-{doc_request.pk}.pdf"'
    return response
