"""A study group's page: its students, with the audit history panel for staff."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from portal.models import StudyGroup
from portal.text import kazakh_order


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(StudyGroup.objects.select_related("programme__department__institute"), pk=pk)
    if not request.user.has_perm("portal.view_studygroup_page", group):
        raise PermissionDenied
    students = group.students.select_related("user").order_by(
        *kazakh_order("user__last_name", "user__first_name", "user__patronymic"), "pk"
    )
    page = Paginator(students, 50).get_page(request.GET.get("page"))
    return render(request, "portal/group_detail.html", {"group": group, "page": page})
