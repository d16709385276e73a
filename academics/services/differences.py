"""AC-20: academic differences: the registrar or the dean records them, and clears them once settled.

An uncleared difference whose academic period has ended counts as academic debt (`standing.academic_debts`).
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from academics.errors import AcademicsError
from academics.models import AcademicDifference, Discipline, GradeRecord, Term
from academics.services.standing import UNSATISFACTORY
from portal.models import Role, RoleAssignment, StudentProfile, User
from portal.permissions import holds_role_over_group

MANAGERS = (Role.REGISTRAR, Role.DEAN)


def may_manage(user: User, student: StudentProfile) -> bool:
    """The registrar's office or the dean over the student's group."""
    return user.is_superuser or holds_role_over_group(user, MANAGERS, student.group)


def overdue(today: date) -> Q:
    """The query form of `rules.difference_becomes_debt`: not cleared, and its period ended before today."""
    return Q(cleared_at__isnull=True) & (Q(due_on__lt=today) | Q(due_on__isnull=True, due_term__exams_end__lt=today))


def in_scope(user: User) -> QuerySet[AcademicDifference]:
    """The differences of the students this user manages, in one query (dashboards count it).

    The scope test is `portal.permissions.holds_role_over_group`'s, per row: an assignment to the
    student's group, its department, its institute, or the whole university.
    """
    qs = AcademicDifference.objects.all()
    if user.is_superuser:
        return qs
    group = "student__group"
    department = f"{group}__programme__department"
    scopes = (
        RoleAssignment.objects.active()
        .filter(user=user, role__in=MANAGERS)
        .filter(
            Q(group=OuterRef(group))
            | Q(department=OuterRef(department))
            | Q(institute=OuterRef(f"{department}__institute"))
            | Q(university__isnull=False)
            | Q(university__isnull=True, institute__isnull=True, department__isnull=True, group__isnull=True)
        )
    )
    return qs.filter(Exists(scopes))


@transaction.atomic
def record_difference(
    user: User,
    student: StudentProfile,
    discipline: Discipline,
    reason: str,
    *,
    due_term: Term | None = None,
    due_on: date | None = None,
    document_reference: str = "",
) -> AcademicDifference:
    """AC-20: a discipline the student must pass by the end of an academic period (a term or a date)."""
    if not may_manage(user, student):
        raise PermissionDenied
    if reason not in AcademicDifference.Reason.values:
        raise AcademicsError(_("Choose why the difference arose."))
    if (due_term is None) == (due_on is None):
        raise AcademicsError(_("Give either the term or the date by which the difference must be cleared."))
    deadline = due_on if due_on is not None else due_term.exams_end  # type: ignore[union-attr]
    if deadline < timezone.localdate():
        raise AcademicsError(_("The period to clear the difference has already ended."))
    difference = AcademicDifference(
        student=student,
        discipline=discipline,
        reason=reason,
        due_term=due_term,
        due_on=due_on,
        document_reference=document_reference.strip(),
        recorded_by=user,
    )
    difference._history_user = user  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            difference.save()
    except IntegrityError:
        raise AcademicsError(_("This student already has an open difference in this discipline.")) from None
    return difference


def clearing_grades(difference: AcademicDifference) -> QuerySet[GradeRecord]:
    """The student's signed, satisfactory grades in the discipline: any of them settles the difference."""
    return (
        GradeRecord.objects.filter(
            enrolment__student=difference.student,
            enrolment__offering__discipline=difference.discipline,
            signed_at__isnull=False,
            points__isnull=False,
        )
        .exclude(letter__in=UNSATISFACTORY)
        .select_related("enrolment__offering__term__academic_year")
        .order_by("-enrolment__offering__term__starts_on")
    )


@transaction.atomic
def clear_difference(
    user: User, difference: AcademicDifference, *, grade: GradeRecord | None = None, note: str = ""
) -> AcademicDifference:
    """AC-20: the difference is settled, by a signed passing grade in the discipline or a note (e.g. a
    recognised course or an order)."""
    difference = (
        AcademicDifference.objects.select_for_update()
        .select_related("student__group", "discipline")
        .get(pk=difference.pk)
    )
    if not may_manage(user, difference.student):
        raise PermissionDenied
    if difference.is_cleared:
        raise AcademicsError(_("This difference is already cleared."))
    note = note.strip()
    if grade is None and not note:
        raise AcademicsError(_("Give the grade or a note saying how the difference was cleared."))
    if grade is not None and not clearing_grades(difference).filter(pk=grade.pk).exists():
        raise AcademicsError(_("Only a signed passing grade of this student in this discipline clears it."))
    difference.cleared_at, difference.cleared_by = timezone.now(), user
    difference.clearing_grade, difference.clearance_note = grade, note
    difference._history_user = user  # type: ignore[attr-defined]
    difference.save()
    return difference
