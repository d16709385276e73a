"""AP-10: referring a case to an expanded commission, formed by the dean's order and chaired by the dean.

The members sit by role. Required besides the chair: for a student's case the youth policy office and
the student dean's office, for a staff member's case the ethics council and the staff union, and
always the programme committee, the quality commission and a lawyer; others may be invited.
"""

from collections.abc import Iterable, Sequence
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals import rules
from appeals.errors import AppealError
from appeals.models import ApplicantType, Application, Body, Commission, CommissionSeat, Event
from appeals.permissions import require_dean
from appeals.services.commission.access import locked, require_chair, require_sitting
from appeals.services.commission.bodies import is_member
from appeals.services.filing import case_url, record
from appeals.services.workflow import check_transition
from portal.models import Role, RoleAssignment, User
from portal.notifications import notify

Seat = CommissionSeat.Role
ALWAYS_REQUIRED: tuple[str, ...] = (Seat.PROGRAMME_COMMITTEE, Seat.QUALITY_COMMISSION, Seat.LAWYER)
REQUIRED_BY_APPLICANT: dict[str, tuple[str, ...]] = {
    ApplicantType.STUDENT: (Seat.YOUTH_POLICY, Seat.STUDENT_DEAN),
    ApplicantType.STAFF: (Seat.ETHICS_COUNCIL, Seat.STAFF_UNION),
}
# A seat held for a standing body goes to a member of that body (of the case's institute, or the
# university's ethics council); a seat for an office to a holder of the office's role.
BODY_OF_SEAT: dict[str, str] = {
    Seat.PROGRAMME_COMMITTEE: Body.PROGRAMME_COMMITTEE,
    Seat.QUALITY_COMMISSION: Body.QUALITY_COMMISSION,
    Seat.ETHICS_COUNCIL: Body.ETHICS_COUNCIL,
}
ROLES_OF_SEAT: dict[str, tuple[str, ...]] = {
    Seat.YOUTH_POLICY: (Role.YOUTH_POLICY_HEAD, Role.YOUTH_POLICY_SPECIALIST),
    Seat.STUDENT_DEAN: (Role.STUDENT_DEAN,),
}
SEAT_ORDER = {role: i for i, role in enumerate(Seat.values)}


def required_roles(applicant_type: str) -> tuple[str, ...]:
    """AP-10: the seats a commission must fill besides its chair, for this kind of applicant."""
    return (*REQUIRED_BY_APPLICANT.get(applicant_type, ()), *ALWAYS_REQUIRED)


def missing_roles(applicant_type: str, roles: Iterable[str]) -> list[str]:
    """AP-10: the required seats not filled by `roles`, in the order of the regulation."""
    filled = set(roles)
    return [role for role in required_roles(applicant_type) if role not in filled]


def _missing_error(missing: list[str]) -> AppealError:
    labels = ", ".join(str(Seat(role).label) for role in missing)
    return AppealError(_("The commission must include: %(roles)s.") % {"roles": labels})


def qualification_error(role: str, user: User, application: Application) -> str | None:
    """Why `user` cannot sit for `role` on this case's commission, or None."""
    if not user.is_active:
        return _("%(name)s cannot be seated: the account is not active.") % {"name": user}
    if user.pk == application.applicant_id or application.co_applicants.filter(pk=user.pk).exists():
        return _("%(name)s is an applicant and cannot sit on the commission.") % {"name": user}
    body = BODY_OF_SEAT.get(role)
    if body is not None:
        institute = None if body == Body.ETHICS_COUNCIL else application.institute_id
        if not is_member(user, body, institute):
            return _("%(name)s is not a member of the %(body)s and cannot sit for it.") % {
                "name": user,
                "body": Body(body).label,
            }
    roles = ROLES_OF_SEAT.get(role)
    if roles is not None:
        holds = (
            RoleAssignment.objects.active()
            .filter(user=user, role__in=roles)
            .filter(Q(institute__isnull=True) | Q(institute=application.institute_id))
            .exists()
        )
        if not holds:
            return _("%(name)s does not work in the %(office)s and cannot sit for it.") % {
                "name": user,
                "office": Seat(role).label,
            }
    return None


def _check_seats(dean: User, application: Application, seats: Sequence[tuple[str, User]]) -> None:
    seen: set[int] = set()
    for role, user in seats:
        if role not in Seat.values or role == Seat.CHAIR:
            raise AppealError(_("Choose the role each member sits for."))
        if user.pk == dean.pk:
            raise AppealError(_("The dean chairs the commission and takes no other seat."))
        if user.pk in seen:
            raise AppealError(_("%(name)s is named twice: each person takes one seat.") % {"name": user})
        seen.add(user.pk)
        error = qualification_error(role, user, application)
        if error:
            raise AppealError(error)


