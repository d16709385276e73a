"""Landing, role dashboards and the role switcher."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portal.dashboards import BY_KEY, dashboards_for, landing_dashboard, panels_for
from portal.models import Notification, Role, RoleAssignment, StudentProfile, StudyGroup, User
from portal.permissions import groups_in_scope, request_user, user_roles

SESSION_KEY = "portal_dashboard"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    dashboard = landing_dashboard(user_roles(request_user(request)), request.session.get(SESSION_KEY))
    if dashboard is None:
        return render(request, "portal/no_role.html")
    return redirect("dashboard", key=dashboard.key)


@login_required
def dashboard(request: HttpRequest, key: str) -> HttpResponse:
    user = request_user(request)
    board = BY_KEY.get(key)
    if board is None or board not in dashboards_for(user_roles(user)):
        raise PermissionDenied
    if request.session.get(SESSION_KEY) != key:
        request.session[SESSION_KEY] = key  # written only when it changes: a page view saves no session
    assignments = (
        RoleAssignment.objects.active()
        .filter(user=user, role__in=board.roles)
        .select_related("university", "institute", "department", "group")
    )
    context = {
        "board": board,
        "assignments": assignments,
        "recent_notifications": Notification.objects.filter(recipient=user)[:5],
        "panels": panels_for(key, user),
        **_board_context(user, key),
    }
    # A board with its own page (student, admin) uses it; the others share the generic one.
    templates = [f"portal/dashboards/{key}.html", "portal/dashboards/generic.html"]
    return render(request, templates, context)


def _board_context(user: User, key: str) -> dict[str, object]:
    if key == "student":
        return {"profile": user.student_profile}
    scoped_roles = {
        "group_head": (Role.GROUP_HEAD,),
        "advisor": (Role.ADVISOR,),
        "head": (Role.HEAD_OF_DEPARTMENT,),
        "dean": (Role.DEAN, Role.STUDENT_DEAN),
        "registrar": (Role.REGISTRAR,),
        "desw": (Role.DESW_DIRECTOR, Role.YOUTH_POLICY_HEAD, Role.YOUTH_POLICY_SPECIALIST),
        "leadership": (Role.RECTOR, Role.VICE_RECTOR_SOCIAL),
    }
    if key in scoped_roles:
        return {"groups": _groups_with_counts(user, scoped_roles[key])}
    if key == "admin":
        return {
            "people_count": User.objects.count(),
            "student_count": StudentProfile.objects.filter(status=StudentProfile.Status.ENROLLED).count(),
            "group_count": StudyGroup.objects.count(),
        }
    return {}


def _groups_with_counts(user: User, roles: tuple[str, ...]) -> list[StudyGroup]:
    return list(
        groups_in_scope(user, roles)
        .select_related("programme")
        .annotate(student_count=Count("students"))
        .order_by("name")
    )


@require_POST
@login_required
def switch_dashboard(request: HttpRequest) -> HttpResponse:
    key = request.POST.get("dashboard", "")
    board = BY_KEY.get(key)
    if board is None or board not in dashboards_for(user_roles(request_user(request))):
        raise PermissionDenied
    request.session[SESSION_KEY] = key
    return redirect("dashboard", key=key)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    assignments = (
        RoleAssignment.objects.active()
        .filter(user=user)
        .select_related("university", "institute", "department", "group")
    )
    student = user.student_profile
    return render(request, "portal/profile.html", {"assignments": assignments, "student": student})
