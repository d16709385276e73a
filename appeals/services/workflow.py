"""AP-06 to AP-09, AP-15, AP-20, AP-22: the case's workflow after registration.

The allowed transitions are the table `TRANSITIONS`; each step is one function here, in one
transaction, recording who did it (history and the case's timeline) and telling the applicant.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals import rules
from appeals.errors import AppealError
from appeals.models import (
    Application,
    Assignment,
    Attachment,
    Body,
    Delivery,
    Event,
    Hearing,
    Level,
    Outcome,
    Status,
)
from appeals.permissions import is_dean_of, require_dean, require_handler_or_dean
from appeals.services.filing import case_url, record
from portal.models import Role, RoleAssignment, User
from portal.notifications import notify
from portal.uploads import CONTENT_TYPES, UploadRejected, checked_upload

S = Status
# action -> (statuses it may start from, status it leaves the case in; None keeps the status)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "route": ((S.REGISTERED, S.IN_REVIEW), S.IN_REVIEW),
    "assign": ((S.REGISTERED, S.IN_REVIEW, S.COMMISSION), None),
    "extend": ((S.REGISTERED, S.IN_REVIEW, S.COMMISSION), None),
    "return": ((S.REGISTERED, S.IN_REVIEW), S.RETURNED),
    "terminate": ((S.REGISTERED, S.IN_REVIEW), S.TERMINATED),
    "escalate": ((S.REGISTERED, S.IN_REVIEW), S.IN_REVIEW),
    "refer_to_commission": ((S.REGISTERED, S.IN_REVIEW), S.COMMISSION),
    "hearing": ((S.IN_REVIEW, S.COMMISSION), None),
    "answer": ((S.IN_REVIEW, S.COMMISSION), S.ANSWERED),
    "deliver": ((S.ANSWERED, S.RETURNED, S.TERMINATED), None),
}


def locked(application: Application) -> Application:
    """The case re-read under a row lock: two people acting at once are serialised."""
    # OF self: Postgres refuses FOR UPDATE on the nullable side of an outer join (the applicant is nullable).
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("institute", "applicant")
        .get(pk=application.pk)
    )


def check_transition(application: Application, action: str) -> str:
    """The status after `action`, or a translated error naming the case's current status."""
    sources, target = TRANSITIONS[action]
    if application.status not in sources:
        raise AppealError(
            _("This step is not possible now: the application is “%(status)s”.")
            % {"status": application.get_status_display()}
        )
    return target or application.status


def _save(application: Application, actor: User, fields: list[str]) -> None:
    application._history_user = actor  # type: ignore[attr-defined]
    application.save(update_fields=fields)


def _tell_applicant(application: Application, subject: str, body: str = "") -> None:
    if application.applicant is not None:
        notify([application.applicant, *application.co_applicants.all()], subject, body, case_url(application))


@transaction.atomic
def route(dean: User, application: Application, body: str, handlers: list[User]) -> Application:
    """AP-09: the dean sends the case to a body and assigns its handlers."""
    application = locked(application)
    require_dean(dean, application.institute_id)
    application.status = check_transition(application, "route")
    if body not in Body.values or body == Body.EXPANDED_COMMISSION:
        raise AppealError(_("Choose the body that considers the application."))
    if not handlers:
        raise AppealError(_("Assign at least one handler."))
    application.body = body
    _save(application, dean, ["status", "body"])
    record(application, Event.Type.ROUTED, dean, code=f"body:{application.body}")
    for handler in handlers:
        _assign(dean, application, handler)
    return application


def _assign(actor: User, application: Application, handler: User) -> None:
    if not handler.is_active:
        raise AppealError(_("%(name)s cannot be assigned: the account is not active.") % {"name": handler})
    created = Assignment.objects.get_or_create(application=application, user=handler, defaults={"assigned_by": actor})[
        1
    ]
    if created:
        record(application, Event.Type.ASSIGNED, actor, str(handler), public=False)
        notify(
            [handler],
            _("You are assigned an application: %(number)s") % {"number": application.number},
            _("The answer is due by %(date)s.") % {"date": application.deadline.strftime("%d.%m.%Y")},
            case_url(application),
        )


@transaction.atomic
def assign(dean: User, application: Application, handler: User) -> None:
    """AP-09: one more handler on the case."""
    application = locked(application)
    require_dean(dean, application.institute_id)
    check_transition(application, "assign")
    _assign(dean, application, handler)


