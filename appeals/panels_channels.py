"""Dashboard panels of the channels (AP-03): paper and e-mail for the dean's office, the rector's blog
for its moderators and its writers."""

from appeals.models import BlogEntry
from appeals.permissions import deans_institutes
from appeals.services.blog import is_moderator
from appeals.services.mail_import import waiting_unmatched
from portal.dashboards import Panel, register_panel
from portal.models import User


def dean_channels(user: User) -> Panel | None:
    """AP-03, AP-04: register paper applications and e-mails; how many e-mails wait for an applicant.
    Two queries."""
    if not user.is_superuser and not deans_institutes(user).exists():
        return None
    return Panel("appeals/channels/panels/dean.html", {"unmatched": waiting_unmatched(user).count()})


def blog_moderation(user: User) -> Panel | None:
    """AP-03: the rector's blog messages awaiting moderation. Two queries."""
    if not is_moderator(user):
        return None
    pending = BlogEntry.objects.filter(state=BlogEntry.State.PENDING).count()
    return Panel("appeals/channels/panels/moderation.html", {"pending": pending})


def blog_link(user: User) -> Panel | None:
    """The way to the rector's blog for students and staff (no query)."""
    return Panel("appeals/channels/panels/blog.html", {})


def register() -> None:
    """Register this area's panels with portal.dashboards (called from AppealsConfig.ready)."""
    register_panel("dean", dean_channels)
    for board in ("leadership", "admin"):
        register_panel(board, blog_moderation)
    for board in ("student", "group_head", "sg", "teacher", "advisor"):
        register_panel(board, blog_link)
