"""AP-09: the standing bodies' members, managed by the dean (the institute's bodies) and by the rector or
an administrator (the ethics council)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appeals.errors import AppealError
from appeals.models import BodyMember
from appeals.services import commission as service
from appeals.services.commission.bodies import members_of
from appeals.views.commission.forms import BodyMemberForm
from portal.forms import errors_text
from portal.permissions import request_user


@login_required
def body_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    bodies = service.managed_bodies(user)
    if not bodies:
        raise PermissionDenied
    members = members_of(bodies)
    rows = [(body, members[body.key], BodyMemberForm(initial={"body": body.key})) for body in bodies]
    return render(request, "appeals/commission/bodies.html", {"rows": rows})


@require_POST
@login_required
def body_member_add(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = BodyMemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("appeals:bodies")
    body, member = form.cleaned_data["body"], form.cleaned_data["member"]
    try:
        service.add_body_member(user, body.body, body.institute, member)
    except AppealError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s is added to the %(body)s.") % {"name": member, "body": body.label})
    return redirect("appeals:bodies")


@require_POST
@login_required
def body_member_remove(request: HttpRequest, member_id: int) -> HttpResponse:
    user = request_user(request)
    row = get_object_or_404(BodyMember.objects.select_related("user"), pk=member_id)
    service.remove_body_member(user, row)
    messages.success(
        request,
        _("%(name)s is no longer a member of the %(body)s.") % {"name": row.user, "body": row.get_body_display()},
    )
    return redirect("appeals:bodies")
