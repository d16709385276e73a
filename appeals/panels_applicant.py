"""Dashboard panels of the applicant's area: "My applications" on the student's, group head's and teacher's
boards, with the open cases and their deadlines and a button to file a new one."""

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from appeals.models import OPEN_STATUSES, Application
from portal.dashboards import Panel, register_panel
from portal.models import User

PANEL_ROWS = 5


def my_applications(user: User) -> Panel:
    """The user's open applications (filed or co-signed), nearest deadline first: one query."""
    mine = Application.objects.filter(Q(applicant=user) | Q(co_applicants=user)).values("pk")
    rows = list(
        Application.objects.filter(pk__in=mine, status__in=OPEN_STATUSES)
        .only("number", "subject", "status", "due_on", "extended_to")
        .order_by(Coalesce("extended_to", "due_on"), "pk")[:PANEL_ROWS]
    )
    return Panel("appeals/applicant/panel.html", {"rows": rows, "today": timezone.localdate()})


def register() -> None:
    """Register this area's panels with portal.dashboards (called from AppealsConfig.ready)."""
    for board in ("student", "group_head", "teacher"):
        register_panel(board, my_applications)
