"""AP-18, AC-22, AC-23: exam-grade appeals.

The handbook (004, "Апелляция рәсімі"): the student writes to the dean naming the discipline and the
question number, on one of the AC-22 grounds; the dean forwards it to the head of department; the
student reads the outcome in the portal. The handbook sets no time limit for filing, so none is applied:
the appeal is registered like every application and answered within its 15 working days (AP-06).

A grade is frozen once its exam statement is signed (AC-23), so only a signed grade can be appealed, and
an upheld appeal changes it through `academics.services.gradebook.amend_grade`, never directly.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from academics.errors import AcademicsError
from academics.models import AppealGround, Enrolment, GradeAmendment, GradeRecord
from academics.services.gradebook import amend_grade
from appeals.errors import AppealError
from appeals.models import (
    ApplicantType,
    Application,
    Body,
    Channel,
    Event,
    GradeAppeal,
    Hearing,
    Kind,
    Level,
    Outcome,
)
from appeals.permissions import is_dean_of, is_handler
from appeals.services import workflow
from appeals.services.filing import Filing, home_institute, record, register
from portal.models import Department, Role, RoleAssignment, User

Stage = GradeAppeal.Stage
MAX_QUESTION = 999
ENROLMENT_RELATED = ("offering__discipline", "offering__term__academic_year", "grade")


@dataclass
class GradeAppealFiling:
    """What the student writes (AP-18): the discipline (an enrolment), the question and the ground."""

    enrolment: Enrolment
    question_number: int
    ground: str
    text: str
    files: Sequence[UploadedFile] = ()


def appealable_enrolments(user: User) -> QuerySet[Enrolment]:
    """AC-23: the student's own enrolments whose grade statement is signed."""
    return (
        Enrolment.objects.filter(student__user=user, grade__signed_at__isnull=False)
        .select_related(*ENROLMENT_RELATED)
        .order_by("-offering__term__starts_on", "offering__discipline__code")
    )


def appeal_department(enrolment: Enrolment) -> Department:
    """The department whose head decides. Disciplines carry no department in academics, and academics lets
    only a head over the student's group amend the grade (gradebook.can_amend): the student's programme's."""
    return enrolment.student.group.programme.department


def department_heads(department: Department) -> list[User]:
    """The active heads of the department (usually one)."""
    ids = RoleAssignment.objects.active().filter(role=Role.HEAD_OF_DEPARTMENT, department=department).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name", "pk"))


def _check(user: User, appeal: GradeAppealFiling) -> GradeRecord:
    enrolment = appeal.enrolment
    if enrolment.student.user_id != user.pk:
        raise AppealError(_("Choose one of your own disciplines."))
    grade = GradeRecord.objects.filter(enrolment=enrolment).first()
    if grade is None or not grade.is_signed:
        raise AppealError(
            _("The exam statement of this discipline is not signed yet: a grade is appealed once it is final.")
        )
    if not 1 <= appeal.question_number <= MAX_QUESTION:
        raise AppealError(_("Give the number of the exam question, from 1 to %(n)d.") % {"n": MAX_QUESTION})
    if appeal.ground not in AppealGround.values:
        raise AppealError(_("Choose the ground of the appeal."))
    pending = GradeAppeal.objects.filter(
        enrolment=enrolment, question_number=appeal.question_number, stage__in=(Stage.DEAN, Stage.DEPARTMENT)
    )
    if pending.exists():
        raise AppealError(_("Your appeal on this question is already being considered."))
    return grade


@transaction.atomic
def file_grade_appeal(user: User, appeal: GradeAppealFiling, now: datetime | None = None) -> Application:
    """AP-18: the student's appeal to the dean, registered like every application (number, date, due date)."""
    if not hasattr(user, "student"):
        raise AppealError(_("Only students appeal exam grades."))
    _check(user, appeal)
    discipline = appeal.enrolment.offering.discipline
    subject = _("Exam grade appeal: %(discipline)s, question %(n)d") % {
        "discipline": discipline.name,
        "n": appeal.question_number,
    }
    application = register(
        filing=Filing(kind=Kind.GRADE_APPEAL, subject=subject[:200], text=appeal.text, files=appeal.files),
        institute=home_institute(user),
        channel=Channel.PORTAL,
        applicant=user,
        applicant_type=ApplicantType.STUDENT,
        filed_by=user,
        received_at=now,
        kinds=(Kind.GRADE_APPEAL,),
    )
    grade_appeal = GradeAppeal(
        application=application,
        enrolment=appeal.enrolment,
        question_number=appeal.question_number,
        ground=appeal.ground,
    )
    grade_appeal._history_user = user  # type: ignore[attr-defined]
    grade_appeal.save()
    return application


def _locked(application: Application) -> GradeAppeal:
    return (
        GradeAppeal.objects.select_for_update(of=("self",))
        .select_related("application", "enrolment__student__group__programme__department", "enrolment__grade")
        .get(application=application)
    )


