"""AC-16: recognising non-formal learning (e.g. a MOOC) in place of a discipline.

Who agrees: the discipline's lecturer is a teacher of an offering of that discipline (in any term):
the person who knows its syllabus, whatever department teaches it. The head of department is a
Role.HEAD_OF_DEPARTMENT over the student's group. A request is recognised when both have agreed and
the credits stay within the cap: 10 % of the programme, at most 24 credits (`rules.nonformal_credit_limit`).
The credits counted are those of the discipline replaced, since that is what the programme loses.

Transitions: requested -> recognised (both agreed, within the cap); requested -> refused (either
disagrees, or the cap is exceeded when the second agreement arrives).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from academics import rules
from academics.errors import AcademicsError
from academics.models import Discipline, NonformalRecognition, Offering, ProgrammeCredits
from academics.models.recognition import DEFAULT_PROGRAMME_CREDITS
from portal.models import Programme, Role, StudentProfile, User
from portal.notifications import notify
from portal.permissions import groups_in_scope, holds_role_over_group

Status = NonformalRecognition.Status
LECTURER, HEAD = "lecturer", "head"
CAPACITIES = (LECTURER, HEAD)

REFUSAL_LABELS = {
    "over_limit": gettext_lazy(
        "the recognised credits would exceed the limit of %(limit)d credits (10%% of the programme, at most 24)"
    ),
    "lecturer_not_agreed": gettext_lazy("the discipline's lecturer did not agree"),
    "head_not_agreed": gettext_lazy("the head of department did not agree"),
}


def programme_total_credits(programme: Programme) -> int:
    """The programme's credit total: its own row, or the usual total of its level (bachelor: 240)."""
    total = ProgrammeCredits.objects.filter(programme=programme).values_list("total_credits", flat=True).first()
    return total or DEFAULT_PROGRAMME_CREDITS.get(programme.level, 240)


def credit_limit(student: StudentProfile) -> int:
    """AC-16: the most credits of non-formal learning this student's programme recognises."""
    return rules.nonformal_credit_limit(programme_total_credits(student.group.programme))


def recognised_credits(student: StudentProfile) -> int:
    total = NonformalRecognition.objects.filter(student=student, status=Status.RECOGNISED).aggregate(s=Sum("credits"))
    return int(total["s"] or 0)


def refusal_labels(recognition: NonformalRecognition, limit: int | None = None) -> list[str]:
    """The translated reasons of a refusal."""
    limit = limit if limit is not None else credit_limit(recognition.student)
    return [str(REFUSAL_LABELS[code]) % {"limit": limit} for code in recognition.refusal_reasons]


def is_discipline_lecturer(user: User, discipline: Discipline) -> bool:
    return Offering.objects.filter(discipline=discipline, teachers=user).exists()


def may_agree(user: User, recognition: NonformalRecognition, capacity: str) -> bool:
    if capacity == LECTURER:
        return is_discipline_lecturer(user, recognition.discipline)
    if capacity == HEAD:
        return holds_role_over_group(user, (Role.HEAD_OF_DEPARTMENT,), recognition.student.group)
    return False


@transaction.atomic
def request_recognition(
    user: User, discipline: Discipline, title: str, provider: str, certificate_reference: str
) -> NonformalRecognition:
    """AC-16: a student asks for a completed non-formal course to replace a discipline."""
    student = StudentProfile.objects.select_for_update().select_related("group__programme").filter(user=user).first()
    if student is None:
        raise PermissionDenied
    title, provider, certificate_reference = title.strip(), provider.strip(), certificate_reference.strip()
    if not (title and provider and certificate_reference):
        raise AcademicsError(_("Give the course title, its provider and the certificate."))
    limit = credit_limit(student)
    if "over_limit" in rules.nonformal_recognition_refusals(
        recognised_credits(student), discipline.credits, programme_total_credits(student.group.programme), True, True
    ):
        raise AcademicsError(str(REFUSAL_LABELS["over_limit"]) % {"limit": limit})
    recognition = NonformalRecognition(
        student=student,
        discipline=discipline,
        title=title,
        provider=provider,
        credits=discipline.credits,
        certificate_reference=certificate_reference,
    )
    recognition._history_user = user  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            recognition.save()
    except IntegrityError:
        raise AcademicsError(_("This discipline already has a recognition request or is recognised.")) from None
    return recognition


