"""AP-13: recommendations that remove the causes of a conflict are binding on the participants.

The chair drafts them while the commission sits; the decision's protocol lists them and from then on
they bind the person responsible, who reports each one done with a note. The commission page lists
the open and overdue ones, and the case shows when all are carried out.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.errors import AppealError
from appeals.models import Application, Decision, Event, Recommendation
from appeals.services.commission.access import chairs_of, locked, require_chair, require_sitting
from appeals.services.commission.forming import commission_url
from appeals.services.filing import record
from portal.models import User
from portal.notifications import notify

MAX_TEXT_CHARS = 4000


def recommendation_url(recommendation: Recommendation) -> str:
    return reverse("appeals:recommendation", args=[recommendation.pk])


def is_overdue(recommendation: Recommendation, today: date) -> bool:
    return recommendation.completed_at is None and recommendation.due_on < today


@transaction.atomic
def add_recommendation(
    chair: User, application: Application, text: str, responsible: User, due_on: date, today: date | None = None
) -> Recommendation:
    """AP-13: the chair drafts a recommendation for the protocol, with the person responsible and a due date."""
    application = locked(application)
    require_chair(chair, application)
    require_sitting(application)
    today = today or timezone.localdate()
    text = text.strip()
    if not text:
        raise AppealError(_("Write the recommendation."))
    if len(text) > MAX_TEXT_CHARS:
        raise AppealError(_("The recommendation is too long: at most %(n)d characters.") % {"n": MAX_TEXT_CHARS})
    if not responsible.is_active:
        raise AppealError(_("%(name)s cannot be made responsible: the account is not active.") % {"name": responsible})
    if due_on <= today:
        raise AppealError(_("The due date must be later than today."))
    recommendation = Recommendation(application=application, text=text, responsible=responsible, due_on=due_on)
    recommendation._history_user = chair  # type: ignore[attr-defined]
    recommendation.save()
    return recommendation


@transaction.atomic
def withdraw_recommendation(chair: User, recommendation: Recommendation) -> None:
    """AP-13: a draft is taken out before the decision; after it, the protocol binds."""
    application = locked(recommendation.application)
    require_chair(chair, application)
    require_sitting(application)
    recommendation._history_user = chair  # type: ignore[attr-defined]
    recommendation.delete()


@transaction.atomic
def complete_recommendation(
    user: User, recommendation: Recommendation, note: str, now: datetime | None = None
) -> Recommendation:
    """AP-13: the person responsible reports the recommendation carried out, with what was done."""
    recommendation = Recommendation.objects.select_for_update().select_related("application").get(pk=recommendation.pk)
    if user.pk != recommendation.responsible_id:
        raise PermissionDenied
    application = recommendation.application
    if not Decision.objects.filter(application=application).exists():
        raise AppealError(_("The commission has not decided yet: the recommendation is still a draft."))
    if recommendation.completed_at is not None:
        raise AppealError(_("This recommendation is already reported carried out."))
    note = note.strip()
    if not note:
        raise AppealError(_("Write what was done."))
    if len(note) > MAX_TEXT_CHARS:
        raise AppealError(_("The note is too long: at most %(n)d characters.") % {"n": MAX_TEXT_CHARS})
    recommendation.completed_at = now or timezone.now()
    recommendation.completion_note = note
    recommendation._history_user = user  # type: ignore[attr-defined]
    recommendation.save(update_fields=["completed_at", "completion_note"])
    record(
        application,
        Event.Type.DECIDED,
        user,
        _("Recommendation carried out (%(name)s): %(text)s") % {"name": user, "text": recommendation.text},
        public=False,
    )
    all_done = not application.recommendations.filter(completed_at__isnull=True).exists()
    if all_done:
        record(application, Event.Type.DECIDED, user, _("All the commission's recommendations are carried out."))
    notify(
        chairs_of(application),
        (
            _("All the recommendations on application %(number)s are carried out")
            if all_done
            else _("A recommendation on application %(number)s is carried out")
        )
        % {"number": application.number},
        f"{recommendation.text}\n\n{note}",
        commission_url(application),
    )
    return recommendation


def issued_to(user: User) -> QuerySet[Recommendation]:
    """AP-13: the user's recommendations issued by a decision, open ones first, earliest due first."""
    return (
        Recommendation.objects.filter(responsible=user, application__decision__isnull=False)
        .select_related("application")
        .order_by(F("completed_at").asc(nulls_first=True), "due_on", "id")
    )


def open_for(user: User) -> QuerySet[Recommendation]:
    return issued_to(user).filter(completed_at__isnull=True)


def all_carried_out_on(recommendations: list[Recommendation]) -> datetime | None:
    """When the last of the case's recommendations was carried out; None while any is open (or none exist)."""
    if not recommendations or any(r.completed_at is None for r in recommendations):
        return None
    return max(r.completed_at for r in recommendations if r.completed_at is not None)
