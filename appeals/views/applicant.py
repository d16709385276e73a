"""The applicant's pages (AP-01, AP-02, AP-17, AP-21): file an application, my applications, the case page
and its files. The case page's steps are in applicant_steps.py, its content in applicant_case.py."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from appeals.errors import AppealError
from appeals.forms_applicant import FilingForm
from appeals.models import OPEN_STATUSES, Application, Body, Kind, Status
from appeals.permissions import is_dean_of, is_handler, require_view
from appeals.services import letters
from appeals.services.filing import Filing, applicant_type_of, file_application
from appeals.services.workflow import TRANSITIONS
from appeals.views import applicant_steps
from appeals.views.applicant_case import APPENDIX_OF, APPLICANT_PURPOSES, get_case, render_case
from portal.models import User
from portal.permissions import request_user

PER_PAGE = 20


def extra_actions(application: Application, user: User) -> list[tuple[str, str]]:
    """Links to the steps other pages take on this case, where the case's state allows them: the expanded
    commission, the grade appeal's stages, passing it up a level, and the applicant's appeal to a higher
    official (AP-10, AP-18, AP-20, AP-14). Each page checks again who may use it."""
    is_applicant = application.applicant_id == user.pk
    status, args = application.status, [application.pk]
    links: list[tuple[str, str]] = []
    if not is_applicant and (application.is_open or application.body == Body.EXPANDED_COMMISSION):
        links.append((gettext("Expanded commission"), reverse("appeals:commission", args=args)))
    if application.kind == Kind.GRADE_APPEAL:
        links.append((gettext("Exam grade appeal"), reverse("appeals:grade_appeal", args=args)))
    if not is_applicant and status in TRANSITIONS["escalate"][0]:
        links.append((gettext("Pass to a higher level"), reverse("appeals:escalate", args=args)))
    overdue = application.is_open and application.deadline < timezone.localdate()
    if is_applicant and (status in (Status.ANSWERED, Status.RETURNED, Status.TERMINATED) or overdue):
        links.append((gettext("Appeal to a higher official"), reverse("appeals:higher_appeal", args=args)))
    return links


def _may_file(user: User) -> str | None:
    """None if the user can file in the portal, else why not (AP-02: students and staff)."""
    try:
        applicant_type_of(user)
    except AppealError as exc:
        return str(exc)
    return None


def _filing(data: dict[str, Any]) -> Filing:
    names = [f for f in Filing.__dataclass_fields__ if f in data]
    return Filing(files=data["attachments"], **{name: data[name] for name in names})


@login_required
def file_page(request: HttpRequest) -> HttpResponse:
    """AP-01, AP-02: a student or staff member files an application, a complaint, a proposal or a request."""
    user = request_user(request)
    refusal = _may_file(user)
    form = FilingForm(request.POST or None, request.FILES or None, applicant=user)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            application = file_application(user, _filing(form.cleaned_data))
        except AppealError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Your application is registered: No. %(number)s of %(date)s. The answer is due by %(due)s.")
                % {
                    "number": application.number,
                    "date": application.registered_on.strftime("%d.%m.%Y"),
                    "due": application.due_on.strftime("%d.%m.%Y"),
                },
            )
            return redirect("appeals:case", pk=application.pk)
    files_lost = request.method == "POST" and bool(request.FILES)
    return render(request, "appeals/applicant/file.html", {"form": form, "refusal": refusal, "files_lost": files_lost})


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    """The applications the user filed or co-signed, newest first, with a search."""
    user = request_user(request)
    rows = Application.objects.filter(
        pk__in=Application.objects.filter(Q(applicant=user) | Q(co_applicants=user)).values("pk")
    ).order_by("-registered_on", "-pk")
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(Q(number__icontains=query) | Q(subject__icontains=query))
    status = request.GET.get("status", "")
    if status == "open":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif status in Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows.only(*LIST_FIELDS), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "status": status,
        "statuses": Status.choices,
        "today": timezone.localdate(),
        "may_file": _may_file(user) is None,
    }
    return render(request, "appeals/applicant/mine.html", context)


LIST_FIELDS = ("number", "registered_on", "kind", "subject", "status", "due_on", "extended_to", "applicant_id")


@login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    """The case page: the record, its timeline, the hearing, the answer and the steps (AP-21)."""
    return render_case(request, get_case(pk))


def _file_response(file: object, name: str, content_type: str) -> FileResponse:
    response = FileResponse(file, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponseBase:
    """A file of the case, to those who see the case (AP-21); media is not public."""
    user = request_user(request)
    application = get_object_or_404(Application, pk=pk)
    require_view(user, application)
    item = get_object_or_404(application.attachments, pk=attachment_id)
    is_party = application.applicant_id == user.pk or application.co_applicants.filter(pk=user.pk).exists()
    if (
        is_party
        and item.purpose not in APPLICANT_PURPOSES
        and not (is_dean_of(user, application.institute_id) or is_handler(user, application))
    ):
        raise PermissionDenied
    extension = item.original_name.rsplit(".", 1)[-1].lower() if "." in item.original_name else "bin"
    return _file_response(item.file.open("rb"), f"{application.pk}-{item.pk}.{extension}", item.content_type)


@login_required
def answer_letter(request: HttpRequest, pk: int) -> HttpResponseBase:
    """AP-15: the answer letter as issued."""
    application = get_object_or_404(Application.objects.select_related("answer_document"), pk=pk)
    require_view(request_user(request), application)
    if application.answer_document is None:
        raise Http404
    return _file_response(
        application.answer_document.file.open("rb"), f"answer-{application.pk}.pdf", "application/pdf"
    )


@login_required
def appendix(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """AP-17: Appendix 1 (a student's application form) or 2 (a staff member's), filled from the case."""
    application = get_case(pk)
    require_view(request_user(request), application)
    expected = APPENDIX_OF.get(application.applicant_type)
    if number != expected:
        raise Http404
    pdf = letters.application_form_pdf(application)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="appendix-{number}-{application.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns: list[URLPattern] = [
    path("file/", file_page, name="file"),
    path("mine/", my_applications, name="mine"),
    path("<int:pk>/", case, name="case"),
    path("<int:pk>/files/<int:attachment_id>/", attachment, name="attachment"),
    path("<int:pk>/answer.pdf", answer_letter, name="answer_letter"),
    path("<int:pk>/appendix-<int:number>.pdf", appendix, name="appendix"),
    *applicant_steps.urlpatterns,
]
