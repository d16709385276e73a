"""Navigation data for every page: the user's dashboards and the unread badge."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from portal.dashboards import dashboards_for
from portal.models import Notification, User
from portal.permissions import user_roles


def portal(request: HttpRequest) -> dict[str, object]:
    """Lazy: the queries run only when a page shows the navigation (a lean page such as the ballot
    receipt, `templates/base_lean.html`, never reads them)."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    return {
        "nav_dashboards": SimpleLazyObject(lambda: dashboards_for(user_roles(user))),
        "active_dashboard": request.session.get("portal_dashboard"),
        "unread_count": SimpleLazyObject(
            lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        ),
    }