@transaction.atomic
def form_commission(
    dean: User,
    application: Application,
    *,
    order_number: str,
    order_date: date,
    seats: Sequence[tuple[str, User]],
    today: date | None = None,
) -> Commission:
    """AP-10: refer the case to an expanded commission formed by the dean's order, the dean in the chair."""
    application = locked(application)
    require_dean(dean, application.institute_id)
    status = check_transition(application, "refer_to_commission")
    today = today or timezone.localdate()
    order_number = order_number.strip()
    if not order_number:
        raise AppealError(_("Give the number of the dean's order that forms the commission."))
    if order_date > rules.act_day(application.registered_on, today):
        raise AppealError(_("The order date cannot be in the future."))
    if order_date < application.registered_on:
        raise AppealError(
            _("The order cannot be dated before the application was registered, %(date)s.")
            % {"date": application.registered_on.strftime("%d.%m.%Y")}
        )
    _check_seats(dean, application, seats)
    missing = missing_roles(application.applicant_type, [role for role, _user in seats])
    if missing:
        raise _missing_error(missing)
    commission = Commission(application=application, order_number=order_number, order_date=order_date, formed_by=dean)
    commission._history_user = dean  # type: ignore[attr-defined]
    commission.save()
    CommissionSeat.objects.bulk_create(
        [CommissionSeat(commission=commission, role=Seat.CHAIR, user=dean)]
        + [CommissionSeat(commission=commission, role=role, user=user) for role, user in seats]
    )
    application.status = status
    application.body = Body.EXPANDED_COMMISSION
    application._history_user = dean  # type: ignore[attr-defined]
    application.save(update_fields=["status", "body"])
    record(application, Event.Type.COMMISSION, dean, order_label(commission))
    members = sorted(seats, key=lambda seat: SEAT_ORDER[seat[0]])
    record(application, Event.Type.COMMISSION, dean, seat_list(members), public=False)
    notify(
        [user for _role, user in seats],
        _("You are a member of the expanded commission on application %(number)s") % {"number": application.number},
        order_label(commission),
        commission_url(application),
    )
    if application.applicant is not None:
        notify(
            [application.applicant, *application.co_applicants.all()],
            _("Your application %(number)s is referred to an expanded commission") % {"number": application.number},
            order_label(commission),
            case_url(application),
        )
    return commission


@transaction.atomic
def invite_member(chair: User, application: Application, role: str, member: User) -> CommissionSeat:
    """AP-10: the chair seats one more member (an invited specialist, or a replacement)."""
    application = locked(application)
    require_chair(chair, application)
    require_sitting(application)
    commission = Commission.objects.get(application=application)
    if role not in Seat.values or role == Seat.CHAIR:
        raise AppealError(_("Choose the role the member sits for."))
    if commission.seats.filter(user=member).exists():
        raise AppealError(_("%(name)s already sits on this commission.") % {"name": member})
    error = qualification_error(role, member, application)
    if error:
        raise AppealError(error)
    seat = CommissionSeat.objects.create(commission=commission, role=role, user=member)
    record(
        application,
        Event.Type.COMMISSION,
        chair,
        _("Seated: %(seat)s") % {"seat": seat_list([(role, member)])},
        public=False,
    )
    notify(
        [member],
        _("You are a member of the expanded commission on application %(number)s") % {"number": application.number},
        order_label(commission),
        commission_url(application),
    )
    return seat


@transaction.atomic
def unseat_member(chair: User, seat: CommissionSeat) -> None:
    """AP-10: the chair takes a member off the commission before it decides, if the required seats stay filled."""
    application = locked(seat.commission.application)
    require_chair(chair, application)
    require_sitting(application)
    if seat.role == Seat.CHAIR:
        raise AppealError(_("The chair cannot be taken off the commission."))
    rest = seat.commission.seats.exclude(pk=seat.pk).values_list("role", flat=True)
    missing = missing_roles(application.applicant_type, rest)
    if missing:
        raise _missing_error(missing)
    note = _("Taken off: %(seat)s") % {"seat": seat_list([(seat.role, seat.user)])}
    seat.delete()
    record(application, Event.Type.COMMISSION, chair, note, public=False)


def order_label(commission: Commission) -> str:
    return _("Dean's order No. %(number)s of %(date)s") % {
        "number": commission.order_number,
        "date": commission.order_date.strftime("%d.%m.%Y"),
    }


def seat_list(seats: Iterable[tuple[str, User]]) -> str:
    return "; ".join(f"{Seat(role).label}: {user}" for role, user in seats)


def ordered_seats(commission: Commission) -> list[CommissionSeat]:
    """The seats in the regulation's order (chair first), then by name."""
    seats = commission.seats.select_related("user")
    return sorted(seats, key=lambda s: (SEAT_ORDER[s.role], s.user.last_name, s.user.first_name, s.pk))


def commission_url(application: Application) -> str:
    return reverse("appeals:commission", args=[application.pk])
