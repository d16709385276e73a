"""Dashboard panels: triage (AP-09). The dean's board shows the open, overdue and due-soon counts."""

from django.utils import timezone

from appeals import selectors
from appeals.permissions import deans_institutes
from portal.dashboards import Panel, register_panel
from portal.models import User


def dean_triage(user: User) -> Panel | None:
    """The dean's office: how many cases are open, overdue and due within 3 working days (AP-09)."""
    institutes = list(deans_institutes(user))
    if not institutes:
        return None
    counts = selectors.triage_counts(institutes, timezone.localdate())
    return Panel("appeals/triage/panel.html", {"counts": counts})


def register() -> None:
    """Register this area's panels with portal.dashboards (called from AppealsConfig.ready)."""
    register_panel("dean", dean_triage)
