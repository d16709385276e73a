"""Dashboard panels academics adds to the portal's boards (registered in AcademicsConfig.ready)."""

from django.utils import timezone

from academics.models import GradeRecord, Offering, TuitionContract
from academics.services import tuition
from portal.dashboards import Panel
from portal.models import Role, User
from portal.permissions import groups_in_scope, user_roles


def teacher_offerings(user: User) -> Panel | None:
    offerings = list(
        Offering.objects.filter(teachers=user)
        .select_related("discipline", "term__academic_year")
        .order_by("-term__starts_on", "discipline__code")
    )
    return Panel("academics/panels/teacher_offerings.html", {"offerings": offerings})


def student_grades(user: User) -> Panel | None:
    grades = list(
        GradeRecord.objects.filter(enrolment__student__user=user)
        .select_related("enrolment__offering__discipline", "enrolment__offering__term__academic_year")
        .order_by("-enrolment__offering__term__starts_on", "enrolment__offering__discipline__code")
    )
    return Panel("academics/panels/student_grades.html", {"grades": grades})


def student_tuition(user: User) -> Panel | None:
    """AC-18: the student's tuition at a glance, when they have a contract (one query)."""
    today = timezone.localdate()
    items = tuition.ledgers(TuitionContract.objects.filter(student__user=user), today)
    if not items:
        return None
    return Panel("academics/panels/student_tuition.html", {"status": tuition.status_of(ledger for _c, ledger in items)})


def _debtor_counts(user: User, roles: tuple[str, ...]) -> dict[str, object]:
    scope = None if user.is_superuser else groups_in_scope(user, roles)
    rows = tuition.students_not_admitted(timezone.localdate(), scope)
    return {
        "not_admitted": len(rows),
        "expulsion": sum(1 for r in rows if r.status.due_for_expulsion),
        "can_manage": tuition.can_manage_tuition(user),
    }


def registrar_tuition(user: User) -> Panel | None:
    """AC-18: the registrar's links to the contracts and the debtor lists, with their sizes."""
    return Panel("academics/panels/tuition_lists.html", _debtor_counts(user, (Role.REGISTRAR,)))


def dean_tuition(user: User) -> Panel | None:
    """AC-18: a dean reads the debtor lists of their institute (a student dean does not); links only,
    so the dean's board costs no extra query."""
    if Role.DEAN not in user_roles(user):
        return None
    return Panel("academics/panels/tuition_lists.html", {"can_manage": False})