@transaction.atomic
def extend_deadline(actor: User, application: Application, new_due: date, reason: str) -> Application:
    """AP-06: put the answer off, up to 30 working days from registration in all, with a reason; the
    applicant is told at once (the rule allows 3 working days)."""
    application = locked(application)
    require_dean(actor, application.institute_id)
    check_transition(application, "extend")
    latest = rules.latest_extension(application.registered_on)
    if not reason.strip():
        raise AppealError(_("Give the reason for the extension."))
    if new_due <= application.deadline:
        raise AppealError(
            _("The new date must be later than the current deadline, %(date)s.")
            % {"date": application.deadline.strftime("%d.%m.%Y")}
        )
    if new_due > latest:
        raise AppealError(
            _("The answer can be put off to %(date)s at the latest: 30 working days from registration.")
            % {"date": latest.strftime("%d.%m.%Y")}
        )
    application.extended_to = new_due
    application.extension_reason = reason.strip()
    _save(application, actor, ["extended_to", "extension_reason"])
    note = f"{new_due:%d.%m.%Y}: {application.extension_reason}"
    record(application, Event.Type.EXTENDED, actor, note)
    _tell_applicant(
        application,
        _("The answer to your application %(number)s is put off to %(date)s")
        % {"number": application.number, "date": new_due.strftime("%d.%m.%Y")},
        application.extension_reason,
    )
    return application


@transaction.atomic
def return_without_consideration(
    dean: User, application: Application, explanation: str, today: date | None = None
) -> Application:
    """AP-07: an application that does not state its substance goes back within 3 working days, with the
    dean's explanation."""
    application = locked(application)
    require_dean(dean, application.institute_id)
    application.status = check_transition(application, "return")
    today = today or timezone.localdate()
    last_day = rules.return_due(application.registered_on)
    if today > last_day:
        raise AppealError(
            _(
                "An application can be returned within 3 working days of registration, by %(date)s; "
                "this one must now be considered and answered."
            )
            % {"date": last_day.strftime("%d.%m.%Y")}
        )
    if not explanation.strip():
        raise AppealError(_("Explain to the applicant why the application is returned."))
    application.closing_note = explanation.strip()
    application.answered_on = rules.act_day(application.registered_on, today)
    application.answered_by = dean
    _save(application, dean, ["status", "closing_note", "answered_on", "answered_by"])
    record(application, Event.Type.RETURNED, dean, application.closing_note)
    _tell_applicant(
        application,
        _("Your application %(number)s is returned without consideration") % {"number": application.number},
        application.closing_note,
    )
    return application


def earlier_answered(application: Application) -> list[Application]:
    """AP-08: the same person's earlier applications that were fully answered and read alike."""
    if application.applicant_id is None:
        return []
    candidates = Application.objects.filter(
        applicant_id=application.applicant_id, status=S.ANSWERED, registered_on__lte=application.registered_on
    ).exclude(pk=application.pk)
    text = f"{application.subject} {application.text}"
    return [
        a for a in candidates.order_by("-registered_on")[:50] if rules.looks_repeated(text, f"{a.subject} {a.text}")
    ]


@transaction.atomic
def terminate_repeated(
    dean: User, application: Application, earlier: Application, notice: str, today: date | None = None
) -> Application:
    """AP-08: a repeated application with no new arguments, the earlier one answered, is terminated with
    a notice to the applicant."""
    application = locked(application)
    require_dean(dean, application.institute_id)
    application.status = check_transition(application, "terminate")
    earlier = Application.objects.get(pk=earlier.pk)  # its current status, not the caller's copy
    if (
        application.applicant_id is None
        or earlier.applicant_id != application.applicant_id
        or earlier.pk == application.pk
        or earlier.registered_on > application.registered_on
    ):
        raise AppealError(_("Only an earlier application of the same applicant can be named."))
    if earlier.status != S.ANSWERED:
        raise AppealError(_("The earlier application has not been answered: this one must be considered."))
    if not notice.strip():
        raise AppealError(_("Write the notice to the applicant."))
    application.earlier = earlier
    application.closing_note = notice.strip()
    application.answered_on = rules.act_day(application.registered_on, today or timezone.localdate())
    application.answered_by = dean
    _save(application, dean, ["status", "earlier", "closing_note", "answered_on", "answered_by"])
    record(application, Event.Type.TERMINATED, dean, f"{earlier.number}: {application.closing_note}")
    _tell_applicant(
        application,
        _("Consideration of your application %(number)s is terminated") % {"number": application.number},
        application.closing_note,
    )
    return application


