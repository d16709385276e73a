"""AC-24 attendance and AC-06/AC-07 exam admission."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from academics import rules
from academics.errors import AcademicsError
from academics.models import AttendanceMark, ClassSession, Enrolment, MidtermRetakePermission, Offering
from academics.services import tuition
from academics.services.gradebook import is_offering_teacher
from portal.models import Role, User
from portal.permissions import holds_role_over_group
from portal.text import kazakh_order


@transaction.atomic
def record_attendance(
    teacher: User, offering: Offering, held_on: date, present: set[int], number: int = 1
) -> ClassSession:
    """AC-24: one class held; every enrolled student is marked present (ids in `present`) or absent."""
    if not is_offering_teacher(teacher, offering):
        raise PermissionDenied
    enrolment_ids = set(offering.enrolments.values_list("pk", flat=True))
    if not present <= enrolment_ids:
        raise AcademicsError(_("This student is not enrolled in the offering."))
    try:
        with transaction.atomic():
            session = ClassSession.objects.create(offering=offering, held_on=held_on, number=number)
    except IntegrityError:
        raise AcademicsError(_("Attendance for this class is already recorded.")) from None
    AttendanceMark.objects.bulk_create(
        AttendanceMark(session=session, enrolment_id=eid, present=eid in present) for eid in sorted(enrolment_ids)
    )
    return session


@transaction.atomic
def permit_midterm_retake(dean: User, enrolment: Enrolment, document_reference: str) -> MidtermRetakePermission:
    """AC-07: the dean's written permission for an individual midterm retake."""
    if not holds_role_over_group(dean, (Role.DEAN,), enrolment.student.group):
        raise PermissionDenied
    if not document_reference.strip():
        raise AcademicsError(_("A permission needs the number and date of the dean's written decision."))
    permission = MidtermRetakePermission.objects.filter(enrolment=enrolment).first() or MidtermRetakePermission(
        enrolment=enrolment
    )
    permission.document_reference, permission.granted_by = document_reference.strip(), dean
    permission._history_user = dean  # type: ignore[attr-defined]
    permission.save()
    return permission


@dataclass(frozen=True)
class AdmissionRow:
    enrolment: Enrolment
    midterm_average: Decimal | None
    attendance_percent: Decimal
    reasons: list[str]

    @property
    def admitted(self) -> bool:
        return not self.reasons

    @property
    def permission(self) -> MidtermRetakePermission | None:
        return getattr(self.enrolment, "midterm_retake_permission", None)

    @property
    def midterm_short(self) -> bool:
        """Not admitted for the midterm: what the dean's individual retake permission can lift (AC-07)."""
        midterm = {rules.AdmissionReason.MIDTERM_BELOW_50, rules.AdmissionReason.MIDTERM_MISSING}
        return bool(midterm.intersection(self.reasons))

    policy: rules.Policy = rules.HANDBOOK

    @property
    def reason_labels(self) -> list[str]:
        minimums = {
            "midterm": _plain(self.policy.midterm_minimum),
            "attendance": _plain(self.policy.attendance_minimum),
        }
        return [str(REASON_LABELS[r]) % minimums for r in self.reasons]


def _plain(number: Decimal) -> str:
    """50.00 -> "50", 72.50 -> "72.5"."""
    return f"{number.normalize():f}"


REASON_LABELS = {
    rules.AdmissionReason.MIDTERM_BELOW_50: gettext_lazy("midterm average below %(midterm)s"),
    rules.AdmissionReason.MIDTERM_MISSING: gettext_lazy("midterm result missing"),
    rules.AdmissionReason.ATTENDANCE_BELOW_80: gettext_lazy("attendance below %(attendance)s%%"),
    rules.AdmissionReason.TUITION_DEBT: gettext_lazy("tuition debt"),
}


def admission_list(offering: Offering, today: date | None = None) -> list[AdmissionRow]:
    """AC-06: every enrolled student with admitted or not and why, in two queries.

    Tuition debt (AC-18) is the student's debt on `today` (by default, the day the list is made).
    """
    enrolments = (
        offering.enrolments.select_related("student__user", "grade", "midterm_retake_permission")
        .annotate(
            held=Count("attendance"),
            attended=Count("attendance", filter=Q(attendance__present=True)),
        )
        .order_by(*kazakh_order("student__user__last_name", "student__user__first_name"), "pk")
    )
    policy = offering.term.academic_year.policy()
    contracts = tuition.paying_contracts().filter(student__enrolments__offering=offering)
    debts = tuition.statuses(contracts, today or timezone.localdate())
    rows = []
    for e in enrolments:
        grade = getattr(e, "grade", None)
        r1, r2 = (grade.r1, grade.r2) if grade else (None, None)
        permitted = hasattr(e, "midterm_retake_permission")
        in_debt = e.student_id in debts and debts[e.student_id].in_debt
        reasons = rules.exam_admission_reasons(
            r1, r2, e.attended, e.held, tuition_debt=in_debt, dean_permission=permitted, policy=policy
        )
        rows.append(
            AdmissionRow(
                e, rules.midterm_average(r1, r2), rules.attendance_percent(e.attended, e.held), reasons, policy
            )
        )
    return rows
