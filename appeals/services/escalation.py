"""AP-20: complaints passed on by advisors, and cases passed up the ladder.

Procedure 715 (002): an advisor may pass the students' proposals and complaints to the head of department
(9.2); complaints are registered and analysed at the levels advisor - department - institute -
vice-rector - rector, and concluded at the level they belong to (8.2).
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from appeals.errors import AppealError
from appeals.models import ApplicantType, Application, Body, Channel, Event, Kind, Level
from appeals.permissions import is_dean_of, is_handler
from appeals.services import workflow
from appeals.services.filing import Filing, record, register
from appeals.services.grades import department_heads
from portal.models import Role, StudentProfile, User
from portal.permissions import groups_in_scope, holds_role_over_group

ADVISOR_KINDS = (Kind.COMPLAINT, Kind.PROPOSAL)


def advisees(advisor: User) -> QuerySet[StudentProfile]:
    """The students of the groups the person advises."""
    return StudentProfile.objects.filter(group__in=groups_in_scope(advisor, (Role.ADVISOR,))).select_related(
        "user", "group"
    )


def is_advisor(user: User) -> bool:
    return groups_in_scope(user, (Role.ADVISOR,)).exists()


@transaction.atomic
def pass_to_department(
    advisor: User, student: StudentProfile, filing: Filing, now: datetime | None = None
) -> Application:
    """AP-20 (002 9.2): the advisor passes a student's complaint or proposal to the head of the student's
    department: registered for the student (channel "advisor"), at the department level, the head assigned."""
    if not holds_role_over_group(advisor, (Role.ADVISOR,), student.group):
        raise PermissionDenied
    if filing.kind not in ADVISOR_KINDS:
        raise AppealError(_("An advisor passes on a complaint or a proposal."))
    department = student.group.programme.department
    heads = department_heads(department)
    if not heads:
        raise AppealError(
            _("The department %(department)s has no head of department in the portal: tell the dean's office.")
            % {"department": department.name}
        )
    application = register(
        filing=filing,
        institute=department.institute,
        channel=Channel.ADVISOR,
        applicant=student.user,
        applicant_type=ApplicantType.STUDENT,
        filed_by=advisor,
        received_at=now,
        kinds=ADVISOR_KINDS,
    )
    application.level = Level.DEPARTMENT
    application.department = department
    application.body = Body.DEPARTMENT
    application.status = workflow.check_transition(application, "route")
    application._history_user = advisor  # type: ignore[attr-defined]
    application.save(update_fields=["level", "department", "body", "status"])
    record(application, Event.Type.ROUTED, advisor, department.name, code=f"body:{Body.DEPARTMENT.value}")
    for head in heads:
        workflow._assign(advisor, application, head)
    return application


def escalation_targets(application: Application) -> list[tuple[Level, list[User]]]:
    """AP-20: the levels above the case's, each with the people who hold its role over the case's institute."""
    return [
        (
            level,
            list(workflow.level_officials(level, application.institute_id).order_by("last_name", "first_name", "pk")),
        )
        for level in Level
        if level > application.level
    ]


def can_escalate(user: User, application: Application) -> bool:
    """A handler of the case or its dean (the same check as workflow.escalate)."""
    return is_dean_of(user, application.institute_id) or is_handler(user, application)
