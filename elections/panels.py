"""Dashboard panels of elections (registered in ElectionsConfig.ready)."""

from django.utils import timezone

from elections.models import Election
from elections.permissions import is_organiser
from portal.dashboards import Panel
from portal.models import User


def commission_elections(user: User) -> Panel | None:
    """EL-02: the elections whose commission the user sits on, with the phase the clock has reached."""
    elections = list(
        Election.objects.filter(commission__user=user).select_related("academic_year").order_by("-election_day")[:5]
    )
    now = timezone.now()
    rows = [(e, Election.Phase[e.phase_at(now).name].label) for e in elections]
    return Panel("elections/panels/commission.html", {"rows": rows, "organiser": is_organiser(user)})
