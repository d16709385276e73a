"""Which dashboard each role lands on (PT-01); a person with several roles can switch."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.models import Role

if TYPE_CHECKING:
    from portal.models import User


@dataclass(frozen=True)
class Dashboard:
    key: str
    title: Promise
    roles: tuple[Role, ...]


# In landing priority: a person lands on the first dashboard they are entitled to.
DASHBOARDS: tuple[Dashboard, ...] = (
    Dashboard("admin", _("Administration"), (Role.ADMINISTRATOR,)),
    Dashboard("leadership", _("University leadership"), (Role.RECTOR, Role.VICE_RECTOR_SOCIAL)),
    Dashboard("dean", _("Dean's office"), (Role.DEAN, Role.STUDENT_DEAN)),
    Dashboard("head", _("Head of department"), (Role.HEAD_OF_DEPARTMENT,)),
    Dashboard("registrar", _("Registrar office"), (Role.REGISTRAR,)),
    Dashboard(
        "desw",
        _("Educational and social work"),
        (Role.DESW_DIRECTOR, Role.YOUTH_POLICY_HEAD, Role.YOUTH_POLICY_SPECIALIST),
    ),
    Dashboard(
        "commission",
        _("Election commission"),
        (Role.COMMISSION_CHAIR, Role.COMMISSION_SECRETARY, Role.COMMISSION_MEMBER),
    ),
    Dashboard("advisor", _("Advisor"), (Role.ADVISOR,)),
    Dashboard("teacher", _("Teacher"), (Role.TEACHER, Role.STAFF_APPLICANT)),
    Dashboard("sg", _("Student Government"), (Role.SG_PRESIDENT, Role.SG_OFFICER, Role.CLUB_LEADER)),
    Dashboard("group_head", _("Group head"), (Role.GROUP_HEAD,)),
    Dashboard("student", _("Student"), (Role.STUDENT,)),
)
BY_KEY = {d.key: d for d in DASHBOARDS}


def dashboards_for(roles: set[str]) -> list[Dashboard]:
    """The dashboards a holder of `roles` may open, in landing order."""
    return [d for d in DASHBOARDS if roles.intersection(d.roles)]


def landing_dashboard(roles: set[str], preferred: str | None = None) -> Dashboard | None:
    """The preferred dashboard if the roles allow it, else the first allowed one."""
    allowed = dashboards_for(roles)
    for d in allowed:
        if d.key == preferred:
            return d
    return allowed[0] if allowed else None


@dataclass(frozen=True)
class Panel:
    """A block an app adds to a dashboard: a template and its context."""

    template: str
    context: dict[str, object]


PanelProvider = Callable[["User"], Panel | None]
_PANELS: dict[str, list[PanelProvider]] = {}


def register_panel(board_key: str, provider: PanelProvider) -> None:
    """Apps above portal add their panels here (from AppConfig.ready), keeping the dependency direction."""
    if provider not in _PANELS.setdefault(board_key, []):
        _PANELS[board_key].append(provider)


def panels_for(board_key: str, user: "User") -> list[Panel]:
    return [panel for provider in _PANELS.get(board_key, []) if (panel := provider(user)) is not None]
