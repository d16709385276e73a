"""Dashboard panels: expanded commissions (AP-10 to AP-13) and the standing bodies (AP-09).

- "Expanded commissions": the cases at a commission the user sits on, or chairs as the dean.
- "Document requests": the head of a department sees the open requests to it, overdue ones first.
- "Recommendations to me": the person responsible sees their open binding recommendations.
- "Standing bodies": a link for those who manage a body's members.
Each panel costs a fixed number of queries and is left out when it has nothing to show.
"""

from django.db.models import Count, Q
from django.utils import timezone

from appeals.models import Application, CommissionSeat, Status
from appeals.permissions import dean_institute_ids
from appeals.services.commission.bodies import managed_bodies
from appeals.services.commission.documents import open_requests_for
from appeals.services.commission.recommendations import open_for
from portal.dashboards import Panel, register_panel
from portal.models import User

PANEL_ROWS = 10
RECOMMENDATION_BOARDS = ("teacher", "head", "dean", "desw")
COMMISSION_BOARDS = ("teacher", "head", "dean", "desw", "leadership")
BODY_BOARDS = ("dean", "leadership", "admin")


def commissions(user: User) -> Panel | None:
    """The cases at an expanded commission that the user sits on (or whose institute they are dean of)."""
    q = Q(commission__seats__user=user)
    ids = dean_institute_ids(user)
    if user.is_superuser or ids is None:
        q = Q()
    elif ids:
        q |= Q(institute_id__in=ids)
    rows = list(
        Application.objects.filter(q, status=Status.COMMISSION)
        .annotate(
            open_requests=Count(
                "document_requests", filter=Q(document_requests__answered_at__isnull=True), distinct=True
            ),
            decided=Count("decision", distinct=True),
        )
        .distinct()
        .order_by("due_on", "id")[:PANEL_ROWS]
    )
    if not rows:
        return None
    roles = dict(
        CommissionSeat.objects.filter(user=user, commission__application__in=rows).values_list(
            "commission__application_id", "role"
        )
    )
    today = timezone.localdate()
    items = [(a, CommissionSeat.Role(roles[a.pk]).label if a.pk in roles else "", a.deadline < today) for a in rows]
    return Panel("appeals/commission/panels/commissions.html", {"rows": items})


def document_requests(user: User) -> Panel | None:
    """AP-11: the open requests to the departments the user heads; overdue ones highlighted."""
    today = timezone.localdate()
    rows = list(open_requests_for(user)[: PANEL_ROWS + 1])
    if not rows:
        return None
    items = [(r, r.due_on < today) for r in rows[:PANEL_ROWS]]
    return Panel("appeals/commission/panels/requests.html", {"rows": items, "more": len(rows) > PANEL_ROWS})


def recommendations(user: User) -> Panel | None:
    """AP-13: the user's open binding recommendations, earliest due first; overdue ones highlighted."""
    today = timezone.localdate()
    rows = list(open_for(user)[: PANEL_ROWS + 1])
    if not rows:
        return None
    items = [(r, r.due_on < today) for r in rows[:PANEL_ROWS]]
    return Panel("appeals/commission/panels/recommendations.html", {"rows": items, "more": len(rows) > PANEL_ROWS})


def standing_bodies(user: User) -> Panel | None:
    """AP-09: a way to the standing bodies' members for the dean, the rector and the administrator."""
    bodies = managed_bodies(user)
    if not bodies:
        return None
    return Panel("appeals/commission/panels/bodies.html", {"bodies": bodies})


def register() -> None:
    """Register this area's panels with portal.dashboards (called from AppealsConfig.ready)."""
    for board in COMMISSION_BOARDS:
        register_panel(board, commissions)
    register_panel("head", document_requests)
    for board in RECOMMENDATION_BOARDS:
        register_panel(board, recommendations)
    for board in BODY_BOARDS:
        register_panel(board, standing_bodies)
