"""Channel pages (AP-03 to AP-05): paper applications registered by the dean's office, e-mails imported
and the unmatched ones registered by hand; the rector's blog lives in channels_blog."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appeals.errors import AppealError
from appeals.models import ApplicantType, Application, UnmatchedEmail
from appeals.permissions import can_view, deans_institutes, is_dean_of
from appeals.services.channels import person_institute, register_paper, search_people
from appeals.services.filing import Filing
from appeals.services.mail import ParsedEmail, kind_from_subject, parse_email, short_subject
from appeals.services.mail_import import (
    checked_files,
    dismiss_unmatched,
    import_message,
    may_handle,
    register_unmatched,
    waiting_unmatched,
)
from appeals.views import channels_blog
from appeals.views.channels_forms import DismissForm, EmailUploadForm, PaperForm, UnmatchedForm
from portal.models import Institute, User
from portal.permissions import request_user


def _dean_institutes(user: User) -> QuerySet[Institute]:
    """The institutes whose dean's office the user runs; 403 for anyone else."""
    institutes = deans_institutes(user).order_by("code")
    if not institutes.exists():
        raise PermissionDenied
    return institutes


def _people(request: HttpRequest, *, staff_only: bool = False) -> tuple[str, list[tuple[User, Institute | None]]]:
    """The ?q= search of students and staff, each with the institute they belong to."""
    query = request.GET.get("q", "").strip()[:100]
    found = search_people(query, staff_only=staff_only) if query else []
    return query, [(person, person_institute(person)) for person in found]


APPENDIX_OF: dict[str, int] = {ApplicantType.STUDENT: 1, ApplicantType.STAFF: 2}


def appendix_url(application: Application) -> str | None:
    """The Appendix 1 (student) or 2 (staff) PDF of a named applicant's case (AP-17), when the portal has the
    page (the applicant area's "appeals:appendix")."""
    number = APPENDIX_OF.get(application.applicant_type)
    if number is None:
        return None
    try:
        return reverse("appeals:appendix", args=[application.pk, number])
    except NoReverseMatch:
        return None


@login_required
def paper(request: HttpRequest) -> HttpResponse:
    """AP-03 to AP-05: the dean's office registers a paper application at once, named or anonymous."""
    user = request_user(request)
    institutes = _dean_institutes(user)
    query, people = _people(request)
    status = 200
    if request.method == "POST":
        form = PaperForm(request.POST, request.FILES, institutes=institutes)
        if form.is_valid():
            data = form.cleaned_data
            filing = Filing(
                kind=data["kind"],
                subject=data["subject"],
                text=data["text"],
                files=data["attachments"],
                representative_name=data["representative_name"],
                representation_reason=data["representation_reason"],
                representation_document=data["representation_document"],
                postal_address=data["postal_address"],
                phone=data["phone"],
            )
            try:
                application = register_paper(
                    actor=user,
                    institute=data["institute"],
                    applicant=data["applicant"],
                    filing=filing,
                    received_at=data["received_at"],
                    reports_offence=data["anonymous"] and data["reports_offence"],
                    forwarded_to=data["forwarded_to"],
                )
            except AppealError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Registered as %(number)s.") % {"number": application.number})
                return redirect("appeals:registered", pk=application.pk)
        status = 400
    else:
        form = PaperForm(institutes=institutes, initial={"applicant_code": request.GET.get("applicant", "")})
    context = {"form": form, "query": query, "people": people}
    return render(request, "appeals/channels/paper.html", context, status=status)


@login_required
def registered(request: HttpRequest, pk: int) -> HttpResponse:
    """What was registered: the number, the dates, and the links to the case and its Appendix PDF."""
    user = request_user(request)
    application = get_object_or_404(Application.objects.select_related("institute", "applicant"), pk=pk)
    if application.filed_by_id != user.pk and not is_dean_of(user, application.institute_id):
        raise PermissionDenied
    visible = can_view(user, application)
    context = {
        "application": application,
        "case_url": reverse("appeals:case", args=[application.pk]) if visible else None,
        "appendix_url": appendix_url(application) if visible else None,
    }
    return render(request, "appeals/channels/registered.html", context)