@transaction.atomic
def send_hearing(actor: User, application: Application, intended: str, today: date | None = None) -> Hearing:
    """AP-22: before refusing, tell the applicant the intended decision and its grounds."""
    application = locked(application)
    require_handler_or_dean(actor, application)
    check_transition(application, "hearing")
    if not intended.strip():
        raise AppealError(_("State the intended decision and its grounds."))
    today = rules.act_day(application.registered_on, today or timezone.localdate())
    pending = application.hearings.filter(answered_at__isnull=True, answer_due__gte=today).first()
    if pending is not None:
        raise AppealError(
            _("The applicant may still answer the intended decision sent on %(sent)s, until %(date)s.")
            % {"sent": pending.opened_on.strftime("%d.%m.%Y"), "date": pending.answer_due.strftime("%d.%m.%Y")}
        )
    hearing = Hearing.objects.create(
        application=application,
        intended_decision=intended.strip(),
        opened_on=today,
        answer_due=rules.hearing_answer_due(today),
        opened_by=actor,
    )
    record(application, Event.Type.HEARING, actor, hearing.intended_decision)
    _tell_applicant(
        application,
        _("Intended decision on your application %(number)s: you may answer by %(date)s")
        % {"number": application.number, "date": hearing.answer_due.strftime("%d.%m.%Y")},
        hearing.intended_decision,
    )
    return hearing


@transaction.atomic
def answer_hearing(
    applicant: User,
    hearing: Hearing,
    answer: str,
    file: UploadedFile | None = None,
    today: date | None = None,
) -> Hearing:
    """AP-22: the applicant's answer (and a document, if any) is attached to the case, within the 3 working
    days and while the case is still being considered."""
    hearing = Hearing.objects.select_for_update().select_related("application", "opened_by").get(pk=hearing.pk)
    application = hearing.application
    if not (applicant.pk == application.applicant_id or application.co_applicants.filter(pk=applicant.pk).exists()):
        raise PermissionDenied
    if hearing.answered_at is not None:
        raise AppealError(_("You have already answered."))
    if application.status not in TRANSITIONS["hearing"][0]:
        raise AppealError(
            _("This step is not possible now: the application is “%(status)s”.")
            % {"status": application.get_status_display()}
        )
    today = today or timezone.localdate()
    if today > hearing.answer_due:
        raise AppealError(
            _("The period to answer ended on %(date)s.") % {"date": hearing.answer_due.strftime("%d.%m.%Y")}
        )
    if not answer.strip():
        raise AppealError(_("Write your answer."))
    kind = None
    if file:
        try:
            kind = checked_upload(file)
        except UploadRejected as error:
            raise AppealError(f"{file.name}: {error}") from None
    hearing.answer = answer.strip()
    hearing.answered_at = timezone.now()
    hearing._history_user = applicant  # type: ignore[attr-defined]
    hearing.save(update_fields=["answer", "answered_at"])
    if file and kind:
        Attachment.objects.create(
            application=application,
            purpose=Attachment.Purpose.HEARING_ANSWER,
            file=file,
            original_name=(file.name or "")[:255],
            content_type=CONTENT_TYPES[kind],
            size=file.size or 0,
            uploaded_by=applicant,
        )
    record(application, Event.Type.HEARING_ANSWER, applicant, hearing.answer)
    staff = {u.pk: u for u in [hearing.opened_by, *(a.user for a in application.assignments.select_related("user"))]}
    notify(
        staff.values(),
        _("The applicant answered the intended decision: %(number)s") % {"number": application.number},
        hearing.answer,
        case_url(application),
    )
    return hearing


def hearing_complete(application: Application, today: date) -> bool:
    """AP-22: a refusal may be decided once the applicant has answered or the 3 working days are over."""
    hearing = application.hearings.order_by("-opened_on", "-id").first()
    return hearing is not None and (hearing.answered_at is not None or today > hearing.answer_due)


