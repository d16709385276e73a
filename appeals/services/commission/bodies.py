"""AP-09: the standing bodies that consider cases, and their members.

An institute's dean's council, programme committee and quality commission are managed by its dean;
the ethics council is the university's (its members have no institute) and is managed by the rector
or an administrator. Membership decides who sees the cases sent to the body (AP-21) and who may sit
for the body on an expanded commission (AP-10).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from appeals.errors import AppealError
from appeals.models import Body, BodyMember
from appeals.permissions import deans_institutes, is_dean_of
from portal.models import Institute, Role, User
from portal.permissions import user_roles

INSTITUTE_BODIES = (Body.DEANS_COUNCIL, Body.PROGRAMME_COMMITTEE, Body.QUALITY_COMMISSION)
UNIVERSITY_BODIES = (Body.ETHICS_COUNCIL,)
ETHICS_MANAGERS = (Role.RECTOR, Role.ADMINISTRATOR)


@dataclass(frozen=True)
class StandingBody:
    """One body of one institute (or of the university, for the ethics council)."""

    body: str
    institute: Institute | None

    @property
    def label(self) -> str:
        return str(Body(self.body).label)

    @property
    def key(self) -> str:
        return f"{self.body}:{self.institute.pk if self.institute else ''}"


def manages_ethics_council(user: User) -> bool:
    return user.is_superuser or bool(user_roles(user).intersection(ETHICS_MANAGERS))


def can_manage(user: User, body: str, institute: Institute | int | None) -> bool:
    """The dean manages the institute's bodies; the rector or an administrator the ethics council."""
    if body in UNIVERSITY_BODIES:
        return institute is None and manages_ethics_council(user)
    if body in INSTITUTE_BODIES:
        return institute is not None and is_dean_of(user, institute)
    return False


def managed_bodies(user: User) -> list[StandingBody]:
    """The bodies whose members the user manages, institute by institute."""
    bodies = [StandingBody(body, institute) for institute in deans_institutes(user) for body in INSTITUTE_BODIES]
    if manages_ethics_council(user):
        bodies += [StandingBody(body, None) for body in UNIVERSITY_BODIES]
    return bodies


def members_of(bodies: list[StandingBody]) -> dict[str, list[BodyMember]]:
    """The members of each body, by StandingBody.key, in one query."""
    result: dict[str, list[BodyMember]] = {b.key: [] for b in bodies}
    if not bodies:
        return result
    q = Q()
    for b in bodies:
        q |= Q(body=b.body, institute=b.institute)
    rows = BodyMember.objects.filter(q).select_related("user").order_by("user__last_name", "user__first_name")
    for row in rows:
        result[f"{row.body}:{row.institute_id or ''}"].append(row)
    return result


def is_member(user: User, body: str, institute: Institute | int | None) -> bool:
    return BodyMember.objects.filter(institute_q(institute), body=body, user=user).exists()


def institute_q(institute: Institute | int | None) -> Q:
    """The rows of one institute's body, or of the university's (no institute)."""
    if institute is None:
        return Q(institute__isnull=True)
    return Q(institute_id=institute if isinstance(institute, int) else institute.pk)


@transaction.atomic
def add_body_member(actor: User, body: str, institute: Institute | None, member: User) -> BodyMember:
    """AP-09: seat a person on a standing body (audited)."""
    if body not in (*INSTITUTE_BODIES, *UNIVERSITY_BODIES):
        raise AppealError(_("Choose one of the standing bodies."))
    if body in UNIVERSITY_BODIES:
        institute = None
    if not can_manage(actor, body, institute):
        raise PermissionDenied
    if not member.is_active:
        raise AppealError(_("%(name)s cannot be added: the account is not active.") % {"name": member})
    if BodyMember.objects.filter(body=body, institute=institute, user=member).exists():
        raise AppealError(
            _("%(name)s is already a member of the %(body)s.") % {"name": member, "body": Body(body).label}
        )
    row = BodyMember(body=body, institute=institute, user=member)
    row._history_user = actor  # type: ignore[attr-defined]
    row.save()
    return row


@transaction.atomic
def remove_body_member(actor: User, row: BodyMember) -> None:
    """AP-09: take a person off a standing body (audited); seats already taken on commissions stay."""
    if not can_manage(actor, row.body, row.institute_id):
        raise PermissionDenied
    row._history_user = actor  # type: ignore[attr-defined]
    row.delete()
