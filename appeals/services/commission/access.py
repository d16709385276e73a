"""AP-10 to AP-13, AP-21: who sees an expanded commission's work and who acts in it.

The commission's page is for its members, the dean of the institute and the case's handlers; the
applicant follows the case on the case page. A department head answering a document request sees
the request only, and a person bound by a recommendation sees that recommendation only.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from appeals.errors import AppealError
from appeals.models import Application, CommissionSeat, Decision, Status
from appeals.permissions import is_dean_of, is_handler
from portal.models import Department, Role, RoleAssignment, User

Seat = CommissionSeat.Role


def locked(application: Application) -> Application:
    """The case re-read under a row lock (its own row only: Postgres cannot lock the nullable side of the
    outer join to the applicant)."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("institute", "applicant")
        .get(pk=application.pk)
    )


def has_seat(user: User, application: Application) -> bool:
    return CommissionSeat.objects.filter(commission__application=application, user=user).exists()


def is_chair(user: User, application: Application) -> bool:
    """AP-10: the dean who formed the commission chairs it (the CHAIR seat)."""
    return CommissionSeat.objects.filter(commission__application=application, user=user, role=Seat.CHAIR).exists()


def require_chair(user: User, application: Application) -> None:
    if not is_chair(user, application):
        raise PermissionDenied


def can_see_commission(user: User, application: Application) -> bool:
    """AP-21: the commission's members, the dean of the case's institute and its handlers."""
    return is_dean_of(user, application.institute_id) or has_seat(user, application) or is_handler(user, application)


def require_commission_view(user: User, application: Application) -> None:
    if not can_see_commission(user, application):
        raise PermissionDenied


def chairs_of(application: Application) -> list[User]:
    return [s.user for s in CommissionSeat.objects.filter(commission__application=application, role=Seat.CHAIR)]


def heads_department(user: User, department: Department | int) -> bool:
    """AP-11: the head of the department (the role scoped to that department) answers its requests."""
    department_id = department if isinstance(department, int) else department.pk
    return (
        RoleAssignment.objects.active()
        .filter(user=user, role=Role.HEAD_OF_DEPARTMENT, department_id=department_id)
        .exists()
    )


def headed_department_ids(user: User) -> QuerySet[RoleAssignment, Any]:
    """The departments the user heads, as a subquery of department ids."""
    return (
        RoleAssignment.objects.active()
        .filter(user=user, role=Role.HEAD_OF_DEPARTMENT, department__isnull=False)
        .values("department_id")
    )


def heads_of(department: Department) -> list[User]:
    ids = RoleAssignment.objects.active().filter(role=Role.HEAD_OF_DEPARTMENT, department=department).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True))


def require_sitting(application: Application) -> None:
    """The commission still works on the case: referred to it and not yet decided."""
    if application.status != Status.COMMISSION:
        raise AppealError(
            _("This step is not possible now: the application is “%(status)s”.")
            % {"status": application.get_status_display()}
        )
    if Decision.objects.filter(application=application).exists():
        raise AppealError(_("The commission has already decided: its composition and requests are closed."))
