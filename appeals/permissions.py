"""AP-21: who sees a case, and who acts on it (the dean triages; handlers and the body consider it)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet

from appeals.models import Application, Assignment, BodyMember, CommissionSeat
from portal.models import Institute, Role, RoleAssignment, User


def _scoped(user: User, roles: tuple[str, ...]) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.active().filter(user=user, role__in=roles)


def dean_institute_ids(user: User) -> set[int] | None:
    """Institutes whose dean's office the user runs; None means every institute (a university-wide
    dean's role); an empty set means none."""
    ids: set[int] = set()
    for a in _scoped(user, (Role.DEAN,)):
        if a.institute_id:
            ids.add(a.institute_id)
        elif not (a.department_id or a.group_id):
            return None
    return ids


def is_dean_of(user: User, institute: Institute | int) -> bool:
    """The dean (dean's office) of the institute, or a superuser."""
    if user.is_superuser:
        return True
    ids = dean_institute_ids(user)
    institute_id = institute if isinstance(institute, int) else institute.pk
    return ids is None or institute_id in ids


def require_dean(user: User, institute: Institute | int) -> None:
    if not is_dean_of(user, institute):
        raise PermissionDenied


def deans_institutes(user: User) -> QuerySet[Institute]:
    """The institutes whose cases the user triages (empty for a non-dean)."""
    if user.is_superuser:
        return Institute.objects.all()
    ids = dean_institute_ids(user)
    return Institute.objects.all() if ids is None else Institute.objects.filter(pk__in=ids)


def visible_q(user: User) -> Q:
    """AP-21 as a filter: the applicant (and co-applicants), the assigned handlers, the members of the
    body considering it (and of its expanded commission), and the dean of its institute."""
    ids = dean_institute_ids(user)
    if user.is_superuser or ids is None:
        return Q()
    q = Q(applicant=user) | Q(co_applicants=user)
    q |= Q(Exists(Assignment.objects.filter(application=OuterRef("pk"), user=user)))
    q |= Q(Exists(CommissionSeat.objects.filter(commission__application=OuterRef("pk"), user=user)))
    q |= Q(
        Exists(
            BodyMember.objects.filter(user=user, body=OuterRef("body")).filter(
                Q(institute__isnull=True) | Q(institute=OuterRef("institute"))
            )
        )
    )
    return q | Q(institute_id__in=ids)


def visible_applications(user: User) -> QuerySet[Application]:
    return Application.objects.filter(visible_q(user)).distinct()


def can_view(user: User, application: Application) -> bool:
    return Application.objects.filter(visible_q(user), pk=application.pk).exists()


def require_view(user: User, application: Application) -> None:
    if not can_view(user, application):
        raise PermissionDenied


def is_handler(user: User, application: Application) -> bool:
    return Assignment.objects.filter(application=application, user=user).exists()


def require_handler_or_dean(user: User, application: Application) -> None:
    """Consider and answer a case: its assigned handlers and its dean."""
    if not (is_handler(user, application) or is_dean_of(user, application.institute_id)):
        raise PermissionDenied