def _save(grade_appeal: GradeAppeal, actor: User, fields: list[str]) -> None:
    grade_appeal._history_user = actor  # type: ignore[attr-defined]
    grade_appeal.save(update_fields=fields)


def _require_stage(grade_appeal: GradeAppeal, stage: str) -> None:
    if grade_appeal.stage != stage:
        raise AppealError(
            _("This step is not possible now: the appeal is “%(stage)s”.") % {"stage": grade_appeal.get_stage_display()}
        )


@transaction.atomic
def forward_to_department(dean: User, application: Application, head: User) -> GradeAppeal:
    """AP-18: the dean forwards the appeal to the head of department, who is assigned and told."""
    grade_appeal = _locked(application)
    if not is_dean_of(dean, grade_appeal.application.institute_id):
        raise PermissionDenied
    _require_stage(grade_appeal, Stage.DEAN)
    department = appeal_department(grade_appeal.enrolment)
    if head not in department_heads(department):
        raise AppealError(_("Choose the head of the department %(department)s.") % {"department": department.name})
    case = workflow.route(dean, grade_appeal.application, Body.DEPARTMENT, [head])
    # The head's decision is appealed to the dean, one level up (AP-14, AP-20).
    case.department = department
    case.level = Level.DEPARTMENT
    case._history_user = dean  # type: ignore[attr-defined]
    case.save(update_fields=["department", "level"])
    grade_appeal.stage = Stage.DEPARTMENT
    _save(grade_appeal, dean, ["stage"])
    return grade_appeal


def _require_head(head: User, grade_appeal: GradeAppeal) -> None:
    """Only the head of department the appeal was forwarded to decides it."""
    if not is_handler(head, grade_appeal.application):
        raise PermissionDenied
    _require_stage(grade_appeal, Stage.DEPARTMENT)


def _grade_text(letter: str, percent: Decimal | None) -> str:
    return f"{letter} ({percent:.0f}%)" if percent is not None else letter


@transaction.atomic
def uphold(head: User, application: Application, answer: str, r1: object, r2: object, exam: object) -> GradeAppeal:
    """AP-18, AC-23: the appeal is upheld and the grade changes through academics, as an amendment that keeps
    the teacher's entry, with the case number and date as the document behind it."""
    grade_appeal = _locked(application)
    _require_head(head, grade_appeal)
    if all(value in (None, "") for value in (r1, r2, exam)):
        raise AppealError(_("Enter the new scores."))
    if not answer.strip():
        raise AppealError(_("Write the answer."))
    case = grade_appeal.application
    grade = grade_appeal.enrolment.grade
    before = _grade_text(grade.letter, grade.final_percent)
    reason = _("Exam grade appeal, question %(n)d: %(ground)s") % {
        "n": grade_appeal.question_number,
        "ground": grade_appeal.get_ground_display(),
    }
    try:
        amendment = amend_grade(
            head,
            grade,
            kind=GradeAmendment.Kind.APPEAL,
            reason=reason,
            document_reference=f"{case.number}, {case.registered_on:%d.%m.%Y}",
            r1=r1,
            r2=r2,
            exam=exam,
        )
    except AcademicsError as error:
        raise AppealError(str(error)) from None
    grade_appeal.amendment = amendment
    grade_appeal.upheld = True
    grade_appeal.stage = Stage.DECIDED
    _save(grade_appeal, head, ["amendment", "upheld", "stage"])
    after = _grade_text(amendment.letter, amendment.final_percent)
    discipline = grade_appeal.enrolment.offering.discipline.name
    record(case, Event.Type.GRADE_CHANGED, head, f"{discipline}: {before} → {after}")
    workflow.answer_case(head, case, Outcome.UPHELD, answer)
    return grade_appeal


@transaction.atomic
def send_intended_refusal(head: User, application: Application, intended: str, today: date | None = None) -> Hearing:
    """AP-22: before refusing, the head tells the student the intended decision; they may answer in 3 working
    days."""
    grade_appeal = _locked(application)
    _require_head(head, grade_appeal)
    return workflow.send_hearing(head, grade_appeal.application, intended, today)


@transaction.atomic
def refuse(head: User, application: Application, answer: str, today: date | None = None) -> GradeAppeal:
    """AP-18, AP-22: the appeal is refused (after the hearing); the grade stays as it is."""
    grade_appeal = _locked(application)
    _require_head(head, grade_appeal)
    workflow.answer_case(head, grade_appeal.application, Outcome.REFUSED, answer, today)
    grade_appeal.upheld = False
    grade_appeal.stage = Stage.DECIDED
    _save(grade_appeal, head, ["upheld", "stage"])
    return grade_appeal


def can_see_step(user: User, application: Application) -> bool:
    """The step page: the dean of the case's institute and the head it was forwarded to."""
    return is_dean_of(user, application.institute_id) or is_handler(user, application)
