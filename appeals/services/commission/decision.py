"""AP-12: the commission's decision, recorded as a protocol, and the answer that follows it.

Facts confirmed: measures are taken (disciplinary ones included) and must be written down. Facts not
confirmed, or the application knowingly false or insulting: the commission records that and may take
measures against the applicant. Only the chair records the decision; the protocol PDF (case number,
the order, members present, facts, decision, measures, recommendations, a signature line for every
seat) is stored with it. The answer then follows from the finding: upheld when the facts are
confirmed, refused otherwise, and a refusal needs the hearing of AP-22 first.
"""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.errors import AppealError
from appeals.models import Application, Commission, Decision, Event, Hearing, Outcome, Recommendation, Status
from appeals.services import workflow
from appeals.services.commission.access import locked, require_chair
from appeals.services.commission.forming import commission_url, ordered_seats
from appeals.services.commission.recommendations import recommendation_url
from appeals.services.filing import record
from portal.documents import issue_document, render_pdf
from portal.models import Document, User
from portal.notifications import notify

Facts = Decision.Facts
MAX_TEXT_CHARS = 10_000


def outcome_for(facts: str) -> str:
    """AP-12: the answer's outcome follows the finding: confirmed facts uphold the application."""
    return Outcome.UPHELD if facts == Facts.CONFIRMED else Outcome.REFUSED


@transaction.atomic
def record_decision(
    chair: User,
    application: Application,
    *,
    facts: str,
    reasoning: str,
    measures: str = "",
    present: Iterable[int],
    decided_on: date | None = None,
) -> Decision:
    """AP-12: the chair records the commission's decision; the protocol PDF is issued and stored with it."""
    application = locked(application)
    require_chair(chair, application)
    if application.status != Status.COMMISSION:
        raise AppealError(
            _("This step is not possible now: the application is “%(status)s”.")
            % {"status": application.get_status_display()}
        )
    if Decision.objects.filter(application=application).exists():
        raise AppealError(_("The commission has already recorded its decision."))
    commission = Commission.objects.get(application=application)
    today = max(timezone.localdate(), commission.order_date)  # an order dated on the registration day (AP-04)
    decided_on = decided_on or today
    reasoning, measures = reasoning.strip(), measures.strip()
    if facts not in Facts.values:
        raise AppealError(_("Choose the commission's finding on the facts."))
    if not reasoning:
        raise AppealError(_("State the facts the commission established."))
    if len(reasoning) > MAX_TEXT_CHARS or len(measures) > MAX_TEXT_CHARS:
        raise AppealError(_("The text is too long: at most %(n)d characters.") % {"n": MAX_TEXT_CHARS})
    if facts == Facts.CONFIRMED and not measures:
        raise AppealError(_("The facts are confirmed: record the measures to be taken, disciplinary ones included."))
    if decided_on > today:
        raise AppealError(_("The decision date cannot be in the future."))
    if decided_on < commission.order_date:
        raise AppealError(
            _("The decision cannot be dated before the order that formed the commission, %(date)s.")
            % {"date": commission.order_date.strftime("%d.%m.%Y")}
        )
    seats = {s.pk: s for s in commission.seats.all()}
    present_ids = {int(pk) for pk in present}
    if not present_ids <= seats.keys():
        raise AppealError(_("Only members of the commission can be marked present."))
    present_ids |= {pk for pk, s in seats.items() if s.user_id == chair.pk}
    decision = Decision(
        application=application,
        facts=facts,
        reasoning=reasoning,
        measures=measures,
        decided_on=decided_on,
        recorded_by=chair,
    )
    decision.protocol = store_protocol(decision, chair, present_ids)
    decision._history_user = chair  # type: ignore[attr-defined]
    decision.save()
    decision.present.set(present_ids)
    record(application, Event.Type.DECIDED, chair, code=f"facts:{decision.facts}")
    others = [s.user for s in seats.values() if s.user_id != chair.pk]
    notify(
        others,
        _("The expanded commission decided on application %(number)s") % {"number": application.number},
        decision.get_facts_display(),
        commission_url(application),
    )
    _issue_recommendations(application)
    return decision


def _issue_recommendations(application: Application) -> None:
    """AP-13: with the decision, the recommendations bind the people responsible; each is told."""
    for rec in Recommendation.objects.filter(application=application).select_related("responsible"):
        notify(
            [rec.responsible],
            _("A binding recommendation of the expanded commission, due %(date)s")
            % {"date": rec.due_on.strftime("%d.%m.%Y")},
            rec.text,
            recommendation_url(rec),
        )


def protocol_context(decision: Decision, present: set[int] | None = None) -> dict[str, object]:
    """What the protocol shows; `present` are seat ids (by default the decision's, once saved)."""
    application = decision.application
    commission = application.commission
    if present is None:
        present = set(decision.present.values_list("pk", flat=True))
    seats = ordered_seats(commission)
    return {
        "application": application,
        "commission": commission,
        "decision": decision,
        "seats": seats,
        "present": [s for s in seats if s.pk in present],
        "absent": [s for s in seats if s.pk not in present],
        "recommendations": list(application.recommendations.select_related("responsible")),
        "document_requests": list(application.document_requests.select_related("department")),
        "co_applicants": list(application.co_applicants.all()),
    }


def protocol_pdf(decision: Decision, language: str | None = None, present: set[int] | None = None) -> bytes:
    """AP-12: the protocol, registered under the case's number and dated the day of the decision."""
    return render_pdf(
        "appeals/pdf/protocol.html",
        protocol_context(decision, present),
        registration_number=decision.application.number,
        registration_date=decision.decided_on,
        language=language,
    )


def store_protocol(decision: Decision, actor: User, present: set[int]) -> Document:
    return issue_document(
        kind="appeal-protocol",
        title=_("Protocol of the expanded commission on application %(number)s")
        % {"number": decision.application.number},
        pdf=protocol_pdf(decision, present=present),
        registration_number=decision.application.number,
        registration_date=decision.decided_on,
        created_by=actor,
    )


def _decision_of(application: Application) -> Decision:
    decision = Decision.objects.filter(application=application).first()
    if decision is None:
        raise AppealError(_("The commission has not recorded its decision yet."))
    return decision


def send_intended_refusal(chair: User, application: Application, intended: str, today: date | None = None) -> Hearing:
    """AP-12, AP-22: facts not confirmed: before the refusal the applicant hears the intended decision."""
    require_chair(chair, application)
    decision = _decision_of(application)
    if decision.facts == Facts.CONFIRMED:
        raise AppealError(_("The facts are confirmed: the application is upheld, no hearing is needed."))
    return workflow.send_hearing(chair, application, intended, today)


def answer_from_decision(chair: User, application: Application, text: str, today: date | None = None) -> Application:
    """AP-12, AP-15: answer the applicant with the outcome the finding gives (a refusal after the hearing)."""
    require_chair(chair, application)
    decision = _decision_of(application)
    return workflow.answer_case(chair, application, outcome_for(decision.facts), text, today)
