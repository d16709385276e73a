"""AC-02: the registrar keeps the catalogue of disciplines and the offerings of each term (teachers, groups)."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from academics.errors import AcademicsError
from academics.models import Discipline, Enrolment, Offering, Term
from academics.services.enrolment import enrol_student
from portal.models import Role, RoleAssignment, StudentProfile, StudyGroup, User
from portal.permissions import groups_in_scope, is_registrar
from portal.text import kazakh_order

DISCIPLINE_FIELDS = ("code", "name_kk", "name_ru", "name_en", "credits")


def _require_registrar(user: User) -> None:
    if not is_registrar(user):
        raise PermissionDenied


def registrar_groups(user: User) -> QuerySet[StudyGroup]:
    """The study groups a registrar may put on offerings: those of their part of the university."""
    if user.is_superuser:
        return StudyGroup.objects.all()
    return groups_in_scope(user, (Role.REGISTRAR,))


def teachers() -> QuerySet[User]:
    """People who hold the teacher role today."""
    ids = RoleAssignment.objects.active().filter(role=Role.TEACHER).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by(*kazakh_order("last_name", "first_name"))


@transaction.atomic
def save_discipline(registrar: User, discipline: Discipline | None, data: dict[str, object]) -> Discipline:
    """Create or edit a discipline. Its credits are fixed once students are enrolled: every GPA already
    computed with them would change silently (AC-11); a new discipline code is created instead."""
    _require_registrar(registrar)
    target = discipline or Discipline()
    if discipline is not None:
        target = Discipline.objects.select_for_update().get(pk=discipline.pk)
        if data["credits"] != target.credits and Enrolment.objects.filter(offering__discipline=target).exists():
            raise AcademicsError(
                _("Students are already enrolled in %(code)s: its credits cannot change. Create a new discipline.")
                % {"code": target.code}
            )
    for name in DISCIPLINE_FIELDS:
        setattr(target, name, data[name])
    target.code = target.code.strip().upper()
    if Discipline.objects.filter(code=target.code).exclude(pk=target.pk).exists():
        raise AcademicsError(_("The code %(code)s is already used by another discipline.") % {"code": target.code})
    target._history_user = registrar  # type: ignore[attr-defined]
    target.save()
    return target


@transaction.atomic
def save_offering(
    registrar: User,
    offering: Offering | None,
    *,
    discipline: Discipline,
    term: Term,
    section: str,
    teachers: list[User],
    groups: list[StudyGroup],
) -> Offering:
    """Open an offering of a discipline in a term, or change its teachers and groups. A signed exam statement
    freezes the offering; the discipline and term stay as they are once students are enrolled."""
    _require_registrar(registrar)
    if not teachers:
        raise AcademicsError(_("An offering needs at least one teacher."))
    allowed = set(registrar_groups(registrar).values_list("pk", flat=True))
    if any(g.pk not in allowed for g in groups):
        raise PermissionDenied
    target = offering or Offering()
    if offering is not None:
        target = Offering.objects.select_for_update().get(pk=offering.pk)
        if target.statement_id is not None:
            raise AcademicsError(_("The exam statement of this offering is signed: it can no longer change."))
        moved = (discipline.pk, term.pk) != (target.discipline_id, target.term_id)
        if moved and target.enrolments.exists():
            raise AcademicsError(
                _("Students are enrolled: the discipline and term of this offering can no longer change.")
            )
    target.discipline = discipline
    target.term = term
    target.section = section.strip() or "1"
    target._history_user = registrar  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:
        raise AcademicsError(
            _("%(discipline)s already has a section %(section)s in %(term)s.")
            % {"discipline": discipline.code, "section": target.section, "term": term}
        ) from None
    target.teachers.set(teachers)
    target.groups.set(groups)
    return target


@dataclass
class EnrolmentRun:
    enrolled: int = 0
    refused: list[tuple[StudentProfile, str]] = field(default_factory=list)


def enrol_groups(registrar: User, offering: Offering) -> EnrolmentRun:
    """Enrol every enrolled student of the offering's groups who is not in it yet; a student refused by a
    rule (AC-13: a third retake) is listed with the reason, the others are enrolled."""
    _require_registrar(registrar)
    run = EnrolmentRun()
    students = (
        StudentProfile.objects.filter(group__in=offering.groups.all(), status=StudentProfile.Status.ENROLLED)
        .exclude(enrolments__offering=offering)
        .select_related("user", "group")
        .order_by(*kazakh_order("user__last_name", "user__first_name"))
    )
    for student in students:
        try:
            enrol_student(registrar, offering, student)
        except AcademicsError as exc:
            run.refused.append((student, str(exc)))
        else:
            run.enrolled += 1
    return run
