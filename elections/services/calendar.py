"""EL-01, EL-02: creating an election, its commission, and moving its phases.

The commission moves an election from draft to registration and publishes the candidate list
(campaign); from then on the clock brings silence day, voting and counting. `sync_phase` stores
what the clock says and does what each boundary requires (hide campaign material, freeze the roll);
the periodic job calls it, and so does every service that depends on the phase, so a late job
changes nothing a voter or candidate can do.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academics.models import AcademicYear
from elections import rules
from elections.errors import ElectionError
from elections.models import Candidate, CommissionMember, Election
from elections.permissions import require_commission, require_organiser
from portal.models import Programme, User
from portal.notifications import notify

Phase = rules.Phase


def _save(election: Election, actor: User | None, fields: list[str]) -> None:
    election._history_user = actor  # type: ignore[attr-defined]
    election.save(update_fields=fields)


@transaction.atomic
def create_election(
    organiser: User,
    academic_year: AcademicYear,
    *,
    position: str = Election.Position.SG_PRESIDENT,
    mode: str = Election.Mode.HYBRID,
    election_day: date | None = None,
    voter_levels: list[str] | None = None,
) -> Election:
    """EL-01: a draft election; election day defaults to the last Friday of September of the year it
    starts, the registration deadline to 14 days before."""
    require_organiser(organiser)
    day = election_day or rules.election_day(academic_year.start_year)
    levels = list(voter_levels) if voter_levels is not None else list(Programme.Level.values)
    _check_levels(levels)
    if not academic_year.starts_on <= day <= academic_year.ends_on:
        raise ElectionError(_("Election day must fall within the academic year %(year)s.") % {"year": academic_year})
    election = Election(
        academic_year=academic_year,
        position=position,
        mode=mode,
        election_day=day,
        registration_deadline=rules.registration_deadline(day),
        voter_levels=levels,
    )
    election._history_user = organiser  # type: ignore[attr-defined]
    election.save()
    return election


def _check_levels(levels: list[str]) -> None:
    if not levels or any(level not in Programme.Level.values for level in levels):
        raise ElectionError(_("Choose at least one study level whose students vote."))


@transaction.atomic
def update_calendar(
    organiser: User, election: Election, *, election_day: date, mode: str, voter_levels: list[str]
) -> Election:
    """Change the day, mode or voting levels while the election is a draft or in registration."""
    require_organiser(organiser)
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.stored_phase > Phase.REGISTRATION:
        raise ElectionError(_("The calendar cannot change once the candidate list is published."))
    _check_levels(voter_levels)
    if election_day <= timezone.localdate():
        raise ElectionError(_("Election day must be in the future."))
    election.election_day = election_day
    election.registration_deadline = rules.registration_deadline(election_day)
    election.mode = mode
    election.voter_levels = voter_levels
    _save(election, organiser, ["election_day", "registration_deadline", "mode", "voter_levels"])
    return election


@transaction.atomic
def appoint_member(
    organiser: User, election: Election, user: User, role: str, deciding_vote: bool = True
) -> CommissionMember:
    """EL-02: seat a person on the commission (one chair, one secretary, any number of members)."""
    require_organiser(organiser)
    if election.stored_phase >= Phase.PROTOCOL_SIGNED:
        raise ElectionError(_("The commission cannot change after the protocol is signed."))
    if CommissionMember.objects.filter(election=election, user=user).exists():
        raise ElectionError(_("%(name)s already sits on this commission.") % {"name": user.full_name})
    if role != CommissionMember.Role.MEMBER and CommissionMember.objects.filter(election=election, role=role).exists():
        raise ElectionError(_("The commission already has a %(role)s.") % {"role": CommissionMember.Role(role).label})
    member = CommissionMember(election=election, user=user, role=role, deciding_vote=deciding_vote)
    member._history_user = organiser  # type: ignore[attr-defined]
    member.save()
    return member


@transaction.atomic
def remove_member(organiser: User, member: CommissionMember) -> None:
    require_organiser(organiser)
    if member.election.stored_phase >= Phase.VOTING:
        raise ElectionError(_("The commission cannot change once voting has begun."))
    member._history_user = organiser  # type: ignore[attr-defined]
    member.delete()


@transaction.atomic
def open_registration(actor: User, election: Election, now: datetime | None = None) -> Election:
    """EL-01, EL-05: the commission opens candidate registration."""
    now = now or timezone.now()
    require_commission(actor, election)
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.stored_phase != Phase.DRAFT:
        raise ElectionError(_("Registration can be opened only from a draft."))
    if now >= election.schedule.registration_closes_at:
        raise ElectionError(_("The registration deadline has already passed: move election day first."))
    if not CommissionMember.objects.filter(election=election, role=CommissionMember.Role.CHAIR).exists():
        raise ElectionError(_("Appoint the commission's chair first."))
    election.phase = Phase.REGISTRATION.name
    _save(election, actor, ["phase"])
    return election


@transaction.atomic
def publish_candidates(actor: User, election: Election, now: datetime | None = None) -> Election:
    """EL-08: publishing the list of registered candidates starts the campaign. It happens after the
    registration deadline, with every application decided and at least one candidate registered."""
    now = now or timezone.now()
    require_commission(actor, election)
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.stored_phase != Phase.REGISTRATION:
        raise ElectionError(_("The candidate list is published once, at the end of registration."))
    if now < election.schedule.registration_closes_at:
        raise ElectionError(
            _("Registration is open until %(day)s: the list is published after it closes.")
            % {"day": election.registration_deadline.strftime("%d.%m.%Y")}
        )
    if now >= election.schedule.voting_opens_at:
        raise ElectionError(_("Voting time has come: it is too late to publish the candidate list."))
    candidates = list(election.candidates.select_related("student__user"))
    if any(c.status == Candidate.Status.APPLIED for c in candidates):
        raise ElectionError(_("Decide every application before publishing the list."))
    registered = [c for c in candidates if c.status == Candidate.Status.REGISTERED]
    if not registered:
        raise ElectionError(_("No candidate is registered: the list cannot be published."))
    election.phase = Phase.CAMPAIGN.name
    election.candidates_published_at = now
    _save(election, actor, ["phase", "candidates_published_at"])
    notify(
        [c.student.user for c in registered],
        _("The candidate list is published: the campaign has started"),
        _("Campaigning is allowed until the end of %(day)s.")
        % {"day": (rules.silence_day(election.election_day) - timedelta(days=1)).strftime("%d.%m.%Y")},
    )
    return election


@dataclass(frozen=True)
class SyncResult:
    phase: Phase
    roll_frozen: bool = False
    materials_hidden: int = 0


def sync_phase(election: Election, now: datetime | None = None) -> SyncResult:
    """Store the phase the clock has reached and do what its boundary requires (EL-08, EL-11, EL-15).

    Idempotent: a second run, or a run after a later boundary, does each step once.
    """
    from elections.services import campaign, counting, voting

    now = now or timezone.now()
    with transaction.atomic():
        locked = Election.objects.select_for_update().get(pk=election.pk)
        phase = locked.phase_at(now)
        hidden = 0
        if phase >= Phase.SILENCE and locked.materials_hidden_at is None and locked.stored_phase >= Phase.CAMPAIGN:
            hidden = campaign.hide_materials(locked, now)
        frozen = False
        if phase >= Phase.VOTING and locked.roll_frozen_at is None:
            voting.freeze_roll(locked, now)
            frozen = True
        if phase >= Phase.COUNTING and locked.stored_phase < Phase.COUNTING:
            counting.begin_counting(locked)
        if phase != locked.stored_phase:
            locked.phase = phase.name
            _save(locked, None, ["phase"])
    election.refresh_from_db()
    return SyncResult(phase=phase, roll_frozen=frozen, materials_hidden=hidden)


def sync_all(now: datetime | None = None) -> int:
    """The periodic job: bring every running election up to the clock; returns how many moved."""
    now = now or timezone.now()
    moved = 0
    running = Election.objects.filter(phase__in=[Phase.CAMPAIGN.name, Phase.SILENCE.name, Phase.VOTING.name])
    for election in running:
        before = election.phase
        if sync_phase(election, now).phase.name != before:
            moved += 1
    return moved
