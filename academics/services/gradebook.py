"""The teacher's gradebook: enter scores, sign the exam statement, amend after signing (AC-03..AC-08, AC-23)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academics import rules
from academics.errors import AcademicsError
from academics.models import Enrolment, GradeAmendment, GradeRecord, Offering, Term
from portal.documents import issue_document, render_pdf
from portal.models import Role, User
from portal.permissions import holds_role_over_group
from portal.text import kazakh_sort_key


def is_offering_teacher(user: User, offering: Offering) -> bool:
    return offering.teachers.filter(pk=user.pk).exists()


def _score(value: object, label: str) -> Decimal | None:
    """A typed score; a decimal comma (as kk/ru users type and as the page shows) is accepted."""
    if isinstance(value, str):
        value = value.strip().replace("\xa0", "").replace(",", ".")
    if value is None or value == "":
        return None
    try:
        return rules.parse_score(value)  # type: ignore[arg-type]
    except ValueError:
        raise AcademicsError(_("%(field)s must be a number from 0 to 100.") % {"field": label}) from None


def _window(term: Term, name: str) -> tuple[date | None, date | None]:
    if name == "current_control":
        return term.starts_on, term.r2_entry_closes
    return term.entry_window(name)


def _outside(window: tuple[date | None, date | None], today: date) -> bool:
    """Before the window opens or after it closes (an empty side is open-ended)."""
    opens, closes = window
    return bool((opens and today < opens) or (closes and today > closes))


def _check_window(term: Term, name: str, today: date) -> None:
    """AC-01/AC-03: a component is entered only inside its entry window of the academic calendar."""
    opens, closes = window = _window(term, name)
    if _outside(window, today):
        raise AcademicsError(
            _("%(field)s can be entered from %(opens)s to %(closes)s only.")
            % {"field": _label(name), "opens": _day(opens), "closes": _day(closes)}
        )


def _scores(values: dict[str, object], exam_no_show: bool) -> dict[str, Decimal | None]:
    """AC-03: a row's typed scores, each 0-100 or empty; a no-show's exam is left empty (AC-08: it counts 0)."""
    scores = {name: _score(values.get(name), _label(name)) for name in ROW_FIELDS}
    if exam_no_show:
        scores["exam"] = None
    return scores


def _changed(grade: GradeRecord | None, scores: dict[str, Decimal | None], exam_no_show: bool) -> list[str]:
    """The components whose score, or the exam's no-show mark, differs from what is saved."""
    was_no_show = bool(grade and grade.exam_no_show)
    return [
        name
        for name, value in scores.items()
        if value != (getattr(grade, name) if grade else None) or (name == "exam" and exam_no_show != was_no_show)
    ]


