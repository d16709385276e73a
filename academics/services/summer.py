"""AC-15: the paid summer semester: applications, payment, opening a course or not.

A course is a discipline in a summer term; it opens (its offering is created and the paid applicants
enrolled) once at least 8 applicants have paid. Enrolment goes through `enrol_student`, so the AC-13
retake limit applies to summer courses too.

Transitions of an application:
    applied -> enrolled    (the course opens and it is paid, or it is paid after the course opened)
    applied -> refused     (the course opens but enrolment is refused, e.g. AC-13)
    applied -> not_opened  (the registrar closes a course that did not reach 8 paid applicants)
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from academics import rules
from academics.errors import AcademicsError
from academics.models import Discipline, Enrolment, Offering, SummerApplication, Term
from academics.services.enrolment import enrol_student
from portal.models import StudentProfile, User
from portal.notifications import notify
from portal.permissions import is_registrar

Status = SummerApplication.Status
TRANSITIONS: dict[str, set[str]] = {
    Status.APPLIED: {Status.ENROLLED, Status.REFUSED, Status.NOT_OPENED},
    Status.ENROLLED: set(),
    Status.REFUSED: set(),
    Status.NOT_OPENED: set(),
}


def _move(application: SummerApplication, to: str) -> None:
    if to not in TRANSITIONS[application.status]:
        raise AcademicsError(
            _("This application is no longer waiting for a decision (%(status)s).")
            % {"status": application.get_status_display()}
        )
    application.status = to


def _require_registrar(user: User) -> None:
    if not is_registrar(user):
        raise PermissionDenied


def application_deadline(term: Term) -> date:
    """AC-15: the last day to apply, 10 days before the summer term starts."""
    return term.starts_on - timedelta(days=rules.SUMMER_APPLICATION_DAYS_BEFORE)


def upcoming_summer_term(today: date | None = None) -> Term | None:
    """The summer term that has not started yet, nearest first (None if none is scheduled)."""
    today = today or timezone.localdate()
    return (
        Term.objects.filter(kind=Term.Kind.SUMMER, starts_on__gt=today)
        .select_related("academic_year")
        .order_by("starts_on")
        .first()
    )


def _student_of(user: User) -> StudentProfile:
    student = StudentProfile.objects.select_related("user", "group").filter(user=user).first()
    if student is None:
        raise PermissionDenied
    return student


@transaction.atomic
def apply_for_summer_course(
    user: User, term: Term, discipline: Discipline, today: date | None = None
) -> SummerApplication:
    """AC-15: a student applies for a summer course at least 10 days before the summer term starts."""
    student = _student_of(user)
    today = today or timezone.localdate()
    if term.kind != Term.Kind.SUMMER:
        raise AcademicsError(_("Applications are accepted for the summer semester only."))
    if not rules.summer_application_in_time(today, term.starts_on):
        raise AcademicsError(
            ngettext(
                "Applications for the summer semester close %(days)d day before it starts: "
                "the last day was %(deadline)s.",
                "Applications for the summer semester close %(days)d days before it starts: "
                "the last day was %(deadline)s.",
                rules.SUMMER_APPLICATION_DAYS_BEFORE,
            )
            % {"days": rules.SUMMER_APPLICATION_DAYS_BEFORE, "deadline": _day(application_deadline(term))}
        )
    # AC-13: say so now rather than when the course opens.
    StudentProfile.objects.select_for_update().get(pk=student.pk)
    earlier = Enrolment.objects.filter(student=student, offering__discipline=discipline).count()
    if not rules.retake_allowed(earlier):
        raise AcademicsError(
            _("%(discipline)s has already been retaken twice: no further retake is allowed.")
            % {"discipline": discipline}
        )
    application = SummerApplication(student=student, discipline=discipline, term=term, applied_on=today)
    application._history_user = user  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise AcademicsError(_("You have already applied for this summer course.")) from None
    return application


@transaction.atomic
def record_summer_payment(
    registrar: User, application: SummerApplication, paid_on: date | None = None, reference: str = ""
) -> SummerApplication:
    """AC-15: the registrar records that an applicant paid; if the course is already open, they are enrolled."""
    _require_registrar(registrar)
    application = (
        SummerApplication.objects.select_for_update()
        .select_related("student__user", "discipline", "term")
        .get(pk=application.pk)
    )
    paid_on = paid_on or timezone.localdate()
    if application.is_paid:
        raise AcademicsError(_("The payment for this application is already recorded."))
    if application.status != Status.APPLIED:
        raise AcademicsError(
            _("This application is no longer waiting for a decision (%(status)s).")
            % {"status": application.get_status_display()}
        )
    if paid_on < application.applied_on or paid_on > timezone.localdate():
        raise AcademicsError(_("The payment date must be between the application date and today."))
    application.paid_on, application.payment_reference = paid_on, reference.strip()
    application.payment_recorded_by = registrar
    offering = Offering.objects.filter(discipline=application.discipline, term=application.term).first()
    if offering is not None:
        _enrol(registrar, application, offering)
    application._history_user = registrar  # type: ignore[attr-defined]
    application.save()
    return application


def _enrol(registrar: User, application: SummerApplication, offering: Offering) -> bool:
    """Enrol a paid applicant (AC-13 checked by `enrol_student`); a refusal is kept on the application."""
    try:
        with transaction.atomic():
            application.enrolment = enrol_student(registrar, offering, application.student)
    except AcademicsError as exc:
        _move(application, Status.REFUSED)
        application.note = str(exc)
        return False
    _move(application, Status.ENROLLED)
    return True


@dataclass(frozen=True)
class OpeningResult:
    offering: Offering
    enrolled: int
    refused: int


@transaction.atomic
def open_summer_course(registrar: User, term: Term, discipline: Discipline) -> OpeningResult:
    """AC-15: with at least 8 paid applicants, create the summer offering and enrol them."""
    _require_registrar(registrar)
    if term.kind != Term.Kind.SUMMER:
        raise AcademicsError(_("Applications are accepted for the summer semester only."))
    applications = list(
        SummerApplication.objects.select_for_update()
        .filter(term=term, discipline=discipline, status=Status.APPLIED)
        .select_related("student__user", "discipline")
        .order_by("pk")
    )
    if Offering.objects.filter(term=term, discipline=discipline).exists():
        raise AcademicsError(_("This summer course is already open."))
    paid = [a for a in applications if a.is_paid]
    if not rules.summer_course_opens(len(paid)):
        raise AcademicsError(
            _("A summer course opens when at least %(minimum)d applicants have paid; %(paid)d have.")
            % {"minimum": rules.SUMMER_MINIMUM_PAID, "paid": len(paid)}
        )
    offering = Offering(discipline=discipline, term=term)
    offering._history_user = registrar  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            offering.save()
    except IntegrityError:
        raise AcademicsError(_("This summer course is already open.")) from None
    enrolled: list[User] = []
    refused: list[SummerApplication] = []
    for application in paid:
        if _enrol(registrar, application, offering):
            enrolled.append(application.student.user)
        else:
            refused.append(application)
        application._history_user = registrar  # type: ignore[attr-defined]
        application.save()
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            enrolled,
            _("Summer course %(discipline)s opens: you are enrolled") % {"discipline": discipline},
            url=reverse("academics:summer"),
        )
        for application in refused:
            notify(
                [application.student.user],
                _("Summer course %(discipline)s: you are not enrolled") % {"discipline": discipline},
                application.note,
                url=reverse("academics:summer"),
            )
    return OpeningResult(offering, len(enrolled), len(refused))


@transaction.atomic
def close_unopened_summer_course(registrar: User, term: Term, discipline: Discipline, today: date | None = None) -> int:
    """AC-15: a course that did not reach 8 paid applicants by the close of applications does not open;
    its applicants are told. Returns how many were notified."""
    _require_registrar(registrar)
    today = today or timezone.localdate()
    applications = list(
        SummerApplication.objects.select_for_update()
        .filter(term=term, discipline=discipline, status=Status.APPLIED)
        .select_related("student__user")
        .order_by("pk")
    )
    if Offering.objects.filter(term=term, discipline=discipline).exists():
        raise AcademicsError(_("This summer course is already open."))
    if today <= application_deadline(term):
        raise AcademicsError(
            _("Applications are accepted until %(deadline)s: the course can be closed after that.")
            % {"deadline": _day(application_deadline(term))}
        )
    if rules.summer_course_opens(sum(a.is_paid for a in applications)):
        raise AcademicsError(_("Enough applicants have paid: this course opens."))
    if not applications:
        raise AcademicsError(_("This course has no applications waiting for a decision."))
    for application in applications:
        _move(application, Status.NOT_OPENED)
        application._history_user = registrar  # type: ignore[attr-defined]
        application.save()
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            [a.student.user for a in applications],
            _("Summer course %(discipline)s does not open") % {"discipline": discipline},
            _("Fewer than %(minimum)d applicants paid for this course, so it does not open this summer.")
            % {"minimum": rules.SUMMER_MINIMUM_PAID},
            url=reverse("academics:summer"),
        )
    return len(applications)


@dataclass(frozen=True)
class SummerCourse:
    """One row of the registrar's summer page."""

    discipline: Discipline
    applicants: int
    paid: int
    waiting: int
    is_open: bool

    @property
    def can_open(self) -> bool:
        """AC-15: at least 8 paid applicants."""
        return not self.is_open and rules.summer_course_opens(self.paid)

    @property
    def missing(self) -> int:
        return max(rules.SUMMER_MINIMUM_PAID - self.paid, 0)


def summer_courses(term: Term) -> list[SummerCourse]:
    """The courses of a summer term with applicants, in three queries whatever their number."""
    counts = (
        SummerApplication.objects.filter(term=term)
        .values("discipline_id")
        .annotate(
            applicants=Count("pk"),
            paid=Count("pk", filter=Q(paid_on__isnull=False)),
            waiting=Count("pk", filter=Q(status=Status.APPLIED)),
        )
        .order_by()
    )
    rows = {c["discipline_id"]: c for c in counts}
    disciplines = Discipline.objects.filter(pk__in=rows).order_by("code")
    opened = set(Offering.objects.filter(term=term, discipline_id__in=rows).values_list("discipline_id", flat=True))
    return [
        SummerCourse(d, rows[d.pk]["applicants"], rows[d.pk]["paid"], rows[d.pk]["waiting"], d.pk in opened)
        for d in disciplines
    ]


def _day(day: date) -> str:
    return day.strftime("%d.%m.%Y")
