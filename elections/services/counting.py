"""EL-15, EL-20: counting. Once voting has closed the online ballots are tallied automatically; the
commission enters the count of the paper ballots, cross-checked against the paper ballots issued.

Nothing here shows a number before 18:00 on election day: every entry point first brings the stored
phase up to the clock (`calendar.sync_phase`) and refuses unless counting has begun.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from elections import rules
from elections.errors import ElectionError
from elections.models import Candidate, Election, PaperCount, PaperCountLine, Participation, Protocol
from elections.permissions import require_commission
from elections.services import voting
from portal.audit import Change, HistoryEntry, history_of
from portal.models import User
from portal.notifications import notify

Phase = rules.Phase


def begin_counting(election: Election) -> None:
    """EL-14, EL-15: called once, under the election's row lock, when the clock reaches counting
    (`calendar.sync_phase`): the ballot rows are rewritten in one statement and the commission is told."""
    voting.scrub_ballot_order(election)
    members = [m.user for m in election.commission.select_related("user")]
    notify(
        members,
        _("Voting has closed: counting has begun"),
        _("The online ballots are tallied. Enter the paper count, then draw up and sign the protocol.")
        if election.paper
        else _("The online ballots are tallied. Draw up and sign the protocol."),
        url=reverse("elections:counting", args=[election.pk]),
    )


def open_for_counting(election: Election, now: datetime | None = None) -> Election:
    """EL-15, EL-20: bring the stored phase up to the clock and refuse before voting has closed."""
    from elections.services.calendar import sync_phase

    now = now or timezone.now()
    sync_phase(election, now)
    if election.phase_at(now) < Phase.COUNTING:
        raise ElectionError(
            _("No result is shown before voting closes at 18:00 on %(day)s.")
            % {"day": election.election_day.strftime("%d.%m.%Y")}
        )
    return election


def paper_ballots_issued(election: Election) -> int:
    """EL-12: the paper ballots handed out, one per voter marked in the poll book."""
    return Participation.objects.filter(election=election, channel=Participation.Channel.PAPER).count()


@dataclass(frozen=True)
class CrossCheck:
    """EL-15: paper ballots issued against ballots found in the box."""

    issued: int
    found: int | None
    explanation: str

    @property
    def difference(self) -> int | None:
        return None if self.found is None else self.found - self.issued

    @property
    def unexplained(self) -> bool:
        return bool(self.difference) and not self.explanation.strip()


def cross_check(election: Election, count: PaperCount | None) -> CrossCheck:
    return CrossCheck(
        issued=paper_ballots_issued(election),
        found=count.ballots_found if count else None,
        explanation=count.discrepancy_explanation if count else "",
    )


def _check_numbers(values: list[int]) -> None:
    if any(not isinstance(v, int) or v < 0 for v in values):
        raise ElectionError(_("Every number of ballots must be zero or more."))


@transaction.atomic
def record_paper_count(
    member: User,
    election: Election,
    *,
    ballots_found: int,
    votes: dict[int, int],
    against: int = 0,
    invalid: int = 0,
    unknown_form: int = 0,
    explanation: str = "",
    now: datetime | None = None,
) -> PaperCount:
    """EL-15: enter (or correct, until the protocol is drawn up) the count of the paper ballots.

    `votes` maps every registered candidate's id to its paper votes; invalid ballots and ballots of an
    unknown form count for no one; "against" exists only with a single candidate (EL-07). The ballots
    found must equal the sum of all categories, and a difference from the paper ballots issued must be
    explained. Every change is audited.
    """
    now = now or timezone.now()
    require_commission(member, election)
    if not election.paper:
        raise ElectionError(_("This election is held online only: there is no paper count."))
    open_for_counting(election, now)
    locked = Election.objects.select_for_update().get(pk=election.pk)
    if Protocol.objects.filter(election=locked).exists():
        raise ElectionError(_("The protocol is drawn up: the paper count can no longer be changed."))
    registered = set(
        Candidate.objects.filter(election=locked, status=Candidate.Status.REGISTERED).values_list("pk", flat=True)
    )
    if set(votes) != registered:
        raise ElectionError(_("Enter the paper votes of every candidate on the ballot, and of no one else."))
    _check_numbers([ballots_found, against, invalid, unknown_form, *votes.values()])
    if against and len(registered) != 1:
        raise ElectionError(_("'Against' is counted only when there is a single candidate."))
    if not rules.paper_totals_consistent(list(votes.values()), against, invalid, unknown_form, ballots_found):
        numbers = {
            "found": ballots_found,
            "counted": sum(votes.values()) + against + invalid + unknown_form,
            "votes": sum(votes.values()),
            "against": against,
            "invalid": invalid,
            "unknown": unknown_form,
        }
        if len(registered) == 1:
            message = _(
                "The totals do not match: %(found)s ballots were found in the box, but %(counted)s are counted "
                "(%(votes)s for, %(against)s against, %(invalid)s invalid, %(unknown)s of an unknown form)."
            )
        else:
            message = _(
                "The totals do not match: %(found)s ballots were found in the box, but %(counted)s are counted "
                "(%(votes)s for candidates, %(invalid)s invalid, %(unknown)s of an unknown form)."
            )
        raise ElectionError(message % numbers)
    issued = paper_ballots_issued(locked)
    explanation = explanation.strip()
    if ballots_found != issued and not explanation:
        raise ElectionError(
            _(
                "%(issued)s paper ballots were issued but %(found)s were found in the box: "
                "explain the discrepancy of %(difference)+d."
            )
            % {"issued": issued, "found": ballots_found, "difference": ballots_found - issued}
        )
    count = PaperCount.objects.filter(election=locked).first() or PaperCount(election=locked)
    count.ballots_found = ballots_found
    count.against = against
    count.invalid = invalid
    count.unknown_form = unknown_form
    count.discrepancy_explanation = explanation
    count.entered_by = member
    count.entered_at = now
    count._history_user = member  # type: ignore[attr-defined]
    count.save()
    lines = {line.candidate_id: line for line in count.lines.all()}
    for candidate_id, n in votes.items():
        line = lines.get(candidate_id) or PaperCountLine(count=count, candidate_id=candidate_id, votes=n)
        if line.pk is None or line.votes != n:
            line.votes = n
            line._history_user = member  # type: ignore[attr-defined]
            line.save()
    return count


def correction_history(count: PaperCount, limit: int = 30) -> list[HistoryEntry]:
    """PT-08: every entry and correction of the paper count, the candidates' lines included, newest first."""
    entries = history_of(count, limit)
    names = {
        c.pk: c.student.user.full_name
        for c in Candidate.objects.filter(election_id=count.election_id).select_related("student__user")
    }
    records = list(
        PaperCountLine.history.filter(count_id=count.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    previous: dict[int, int] = {}
    for rec in records:
        old = previous.get(rec.id)
        previous[rec.id] = rec.votes
        if rec.history_type == "~" and old != rec.votes:
            change = Change(names.get(rec.candidate_id, "?"), old, rec.votes)
            entries.append(HistoryEntry(rec.history_date, rec.history_user, "~", [change]))
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries[:limit]
