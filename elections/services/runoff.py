"""EL-17: the run-off after a tie for first place (our rule, not in the regulation): a new election
between exactly the tied candidates, run by the same commission.
"""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from elections import rules
from elections.errors import ElectionError
from elections.models import Candidate, CommissionMember, Election
from elections.permissions import require_commission
from elections.services.results import Results
from portal.models import User
from portal.notifications import notify

Phase = rules.Phase
RUNOFF_DAYS_AFTER = 7  # default run-off day: a week after election day


def default_runoff_day(election: Election, today: date) -> date:
    """EL-17: a week after election day, moved on to the next weekday after today if needed."""
    day = election.election_day + timedelta(days=RUNOFF_DAYS_AFTER)
    while day <= today + timedelta(days=1) or day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@transaction.atomic
def call_runoff(
    actor: User, election: Election, election_day: date | None = None, now: datetime | None = None
) -> Election:
    """EL-17 (our rule, not in the regulation): after a tie for first place, a new draft election for the
    same position and year between exactly the tied candidates, copied as registered with their portfolios;
    the same commission runs it; election day is chosen by the commission (a weekday, a week later by default)."""
    now = now or timezone.now()
    require_commission(actor, election)
    today = timezone.localdate(now)
    locked = Election.objects.select_for_update().select_related("academic_year").get(pk=election.pk)
    if locked.stored_phase < Phase.PROTOCOL_SIGNED:
        raise ElectionError(_("A run-off is called once the protocol is signed."))
    results = Results.from_json(locked.protocol.results)
    if not results.runoff_ids:
        raise ElectionError(_("There is no tie for first place: no run-off is needed."))
    if locked.runoffs.exists():
        raise ElectionError(_("The run-off is already called."))
    day = election_day or default_runoff_day(locked, today)
    if day.weekday() >= 5:
        raise ElectionError(_("The run-off must be held on a weekday."))
    if day <= today + timedelta(days=1):
        raise ElectionError(_("The run-off must be at least two days ahead, to publish its ballot before silence day."))
    year = locked.academic_year
    if not year.starts_on <= day <= year.ends_on:
        raise ElectionError(_("Election day must fall within the academic year %(year)s.") % {"year": year})
    runoff = Election(
        position=locked.position,
        academic_year=year,
        mode=locked.mode,
        election_day=day,
        # No new candidates: registration ended with the first round.
        registration_deadline=today - timedelta(days=1),
        voter_levels=locked.voter_levels,
        meetings_per_candidate=locked.meetings_per_candidate,
        runoff_of=locked,
    )
    runoff._history_user = actor  # type: ignore[attr-defined]
    runoff.save()
    for seat in locked.commission.all():
        copy = CommissionMember(election=runoff, user_id=seat.user_id, role=seat.role, deciding_vote=seat.deciding_vote)
        copy._history_user = actor  # type: ignore[attr-defined]
        copy.save()
    tied = Candidate.objects.filter(pk__in=results.runoff_ids).select_related("student__user")
    for candidate in tied:
        _copy_candidate(actor, candidate, runoff)
    notify(
        [c.student.user for c in tied],
        _("You stand in the run-off"),
        _("A tie for first place: the run-off is held on %(day)s.") % {"day": day.strftime("%d.%m.%Y")},
    )
    return runoff


PORTFOLIO_FIELDS = (
    "photo",
    "cv",
    "programme",
    "intent",
    "standard_info",
    "transcript",
    "recommendation",
    "recommended_by",
    "recommended_at",
    "eligibility_reasons",
    "programme_checked",
    "reviewed_by",
    "reviewed_at",
)


def _copy_candidate(actor: User, candidate: Candidate, runoff: Election) -> Candidate:
    copy = Candidate(election=runoff, student=candidate.student, status=Candidate.Status.REGISTERED)
    for name in PORTFOLIO_FIELDS:
        setattr(copy, name, getattr(candidate, name))
    copy._history_user = actor  # type: ignore[attr-defined]
    copy.save()
    return copy


@transaction.atomic
def publish_runoff_candidates(actor: User, runoff: Election, now: datetime | None = None) -> Election:
    """EL-17, EL-08: a run-off has no registration: the commission publishes its ballot (the tied
    candidates) and the campaign starts; from then on the clock moves it like any election."""
    now = now or timezone.now()
    require_commission(actor, runoff)
    locked = Election.objects.select_for_update().get(pk=runoff.pk)
    if locked.runoff_of_id is None or locked.stored_phase != Phase.DRAFT:
        raise ElectionError(_("Only a run-off in draft is published this way."))
    if now >= locked.schedule.silence_starts_at:
        raise ElectionError(_("Silence day has begun: move the run-off's election day first."))
    locked.phase = Phase.CAMPAIGN.name
    locked.candidates_published_at = now
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save(update_fields=["phase", "candidates_published_at"])
    registered = Candidate.objects.filter(election=locked, status=Candidate.Status.REGISTERED)
    notify(
        [c.student.user for c in registered.select_related("student__user")],
        _("The run-off ballot is published: the campaign has started"),
        _("Voting is held on %(day)s.") % {"day": locked.election_day.strftime("%d.%m.%Y")},
    )
    runoff.refresh_from_db()
    return locked