def _locked(recognition: NonformalRecognition, user: User, capacity: str) -> NonformalRecognition:
    if capacity not in CAPACITIES:
        raise AcademicsError(_("Unknown capacity."))
    # The student's row first (as request_recognition does), so the cap check cannot race.
    StudentProfile.objects.select_for_update().get(pk=recognition.student_id)
    recognition = (
        NonformalRecognition.objects.select_for_update()
        .select_related("student__user", "student__group__programme", "discipline")
        .get(pk=recognition.pk)
    )
    if not may_agree(user, recognition, capacity):
        raise PermissionDenied
    if recognition.status != Status.REQUESTED:
        raise AcademicsError(_("This request is already decided."))
    return recognition


@transaction.atomic
def agree_recognition(user: User, recognition: NonformalRecognition, capacity: str) -> NonformalRecognition:
    """AC-16: the lecturer or the head of department agrees; with both, it is recognised within the cap."""
    recognition = _locked(recognition, user, capacity)
    now = timezone.now()
    if capacity == LECTURER:
        if recognition.lecturer_agreed_at is not None:
            raise AcademicsError(_("The lecturer has already agreed."))
        recognition.lecturer_agreed_by, recognition.lecturer_agreed_at = user, now
    else:
        if recognition.head_agreed_at is not None:
            raise AcademicsError(_("The head of department has already agreed."))
        recognition.head_agreed_by, recognition.head_agreed_at = user, now
    lecturer, head = recognition.lecturer_agreed_at is not None, recognition.head_agreed_at is not None
    if lecturer and head:
        refusals = rules.nonformal_recognition_refusals(
            recognised_credits(recognition.student),
            recognition.credits,
            programme_total_credits(recognition.student.group.programme),
            lecturer,
            head,
        )
        recognition.status = Status.REFUSED if refusals else Status.RECOGNISED
        recognition.refusal_reasons = refusals
        recognition.decided_at = now
    recognition._history_user = user  # type: ignore[attr-defined]
    recognition.save()
    if recognition.status != Status.REQUESTED:
        _tell_student(recognition)
    return recognition


@transaction.atomic
def refuse_recognition(
    user: User, recognition: NonformalRecognition, capacity: str, comment: str
) -> NonformalRecognition:
    """AC-16: the lecturer or the head of department does not agree; the request is refused, with why."""
    recognition = _locked(recognition, user, capacity)
    if not comment.strip():
        raise AcademicsError(_("Say why you do not agree."))
    recognition.status = Status.REFUSED
    recognition.refusal_reasons = [f"{capacity}_not_agreed"]
    recognition.refusal_comment = comment.strip()
    recognition.decided_by, recognition.decided_at = user, timezone.now()
    recognition._history_user = user  # type: ignore[attr-defined]
    recognition.save()
    _tell_student(recognition)
    return recognition


def _tell_student(recognition: NonformalRecognition) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        if recognition.status == Status.RECOGNISED:
            subject = _("%(course)s is recognised in place of %(discipline)s")
        else:
            subject = _("%(course)s is not recognised in place of %(discipline)s")
        subject %= {"course": recognition.title, "discipline": recognition.discipline}
        body = "; ".join([*refusal_labels(recognition), recognition.refusal_comment]).strip("; ")
        notify([recognition.student.user], subject, body, url=reverse("academics:nonformal"))


def awaiting(user: User) -> QuerySet[NonformalRecognition]:
    """Requests waiting for this user's agreement, as lecturer or as head; `as_lecturer`/`as_head` say which."""
    head_groups = groups_in_scope(user, (Role.HEAD_OF_DEPARTMENT,))
    taught = Offering.objects.filter(teachers=user, discipline=OuterRef("discipline"))
    return (
        NonformalRecognition.objects.filter(status=Status.REQUESTED)
        .annotate(
            as_lecturer=ExpressionWrapper(
                Q(Exists(taught)) & Q(lecturer_agreed_at__isnull=True), output_field=BooleanField()
            ),
            as_head=ExpressionWrapper(
                Q(Exists(head_groups.filter(pk=OuterRef("student__group")))) & Q(head_agreed_at__isnull=True),
                output_field=BooleanField(),
            ),
        )
        .filter(Q(as_lecturer=True) | Q(as_head=True))
        .select_related("student__user", "student__group", "discipline", "lecturer_agreed_by", "head_agreed_by")
        .order_by("requested_at", "pk")
    )
