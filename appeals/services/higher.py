"""AP-14: the applicant appeals a decision, or inaction, to the official one level higher.

SOP 003 (section 4, item 12): within three months of learning of the decision or the action; a missed
period is no ground to refuse to consider the appeal, and the reasons for the delay are examined with it.
The appeal is a new case in the journal with its own 15-working-day deadline (AP-04, AP-06), at the next
level of the ladder (AP-20), assigned to the official of that level.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals import rules
from appeals.errors import AppealError
from appeals.models import OPEN_STATUSES, Application, Assignment, Channel, Event, Kind, Level, Status
from appeals.services import workflow
from appeals.services.filing import Filing, applicant_type_of, case_url, record, register
from portal.models import User
from portal.notifications import notify

DECIDED_STATUSES = (Status.ANSWERED, Status.RETURNED, Status.TERMINATED)


@dataclass(frozen=True)
class Basis:
    """What is appealed, when the applicant learned of it, and whether the 3 months have passed."""

    inaction: bool
    learned_on: date
    deadline: date
    late: bool
    level: int


def learned_on(case: Application) -> date | None:
    """When the applicant learned of the decision: the answer's delivery, else the answer date."""
    delivered = case.deliveries.aggregate(first=Min("delivered_on"))["first"]
    return delivered or case.answered_on


def basis(case: Application, today: date) -> Basis:
    """AP-14: the decision of an answered, returned or terminated case, or the inaction of an open case past
    its deadline; a translated error if there is nothing to appeal yet."""
    if case.level >= Level.RECTOR:
        raise AppealError(_("The rector's decision has no higher official in the university to appeal to."))
    if case.status in DECIDED_STATUSES:
        learned = learned_on(case)
        inaction = False
    elif case.status in OPEN_STATUSES and today > case.deadline:
        learned = case.deadline
        inaction = True
    else:
        learned = None
        inaction = False
    if learned is None:
        raise AppealError(
            _("There is nothing to appeal yet: the application is within its deadline, %(date)s.")
            % {"date": case.deadline.strftime("%d.%m.%Y")}
        )
    return Basis(
        inaction=inaction,
        learned_on=learned,
        deadline=rules.higher_appeal_deadline(learned),
        late=rules.higher_appeal_is_late(learned, today),
        level=case.level + 1,
    )


def pending_appeal(case: Application) -> Application | None:
    return case.appeals.filter(status__in=OPEN_STATUSES).order_by("-pk").first()


def officials(level: int, case: Application) -> list[User]:
    """The official of the level: the dean of the institute, the vice-rector, the rector (AP-20 ladder)."""
    return list(workflow.level_officials(level, case.institute_id).order_by("last_name", "first_name", "pk"))


@transaction.atomic
def appeal_to_higher(
    applicant: User, case: Application, text: str, delay_reason: str = "", now: datetime | None = None
) -> Application:
    """AP-14: register the appeal at the next level and assign it to that level's official; a late appeal is
    accepted with the reason for the delay, which the official examines."""
    case = workflow.locked(case)
    if case.applicant_id != applicant.pk:
        raise PermissionDenied
    now = timezone.localtime(now or timezone.now())
    found = basis(case, now.date())
    if pending_appeal(case) is not None:
        raise AppealError(_("Your appeal on this application is already being considered."))
    if found.late and not delay_reason.strip():
        raise AppealError(
            _("More than three months have passed since %(date)s: give the reason for the delay.")
            % {"date": found.learned_on.strftime("%d.%m.%Y")}
        )
    level = Level(found.level)
    if found.inaction:
        subject = _("Appeal against inaction on application %(number)s") % {"number": case.number}
    else:
        subject = _("Appeal against the decision on application %(number)s") % {"number": case.number}
    appeal = register(
        filing=Filing(kind=Kind.HIGHER_APPEAL, subject=subject, text=text),
        institute=case.institute,
        channel=Channel.PORTAL,
        applicant=applicant,
        applicant_type=applicant_type_of(applicant),
        filed_by=applicant,
        received_at=now,
        kinds=(Kind.HIGHER_APPEAL,),
    )
    appeal.appealed = case
    appeal.level = level
    appeal.department = case.department
    appeal.delay_reason = delay_reason.strip() if found.late else ""
    appeal.status = workflow.check_transition(appeal, "route")
    appeal._history_user = applicant  # type: ignore[attr-defined]
    appeal.save(update_fields=["appealed", "level", "department", "delay_reason", "status"])
    record(appeal, Event.Type.ROUTED, applicant, code=f"level:{level.value}")
    record(case, Event.Type.APPEALED, applicant, appeal.number, code=f"level:{level.value}")
    _assign(appeal, officials(level, case), applicant, found)
    return appeal


def _assign(appeal: Application, people: list[User], applicant: User, found: Basis) -> None:
    """The official is assigned and told; a late appeal's reason for the delay is in the message."""
    for official in people:
        Assignment.objects.create(application=appeal, user=official, assigned_by=applicant)
        record(appeal, Event.Type.ASSIGNED, applicant, str(official), public=False)
    body = _("The answer is due by %(date)s.") % {"date": appeal.due_on.strftime("%d.%m.%Y")}
    if found.late:
        body += " " + _("Filed late; reason for the delay: %(reason)s") % {"reason": appeal.delay_reason}
    notify(
        people,
        _("Appeal to you as the higher official: %(number)s") % {"number": appeal.number},
        body,
        case_url(appeal),
    )
