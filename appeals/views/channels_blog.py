"""The rector's blog (AP-03): students and staff write; the moderators publish, reject or register as an
application a message that names an employee."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appeals.errors import AppealError
from appeals.models import BlogEntry
from appeals.services import blog
from appeals.services.channels import person_institute, search_people
from appeals.views.channels_forms import BlogEntryForm, BlogRegisterForm, RejectForm
from portal.models import User
from portal.permissions import request_user

State = BlogEntry.State


@login_required
def blog_page(request: HttpRequest) -> HttpResponse:
    """The published messages for every signed-in user; the author's own messages with their state."""
    user = request_user(request)
    can_post = blog.can_post(user)
    status = 200
    form = BlogEntryForm()
    if request.method == "POST":
        form = BlogEntryForm(request.POST)
        if form.is_valid():
            try:
                blog.post_entry(user, form.cleaned_data["text"])
            except AppealError as error:
                form.add_error("text", str(error))
            else:
                messages.success(request, _("Your message is sent; it is published after moderation."))
                return redirect("appeals:blog")
        status = 400
    published = BlogEntry.objects.filter(state=State.PUBLISHED).select_related("author").order_by("-created_at", "-pk")
    page = Paginator(published, 20).get_page(request.GET.get("page"))
    own = list(BlogEntry.objects.filter(author=user).select_related("application").order_by("-created_at", "-pk")[:10])
    context = {
        "page": page,
        "own": own,
        "form": form,
        "can_post": can_post,
        "moderator": blog.is_moderator(user),
    }
    return render(request, "appeals/channels/blog.html", context, status=status)


def _moderator(request: HttpRequest) -> User:
    user = request_user(request)
    blog.require_moderator(user)
    return user


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    """The moderators' queue: messages awaiting a decision, oldest first."""
    _moderator(request)
    pending = (
        BlogEntry.objects.filter(state=State.PENDING)
        .select_related("author__student__group", "author__staff")
        .order_by("created_at", "pk")
    )
    page = Paginator(pending, 20).get_page(request.GET.get("page"))
    return render(request, "appeals/channels/moderation.html", {"page": page, "reject_form": RejectForm()})


def _pending(pk: int) -> BlogEntry:
    return get_object_or_404(BlogEntry.objects.select_related("author"), pk=pk)


@require_POST
@login_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = _moderator(request)
    try:
        blog.publish(_pending(pk), user)
    except AppealError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The message is published."))
    return redirect("appeals:blog_moderation")


@require_POST
@login_required
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    user = _moderator(request)
    try:
        blog.reject(_pending(pk), user, request.POST.get("note", ""))
    except AppealError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The message is not published; the author is told why."))
    return redirect("appeals:blog_moderation")


@login_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """AP-03: register a message naming an employee as an application to the employee's institute."""
    user = _moderator(request)
    entry = _pending(pk)
    status = 200
    if request.method == "POST" and entry.state == State.PENDING:
        form = BlogRegisterForm(request.POST)
        if form.is_valid() and form.cleaned_data.get("employee"):
            data = form.cleaned_data
            try:
                application = blog.register_entry(
                    entry, user, employee=data["employee"], kind=data["kind"], subject=data["subject"]
                )
            except AppealError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Registered as %(number)s and sent to the dean's office of %(institute)s.")
                    % {"number": application.number, "institute": application.institute.name},
                )
                return redirect("appeals:blog_moderation")
        status = 400
    else:
        form = BlogRegisterForm(
            initial={
                "employee_code": request.GET.get("employee", ""),
                "subject": Truncator(" ".join(entry.text.split())).words(8),
            }
        )
    query = request.GET.get("q", "").strip()[:100]
    people = [(p, person_institute(p)) for p in search_people(query, staff_only=True)] if query else []
    context = {"entry": entry, "form": form, "query": query, "people": people}
    return render(request, "appeals/channels/blog_register.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("blog/", blog_page, name="blog"),
    path("blog/moderation/", moderation, name="blog_moderation"),
    path("blog/<int:pk>/publish/", publish, name="blog_publish"),
    path("blog/<int:pk>/reject/", reject, name="blog_reject"),
    path("blog/<int:pk>/register/", register, name="blog_register"),
]
