"""Enrolling students in offerings (AC-13: at most two retakes of a discipline)."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from academics import rules
from academics.errors import AcademicsError
from academics.models import Enrolment, Offering
from portal.models import StudentProfile, User
from portal.permissions import is_registrar


@transaction.atomic
def enrol_student(registrar: User, offering: Offering, student: StudentProfile) -> Enrolment:
    """Enrol a student; a third retake of the same discipline is refused (AC-13)."""
    if not is_registrar(registrar):
        raise PermissionDenied
    # Lock the student's row so two registrars cannot both pass the count check.
    StudentProfile.objects.select_for_update().get(pk=student.pk)
    earlier = Enrolment.objects.filter(student=student, offering__discipline=offering.discipline).count()
    if not rules.retake_allowed(earlier):
        raise AcademicsError(
            _("%(discipline)s has already been retaken twice: no further retake is allowed.")
            % {"discipline": offering.discipline}
        )
    try:
        with transaction.atomic():
            return Enrolment.objects.create(offering=offering, student=student)
    except IntegrityError:
        raise AcademicsError(_("The student is already enrolled in this offering.")) from None
