"""Role and scope checks shared by every app (PT-01). Object rules use django-rules."""

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from portal.models import Role, RoleAssignment, StudyGroup, User


def request_user(request: HttpRequest) -> User:
    """The signed-in user of a view behind `login_required`, typed as the portal's User."""
    assert isinstance(request.user, User)
    return request.user


def is_registrar(user: User) -> bool:
    """The registrar office (at any scope) or a superuser."""
    return user.is_superuser or Role.REGISTRAR in user_roles(user)


def registrar_user(request: HttpRequest) -> User:
    """The signed-in registrar (or superuser) of a registrar's page; anyone else gets 403."""
    user = request_user(request)
    if not is_registrar(user):
        raise PermissionDenied
    return user


def user_roles(user: User) -> set[str]:
    """The roles the user holds today (cached on the user object for the request)."""
    cached: set[str] | None = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = set(RoleAssignment.objects.active().filter(user=user).values_list("role", flat=True))
        if user.is_superuser:
            cached.add(Role.ADMINISTRATOR)
        user._portal_roles = cached  # type: ignore[attr-defined]
    return cached


def _group_scope_q(group: StudyGroup) -> Q:
    dept = group.programme.department
    return (
        Q(group=group)
        | Q(department=dept)
        | Q(institute=dept.institute)
        | Q(university__isnull=False)
        | Q(university__isnull=True, institute__isnull=True, department__isnull=True, group__isnull=True)
    )


def holds_role_over_group(user: User, roles: tuple[str, ...], group: StudyGroup) -> bool:
    """True if the user holds one of `roles` scoped to the group or anything containing it."""
    return RoleAssignment.objects.active().filter(user=user, role__in=roles).filter(_group_scope_q(group)).exists()


GROUP_VIEWERS: tuple[str, ...] = (
    Role.ADMINISTRATOR,
    Role.REGISTRAR,
    Role.RECTOR,
    Role.VICE_RECTOR_SOCIAL,
    Role.DEAN,
    Role.STUDENT_DEAN,
    Role.HEAD_OF_DEPARTMENT,
    Role.ADVISOR,
    Role.GROUP_HEAD,
    Role.DESW_DIRECTOR,
)


@rules.predicate
def can_view_group(user: User, group: StudyGroup) -> bool:
    return bool(user.is_authenticated) and (user.is_superuser or holds_role_over_group(user, GROUP_VIEWERS, group))


@rules.predicate
def is_staff_member(user: User) -> bool:
    """Staff (not only students) see audit history panels."""
    return bool(user.is_authenticated) and (
        user.is_superuser or bool(user_roles(user) - {Role.STUDENT, Role.GROUP_HEAD})
    )


rules.add_perm("portal.view_studygroup_page", can_view_group)
rules.add_perm("portal.view_history", is_staff_member)


def groups_in_scope(user: User, roles: tuple[str, ...]) -> QuerySet[StudyGroup]:
    """Study groups covered by the user's assignments of `roles` (a queryset, to refine further)."""
    assignments = list(RoleAssignment.objects.active().filter(user=user, role__in=roles))
    if any(a.university_id or not (a.institute_id or a.department_id or a.group_id) for a in assignments):
        return StudyGroup.objects.all()
    q = Q(pk__in=[a.group_id for a in assignments if a.group_id])
    q |= Q(programme__department_id__in=[a.department_id for a in assignments if a.department_id])
    q |= Q(programme__department__institute_id__in=[a.institute_id for a in assignments if a.institute_id])
    return StudyGroup.objects.filter(q)
