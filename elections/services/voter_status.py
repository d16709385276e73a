"""What the ballot page and the student board show a student about an election (EL-01, EL-11, EL-12).

Read-only: it never writes, so a page view before the periodic job has frozen the roll reads the
eligibility the roll will be frozen from.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from elections import rules
from elections.models import Election, Participation, RollEntry
from elections.services import voting
from portal.models import StudentProfile


class Standing(StrEnum):
    NOT_YET = "not_yet"  # voting has not begun (or the candidate list is not published)
    OPEN = "open"  # the student may vote online now
    PAPER_ONLY = "paper_only"  # voting is open, at the polling place only
    NOT_ON_ROLL = "not_on_roll"  # voting is open, but the student is not a voter of this election
    VOTED = "voted"  # a participation exists (online or on paper)
    CLOSED = "closed"  # voting is over and the student did not vote


@dataclass(frozen=True)
class VoterStatus:
    standing: Standing
    phase: rules.Phase
    opens_at: datetime
    closes_at: datetime
    channel: str = ""  # Participation.Channel when voted

    @property
    def voted_online(self) -> bool:
        return self.channel == Participation.Channel.ONLINE


def on_roll(election: Election, student: StudentProfile) -> bool:
    """EL-11: the frozen roll once it exists; before that, the eligibility it will be frozen from."""
    if election.roll_frozen_at is not None:
        return RollEntry.objects.filter(election=election, student=student).exists()
    return voting.eligible_voters(election).filter(pk=student.pk).exists()


def voter_status(election: Election, student: StudentProfile, now: datetime) -> VoterStatus:
    """Where `student` stands at `now`: voted (and how), may vote, or why not. The clock decides (EL-01)."""
    phase = election.phase_at(now)
    schedule = election.schedule

    def status(standing: Standing, channel: str = "") -> VoterStatus:
        return VoterStatus(standing, phase, schedule.voting_opens_at, schedule.voting_closes_at, channel)

    channel = Participation.objects.filter(election=election, student=student).values_list("channel", flat=True).first()
    if channel:
        return status(Standing.VOTED, channel)
    if not rules.voting_open(election.stored_phase, schedule, now):
        closed = now >= schedule.voting_closes_at or phase > rules.Phase.VOTING
        return status(Standing.CLOSED if closed else Standing.NOT_YET)
    if not on_roll(election, student):
        return status(Standing.NOT_ON_ROLL)
    if not election.online:
        return status(Standing.PAPER_ONLY)
    return status(Standing.OPEN)
