"""Dashboard panels: the headline figures of the appeals statistics (AP-16) on the leadership and dean
boards, with a link to the statistics page."""

from django.utils import timezone

from appeals.services import statistics
from portal.dashboards import Panel, register_panel
from portal.models import User


def statistics_headline(user: User) -> Panel | None:
    """AP-16: this academic year's applications of the institutes the user sees: registered, answered on
    time, open and overdue (one query)."""
    figures = statistics.headline(user, timezone.localdate())
    if figures is None:
        return None
    return Panel("appeals/reports/panel.html", {"figures": figures, "t": figures.timeliness})


def register() -> None:
    """Register this area's panels with portal.dashboards (called from AppealsConfig.ready)."""
    register_panel("leadership", statistics_headline)
    register_panel("dean", statistics_headline)