@login_required
def import_email(request: HttpRequest) -> HttpResponse:
    """AP-03: the dean's office uploads e-mails as .eml files; below, the e-mails waiting for an applicant."""
    user = request_user(request)
    institutes = _dean_institutes(user)
    results = []
    status = 200
    if request.method == "POST":
        form = EmailUploadForm(request.POST, request.FILES, institutes=institutes)
        if form.is_valid():
            institute = form.cleaned_data["institute"]
            for upload in form.cleaned_data["emails"]:
                raw = upload.read()
                results.append(import_message(raw, name=upload.name or "message.eml", actor=user, institute=institute))
            form = EmailUploadForm(institutes=institutes)
        else:
            status = 400
    else:
        form = EmailUploadForm(institutes=institutes)
    query = request.GET.get("q", "").strip()[:100]
    waiting = waiting_unmatched(user).select_related("institute")
    if query:
        waiting = waiting.filter(Q(sender__icontains=query) | Q(subject__icontains=query))
    page = Paginator(waiting.order_by("received_at", "pk"), 20).get_page(request.GET.get("page"))
    context = {"form": form, "results": results, "page": page, "query": query}
    return render(request, "appeals/channels/import.html", context, status=status)


def _held(request: HttpRequest, pk: int) -> tuple[User, UnmatchedEmail]:
    user = request_user(request)
    held = get_object_or_404(UnmatchedEmail.objects.select_related("application", "handled_by"), pk=pk)
    if not may_handle(user, held):
        raise PermissionDenied
    return user, held


def _parsed(held: UnmatchedEmail) -> ParsedEmail | None:
    try:
        with held.original.open("rb") as original:
            return parse_email(original.read())
    except (AppealError, OSError):
        return None


@login_required
def unmatched(request: HttpRequest, pk: int) -> HttpResponse:
    """AP-03, AP-04: an e-mail from an unknown sender; the dean's office names the applicant and registers it."""
    user, held = _held(request, pk)
    parsed = _parsed(held)
    accepted, refused = checked_files(parsed) if parsed else ([], [])
    waiting = held.state == UnmatchedEmail.State.WAITING
    status = 200
    institutes = deans_institutes(user).order_by("code")
    if request.method == "POST" and waiting:
        form = UnmatchedForm(request.POST, institutes=institutes)
        if form.is_valid():
            data = form.cleaned_data
            try:
                application = register_unmatched(
                    held,
                    applicant=data["applicant"],
                    kind=data["kind"],
                    subject=data["subject"],
                    text=data["text"],
                    actor=user,
                    institute=data["institute"],
                    reports_offence=data["anonymous"] and data["reports_offence"],
                    forwarded_to=data["forwarded_to"],
                )
            except AppealError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Registered as %(number)s.") % {"number": application.number})
                return redirect("appeals:registered", pk=application.pk)
        status = 400
    else:
        subject = parsed.subject if parsed else held.subject
        form = UnmatchedForm(
            institutes=institutes,
            initial={
                "applicant_code": request.GET.get("applicant", ""),
                "kind": kind_from_subject(subject),
                "subject": short_subject(subject),
                "text": parsed.text if parsed else "",
            },
        )
    query, people = _people(request)
    context = {
        "held": held,
        "parsed": parsed,
        "accepted": [f.name for f in accepted],
        "refused": refused,
        "waiting": waiting,
        "form": form,
        "dismiss_form": DismissForm(),
        "query": query,
        "people": people,
    }
    return render(request, "appeals/channels/unmatched.html", context, status=status)


@require_POST
@login_required
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """Set aside an unmatched e-mail that is no application, with the reason (kept, audited)."""
    user, held = _held(request, pk)
    form = DismissForm(request.POST)
    try:
        dismiss_unmatched(held, note=form.data.get("note", ""), actor=user)
    except AppealError as error:
        messages.error(request, str(error))
        return redirect("appeals:unmatched_email", pk=held.pk)
    messages.success(request, _("The e-mail is set aside as not an application."))
    return redirect("appeals:import_email")


@login_required
def original(request: HttpRequest, pk: int) -> FileResponse:
    """The unmatched e-mail as it came (.eml), to open in a mail program."""
    _user, held = _held(request, pk)
    response = FileResponse(
        held.original.open("rb"), as_attachment=True, filename="message.eml", content_type="message/rfc822"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns: list[URLPattern] = [
    path("paper/", paper, name="register_paper"),
    path("registered/<int:pk>/", registered, name="registered"),
    path("mail/", import_email, name="import_email"),
    path("mail/<int:pk>/", unmatched, name="unmatched_email"),
    path("mail/<int:pk>/dismiss/", dismiss, name="dismiss_email"),
    path("mail/<int:pk>/original/", original, name="unmatched_original"),
    *channels_blog.urlpatterns,
]