@transaction.atomic
def answer_case(
    actor: User, application: Application, outcome: str, text: str, today: date | None = None
) -> Application:
    """AP-15: the answer, with its outcome; the letter PDF is stored with the case. A refusal needs a
    completed hearing (AP-22)."""
    from appeals.services.letters import store_answer_letter

    application = locked(application)
    require_handler_or_dean(actor, application)
    application.status = check_transition(application, "answer")
    today = today or timezone.localdate()
    if outcome not in Outcome.values:
        raise AppealError(_("Choose the outcome."))
    if not text.strip():
        raise AppealError(_("Write the answer."))
    if outcome in (Outcome.REFUSED, Outcome.PARTLY_UPHELD) and not hearing_complete(application, today):
        raise AppealError(
            _("Before a refusal the applicant is told the intended decision and may answer within 3 working days.")
        )
    application.outcome = outcome
    application.answer_text = text.strip()
    application.answered_on = rules.act_day(application.registered_on, today)
    application.answered_by = actor
    application.answer_document = store_answer_letter(application, actor)
    _save(application, actor, ["status", "outcome", "answer_text", "answered_on", "answered_by", "answer_document"])
    record(application, Event.Type.ANSWERED, actor, code=f"outcome:{application.outcome}")
    _tell_applicant(
        application,
        _("Your application %(number)s is answered") % {"number": application.number},
        application.answer_text,
    )
    return application


@transaction.atomic
def record_delivery(
    actor: User,
    application: Application,
    method: str,
    delivered_on: date,
    reference: str = "",
    phone_notice: bool = False,
    today: date | None = None,
) -> Delivery:
    """AP-15: record how the answer reached the applicant, by the ways the rule allows for them."""
    application = locked(application)
    require_handler_or_dean(actor, application)
    check_transition(application, "deliver")
    allowed = rules.delivery_methods(application.applicant_type, bool(application.representative_name))
    if method not in allowed:
        raise AppealError(_("This way of delivery is not provided for this applicant."))
    if method in (Delivery.Method.IN_PERSON, Delivery.Method.POST) and not reference.strip():
        raise AppealError(_("Record the signature or the postal receipt number."))
    answered_on = application.answered_on or application.registered_on
    if delivered_on > rules.act_day(answered_on, today or timezone.localdate()):
        raise AppealError(_("The delivery date cannot be in the future."))
    if application.answered_on and delivered_on < application.answered_on:
        raise AppealError(
            _("The answer cannot be delivered before it was given, %(date)s.")
            % {"date": application.answered_on.strftime("%d.%m.%Y")}
        )
    delivery = Delivery(
        application=application,
        method=method,
        delivered_on=delivered_on,
        reference=reference.strip(),
        phone_notice=phone_notice,
        recorded_by=actor,
    )
    delivery._history_user = actor  # type: ignore[attr-defined]
    delivery.save()
    record(application, Event.Type.DELIVERED, actor, code=f"method:{delivery.method}")
    return delivery


# AP-20 (002 8.2): who holds each level of the ladder (the advisor's level is the advisor's own).
LEVEL_ROLES: dict[int, str] = {
    Level.DEPARTMENT: Role.HEAD_OF_DEPARTMENT,
    Level.INSTITUTE: Role.DEAN,
    Level.VICE_RECTOR: Role.VICE_RECTOR_SOCIAL,
    Level.RECTOR: Role.RECTOR,
}


def level_officials(level: int, institute_id: int) -> QuerySet[User]:
    """AP-20: the active people holding the role of a ladder level over the institute: a head of one of its
    departments, its dean, the vice-rector, the rector."""
    role = LEVEL_ROLES.get(level)
    if role is None:
        return User.objects.none()
    scope = (
        Q(institute_id=institute_id)
        | Q(department__institute_id=institute_id)
        | Q(university__institutes=institute_id)
        | Q(university__isnull=True, institute__isnull=True, department__isnull=True, group__isnull=True)
    )
    ids = RoleAssignment.objects.active().filter(role=role).filter(scope).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True)


@transaction.atomic
def escalate(actor: User, application: Application, to_level: int, handler: User, reason: str) -> Application:
    """AP-20: pass the case up the ladder advisor, department, institute, vice-rector, rector."""
    application = locked(application)
    if not (is_dean_of(actor, application.institute_id) or application.assignments.filter(user=actor).exists()):
        raise PermissionDenied
    application.status = check_transition(application, "escalate")
    if to_level <= application.level or to_level not in Level.values:
        raise AppealError(_("A case can only be passed to a higher level."))
    if not reason.strip():
        raise AppealError(_("Say why the case is passed on."))
    if not level_officials(to_level, application.institute_id).filter(pk=handler.pk).exists():
        raise AppealError(
            _("%(name)s does not hold the role of this level (%(level)s).")
            % {"name": handler, "level": Level(to_level).label}
        )
    application.level = to_level
    _save(application, actor, ["status", "level"])
    record(application, Event.Type.ESCALATED, actor, reason.strip(), code=f"level:{Level(to_level).value}")
    _assign(actor, application, handler)
    return application
