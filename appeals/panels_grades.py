"""Dashboard panels of grade appeals (AP-18), appeals to a higher official (AP-14) and advisors (AP-20)."""

from django.db.models import Count, Exists, Q, QuerySet, Window

from appeals.models import OPEN_STATUSES, Application, GradeAppeal, Kind
from portal.dashboards import Panel, register_panel
from portal.models import Role, RoleAssignment, User
from portal.permissions import user_roles

ROWS = 5
RELATED = ("application__applicant", "enrolment__offering__discipline", "enrolment__offering__term__academic_year")
Stage = GradeAppeal.Stage


def _queue(rows: QuerySet[GradeAppeal], template: str) -> Panel | None:
    """The first rows by deadline with the count of all of them, in one query."""
    first = list(
        rows.select_related(*RELATED).annotate(total=Window(Count("pk"))).order_by("application__due_on", "pk")[:ROWS]
    )
    if not first:
        return None
    return Panel(template, {"rows": first, "total": first[0].total})


def student_grade_appeals(user: User) -> Panel | None:
    """AP-18: the student's latest grade appeals with their outcome, and the way to file one."""
    if Role.STUDENT not in user_roles(user):
        return None
    # Only what the rows show: the discipline, the stage, the deadline and the new grade (fewer joins to plan).
    rows = (
        GradeAppeal.objects.filter(application__applicant=user)
        .select_related("application", "enrolment__offering__discipline", "amendment")
        .order_by("-application__registered_on", "-pk")[:ROWS]
    )
    return Panel("appeals/grades/panels/student.html", {"rows": list(rows)})


def dean_grade_appeals(user: User) -> Panel | None:
    """AP-18: appeals waiting for the dean to forward them, earliest deadline first (the dean's institutes, or
    all for a university-wide dean's role), in one query."""
    if Role.DEAN not in user_roles(user):
        return None
    rows = GradeAppeal.objects.filter(stage=Stage.DEAN)
    if not user.is_superuser:
        deans = RoleAssignment.objects.active().filter(user=user, role=Role.DEAN)
        unscoped = deans.filter(institute__isnull=True, department__isnull=True, group__isnull=True)
        rows = rows.filter(
            Q(application__institute_id__in=deans.filter(institute__isnull=False).values("institute_id"))
            | Q(Exists(unscoped))
        )
    return _queue(rows, "appeals/grades/panels/dean.html")


def head_grade_appeals(user: User) -> Panel | None:
    """AP-18: appeals forwarded to this head of department, waiting for the decision."""
    if Role.HEAD_OF_DEPARTMENT not in user_roles(user):
        return None
    rows = GradeAppeal.objects.filter(stage=Stage.DEPARTMENT, application__assignments__user=user)
    return _queue(rows, "appeals/grades/panels/head.html")


def higher_appeals_to_me(user: User) -> Panel | None:
    """AP-14: open appeals assigned to this official, late ones with the reason for the delay."""
    rows = Application.objects.filter(
        kind=Kind.HIGHER_APPEAL, status__in=OPEN_STATUSES, assignments__user=user
    ).select_related("appealed", "applicant")
    first = list(rows.order_by("due_on", "pk")[:ROWS])
    if not first:
        return None
    return Panel("appeals/grades/panels/higher.html", {"rows": first})


def advisor_pass(user: User) -> Panel | None:
    """AP-20: the advisor's way to pass a student's complaint or proposal on."""
    if Role.ADVISOR not in user_roles(user):
        return None
    return Panel("appeals/grades/panels/advisor.html", {})


def register() -> None:
    """Register this area's panels with portal.dashboards (called from AppealsConfig.ready)."""
    for board in ("student", "group_head"):
        register_panel(board, student_grade_appeals)
    register_panel("dean", dean_grade_appeals)
    register_panel("head", head_grade_appeals)
    for board in ("dean", "head", "leadership"):
        register_panel(board, higher_appeals_to_me)
    register_panel("advisor", advisor_pass)
