"""PT-09: the in-portal notification list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import notifications
from portal.models import Notification
from portal.permissions import request_user


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    qs = Notification.objects.filter(recipient=user)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "portal/notifications.html", {"page": page})


@require_POST
@login_required
def mark_read(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    raw = request.POST.get("notification")
    if raw is not None and not raw.isdigit():
        messages.error(request, _("Unknown notification."))
        return redirect("notifications")
    changed = notifications.mark_read(user, int(raw) if raw else None)
    if raw is None:
        messages.success(request, _("All notifications are marked as read."))
    elif changed == 0:
        messages.info(request, _("That notification was already read."))
    return redirect("notifications")