def _day(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "…"


def compute_result(grade: GradeRecord | GradeAmendment, exam_no_show: bool, policy_version: str) -> None:
    """Fill the computed result once R1, R2 and the exam (or a no-show, AC-08: 0) are known."""
    exam = Decimal(0) if exam_no_show else grade.exam
    if grade.r1 is None or grade.r2 is None or exam is None:
        grade.final_percent, grade.letter, grade.points = None, "", None
        return
    grade.final_percent = rules.final_percentage(grade.r1, grade.r2, exam)
    grade.letter, grade.points = rules.letter_grade(grade.final_percent)
    grade.policy_version = policy_version


@transaction.atomic
def record_scores(
    teacher: User,
    enrolment: Enrolment,
    *,
    current_control: object = None,
    r1: object = None,
    r2: object = None,
    exam: object = None,
    exam_no_show: bool = False,
) -> GradeRecord:
    """AC-03/AC-04/AC-05/AC-08: the teacher enters scores; final percentage and letter are computed."""
    offering = enrolment.offering
    if not is_offering_teacher(teacher, offering):
        raise PermissionDenied
    grade, _created = GradeRecord.objects.select_for_update().get_or_create(enrolment=enrolment)
    if grade.is_signed:
        raise AcademicsError(_("The exam statement is signed: this grade can change only through an amendment."))
    scores = _scores({"current_control": current_control, "r1": r1, "r2": r2, "exam": exam}, exam_no_show)
    today = timezone.localdate()
    for name in _changed(grade, scores, exam_no_show):
        _check_window(offering.term, name, today)
    for name, value in scores.items():
        setattr(grade, name, value)
    grade.exam_no_show = exam_no_show
    compute_result(grade, exam_no_show, offering.term.academic_year.policy_version)
    grade._history_user = teacher  # type: ignore[attr-defined]
    grade.save()
    return grade


@transaction.atomic
def sign_statement(teacher: User, offering: Offering) -> int:
    """AC-23: signing freezes every grade of the offering; all must be complete. Returns how many."""
    if not is_offering_teacher(teacher, offering):
        raise PermissionDenied
    enrolments = list(offering.enrolments.select_related("student__user", "student__group"))
    grades = {g.enrolment_id: g for g in GradeRecord.objects.select_for_update().filter(enrolment__offering=offering)}
    incomplete = [e.student.user.full_name for e in enrolments if grades.get(e.pk) is None or not grades[e.pk].letter]
    if incomplete:
        raise AcademicsError(
            _("The statement cannot be signed: grades are incomplete for %(names)s.") % {"names": ", ".join(incomplete)}
        )
    if any(g.is_signed for g in grades.values()):
        raise AcademicsError(_("This exam statement is already signed."))
    now = timezone.now()
    for grade in grades.values():
        grade.signed_at, grade.signed_by = now, teacher
        grade._history_user = teacher  # type: ignore[attr-defined]
        grade.save(update_fields=["signed_at", "signed_by"])
    _issue_statement(teacher, offering, enrolments, grades)
    return len(grades)


def _issue_statement(
    teacher: User, offering: Offering, enrolments: list[Enrolment], grades: dict[int, GradeRecord]
) -> None:
    """The signed exam statement as a stored PDF with its registration number (PT-07)."""
    today = timezone.localdate()
    number = f"{offering.discipline.code}/{offering.term.academic_year}/{offering.pk}"
    rows = [(e, grades[e.pk]) for e in sorted(enrolments, key=lambda e: kazakh_sort_key(e.student.user.full_name))]
    pdf = render_pdf(
        "academics/pdf/exam_statement.html",
        {"offering": offering, "rows": rows, "teacher": teacher},
        registration_number=number,
        registration_date=today,
    )
    offering.statement = issue_document(
        kind="exam_statement",
        title=str(offering),
        pdf=pdf,
        registration_number=number,
        registration_date=today,
        created_by=teacher,
    )
    offering.save(update_fields=["statement"])


def can_amend(actor: User, grade: GradeRecord, kind: str) -> bool:
    """FX retakes are entered by the offering's teacher; corrections by the dean; appeal decisions by the
    head of department (AP-18) or the dean."""
    group = grade.enrolment.student.group
    if kind == GradeAmendment.Kind.FX_RETAKE:
        return is_offering_teacher(actor, grade.enrolment.offering)
    if kind == GradeAmendment.Kind.DEAN_CORRECTION:
        return holds_role_over_group(actor, (Role.DEAN,), group)
    return holds_role_over_group(actor, (Role.DEAN, Role.HEAD_OF_DEPARTMENT), group)


@transaction.atomic
def amend_grade(
    actor: User,
    grade: GradeRecord,
    *,
    kind: str,
    reason: str,
    document_reference: str,
    r1: object = None,
    r2: object = None,
    exam: object = None,
) -> GradeAmendment:
    """AC-23: change a signed grade by an amendment; the teacher's entry stays as it was."""
    grade = (
        GradeRecord.objects.select_for_update()
        .select_related("enrolment__offering__term__academic_year")
        .get(pk=grade.pk)
    )
    if kind not in GradeAmendment.Kind.values or kind == GradeAmendment.Kind.FX_EXPIRED:
        raise AcademicsError(_("Unknown kind of amendment."))
    if not can_amend(actor, grade, kind):
        raise PermissionDenied
    if not grade.is_signed:
        raise AcademicsError(_("The statement is not signed yet: the teacher corrects the entry directly."))
    if not reason.strip() or not document_reference.strip():
        raise AcademicsError(_("An amendment needs a reason and the document behind it."))
    if kind == GradeAmendment.Kind.FX_RETAKE and grade.letter != "FX":
        raise AcademicsError(
            _("Only an FX grade can be retaken; a passed grade is improved by enrolling again in a later term.")
        )
    if kind == GradeAmendment.Kind.FX_RETAKE:
        opens, closes = window = grade.enrolment.offering.term.entry_window("fx")
        if _outside(window, timezone.localdate()):
            raise AcademicsError(
                _("FX retakes of this term are recorded from %(opens)s to %(closes)s only.")
                % {"opens": _day(opens), "closes": _day(closes)}
            )
    latest = grade.amendments.last()
    base = latest or grade
    amendment = GradeAmendment(
        grade=grade,
        kind=kind,
        r1=_score(r1, _label("r1")) if r1 not in (None, "") else base.r1,
        r2=_score(r2, _label("r2")) if r2 not in (None, "") else base.r2,
        exam=_score(exam, _label("exam")) if exam not in (None, "") else (base.exam or Decimal(0)),
        reason=reason.strip(),
        document_reference=document_reference.strip(),
        created_by=actor,
    )
    compute_result(amendment, False, grade.enrolment.offering.term.academic_year.policy_version)
    if amendment.letter == "":
        raise AcademicsError(_("The amendment needs R1, R2 and the exam score."))
    amendment.save()
    grade.final_percent, grade.letter, grade.points = amendment.final_percent, amendment.letter, amendment.points
    grade.policy_version = amendment.policy_version
    grade._history_user = actor  # type: ignore[attr-defined]
    grade.save(update_fields=["final_percent", "letter", "points", "policy_version"])
    return amendment


ROW_FIELDS = ("current_control", "r1", "r2", "exam")


@transaction.atomic
def record_gradebook(teacher: User, offering: Offering, rows: dict[int, dict[str, object]]) -> dict[int, str]:
    """Save a whole gradebook page: every row is checked first; any error saves nothing.

    `rows` maps enrolment id -> {field: raw value, "exam_no_show": bool}. Returns errors by enrolment id.
    """
    if not is_offering_teacher(teacher, offering):
        raise PermissionDenied
    enrolments = {e.pk: e for e in offering.enrolments.select_related("offering__term__academic_year")}
    saved = {g.enrolment_id: g for g in GradeRecord.objects.filter(enrolment__offering=offering)}
    today = timezone.localdate()
    errors: dict[int, str] = {}
    changed: set[int] = set()
    for enrolment_id, row in rows.items():
        if enrolment_id not in enrolments:
            raise AcademicsError(_("This student is not enrolled in the offering."))
        grade = saved.get(enrolment_id)
        no_show = bool(row.get("exam_no_show"))
        try:
            names = _changed(grade, _scores(row, no_show), no_show)
            if names and grade is not None and grade.is_signed:
                raise AcademicsError(
                    _("The exam statement is signed: this grade can change only through an amendment.")
                )
            for name in names:
                _check_window(offering.term, name, today)
        except AcademicsError as exc:
            errors[enrolment_id] = str(exc)
        else:
            if names:
                changed.add(enrolment_id)
    if errors:
        return errors
    for enrolment_id in sorted(changed):
        row = rows[enrolment_id]
        values = {name: row.get(name) for name in ROW_FIELDS}
        record_scores(teacher, enrolments[enrolment_id], exam_no_show=bool(row.get("exam_no_show")), **values)
    return {}


def _label(name: str) -> str:
    return {
        "current_control": _("Current control"),
        "r1": _("Midterm 1 (R1)"),
        "r2": _("Midterm 2 (R2)"),
        "exam": _("Final exam"),
    }[name]


@transaction.atomic
def expire_fx_grades(today: date) -> int:
    """AC-09: FX grades not retaken before the next academic period starts become F (scheduled sweep).

    Idempotent: an expired grade is F afterwards, so a second run finds nothing.
    """
    expired = 0
    grades = (
        GradeRecord.objects.select_for_update()
        .filter(letter="FX", signed_at__isnull=False)
        .select_related("enrolment__offering__term__academic_year")
    )
    for grade in grades:
        term = grade.enrolment.offering.term
        next_term = Term.objects.filter(starts_on__gt=term.ends_on).order_by("starts_on").first()
        if next_term is None or not rules.fx_becomes_f(next_term.starts_on, today, valid_reason=False):
            continue
        amendment = GradeAmendment(
            grade=grade,
            kind=GradeAmendment.Kind.FX_EXPIRED,
            r1=grade.r1,
            r2=grade.r2,
            exam=grade.exam or Decimal(0),
            final_percent=grade.final_percent or Decimal(0),
            letter="F",
            points=Decimal(0),
            policy_version=term.academic_year.policy_version,
            reason=_("FX not retaken before the next academic period started."),
            document_reference=str(next_term),
        )
        amendment.save()
        grade.letter, grade.points = "F", Decimal(0)
        grade.save(update_fields=["letter", "points"])
        expired += 1
    return expired
