"""Who may act on an election (EL-02) and who administers the campaign (EL-09)."""

from django.core.exceptions import PermissionDenied

from elections.models import CommissionMember, Election
from portal.models import Role, User
from portal.permissions import user_roles

# EL-09: the administration that approves campaign material and meetings (DESW and youth policy).
ADMINISTRATION = (
    Role.DESW_DIRECTOR,
    Role.YOUTH_POLICY_HEAD,
    Role.YOUTH_POLICY_SPECIALIST,
    Role.VICE_RECTOR_SOCIAL,
)
# Who may create an election and name its commission (the DESW director and the vice-rector).
ORGANISERS = (Role.DESW_DIRECTOR, Role.VICE_RECTOR_SOCIAL, Role.ADMINISTRATOR)


def seat(user: User, election: Election) -> CommissionMember | None:
    """The user's seat on the election's commission, if any."""
    return CommissionMember.objects.filter(election=election, user=user).first()


def require_commission(user: User, election: Election, *, deciding: bool = True) -> CommissionMember:
    """EL-02: only the commission acts on the election (members with a deciding vote, by default)."""
    member = seat(user, election)
    if member is None or (deciding and not member.deciding_vote):
        raise PermissionDenied
    return member


def is_administration(user: User) -> bool:
    return user.is_superuser or bool(user_roles(user).intersection(ADMINISTRATION))


def require_administration(user: User) -> None:
    if not is_administration(user):
        raise PermissionDenied


def is_organiser(user: User) -> bool:
    return user.is_superuser or bool(user_roles(user).intersection(ORGANISERS))


def require_organiser(user: User) -> None:
    if not is_organiser(user):
        raise PermissionDenied
