"""AC-21: the register of disciplinary sanctions, kept by the dean's office from the disciplinary council's
decisions, each with its validity period; elections read the valid ones through `standing`."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from academics.errors import AcademicsError
from academics.models import Sanction
from portal.models import Role, StudentProfile, User
from portal.permissions import holds_role_over_group

KEEPERS = (Role.DEAN, Role.STUDENT_DEAN)


def can_keep_register(user: User, student: StudentProfile) -> bool:
    return user.is_superuser or holds_role_over_group(user, KEEPERS, student.group)


@transaction.atomic
def record_sanction(
    actor: User,
    student: StudentProfile,
    *,
    kind: str,
    reason: str,
    decision_reference: str,
    imposed_on: date,
    valid_until: date,
) -> Sanction:
    """Enter a sanction the disciplinary council imposed."""
    if not can_keep_register(actor, student):
        raise PermissionDenied
    if kind not in Sanction.Kind.values:
        raise AcademicsError(_("Unknown kind of sanction."))
    if not reason.strip() or not decision_reference.strip():
        raise AcademicsError(_("A sanction needs its reason and the disciplinary council's decision."))
    if valid_until < imposed_on:
        raise AcademicsError(_("A sanction cannot end before it is imposed."))
    sanction = Sanction(
        student=student,
        kind=kind,
        reason=reason.strip(),
        decision_reference=decision_reference.strip(),
        imposed_on=imposed_on,
        valid_until=valid_until,
    )
    sanction._history_user = actor  # type: ignore[attr-defined]
    sanction.save()
    return sanction


@transaction.atomic
def lift_sanction(actor: User, sanction: Sanction, lifted_on: date) -> Sanction:
    """Lift a sanction early (a later council decision); it stays in the register."""
    sanction = (
        Sanction.objects.select_for_update().select_related("student__group__programme__department").get(pk=sanction.pk)
    )
    if not can_keep_register(actor, sanction.student):
        raise PermissionDenied
    if sanction.lifted_on is not None:
        raise AcademicsError(_("This sanction is already lifted."))
    if not sanction.imposed_on <= lifted_on <= sanction.valid_until:
        raise AcademicsError(_("A sanction is lifted within its validity period."))
    sanction.lifted_on = lifted_on
    sanction._history_user = actor  # type: ignore[attr-defined]
    sanction.save(update_fields=["lifted_on"])
    return sanction
