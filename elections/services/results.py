"""EL-07, EL-16 to EL-18, EL-20: results, the protocol in two originals, its signatures, publication,
the winner's mandate and the run-off after a tie.

Results are computed live only for the commission and only once voting has closed; drawing up the
protocol freezes them into `Protocol.results`, and everything after (signatures, the public page,
the mandate) reads that frozen copy.
"""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from elections import rules
from elections.errors import ElectionError
from elections.models import (
    Candidate,
    CommissionMember,
    Election,
    Mandate,
    PaperCount,
    Participation,
    Protocol,
    ProtocolSignature,
    RollEntry,
)
from elections.permissions import require_commission
from elections.services import counting, voting
from portal.documents import issue_document, render_pdf
from portal.models import Document, Role, RoleAssignment, User
from portal.notifications import notify

Phase = rules.Phase
ORIGINALS = 2  # EL-16: the protocol is made in two originals (8.6.3)
DRAWERS = (CommissionMember.Role.CHAIR, CommissionMember.Role.SECRETARY)


@dataclass(frozen=True)
class CandidateResult:
    candidate_id: int
    name: str
    online: int
    paper: int

    @property
    def total(self) -> int:
        return self.online + self.paper


@dataclass(frozen=True)
class Results:
    """EL-15, EL-17: the count of one election, as frozen into the protocol."""

    candidates: tuple[CandidateResult, ...]
    against_online: int
    against_paper: int
    invalid: int
    unknown_form: int
    ballots_found: int | None
    paper_issued: int
    explanation: str
    paper_required: bool
    roll: int
    voted_online: int
    voted_paper: int
    winner_id: int | None
    runoff_ids: tuple[int, ...] = field(default_factory=tuple)
    single_candidate_rejected: bool = False

    @property
    def against(self) -> int:
        return self.against_online + self.against_paper

    @property
    def single(self) -> bool:
        """EL-07: a single candidate, the ballot asked "for" or "against"."""
        return len(self.candidates) == 1

    @property
    def voted(self) -> int:
        return self.voted_online + self.voted_paper

    @property
    def turnout_percent(self) -> Decimal:
        if not self.roll:
            return Decimal("0.0")
        return (Decimal(100 * self.voted) / self.roll).quantize(Decimal("0.1"))

    @property
    def winner(self) -> CandidateResult | None:
        return next((c for c in self.candidates if c.candidate_id == self.winner_id), None)

    @property
    def runoff(self) -> list[CandidateResult]:
        return [c for c in self.candidates if c.candidate_id in self.runoff_ids]

    @property
    def discrepancy(self) -> int | None:
        return None if self.ballots_found is None else self.ballots_found - self.paper_issued

    @property
    def paper_missing(self) -> bool:
        return self.paper_required and self.ballots_found is None

    @property
    def unexplained(self) -> bool:
        return bool(self.discrepancy) and not self.explanation.strip()

    @property
    def complete(self) -> bool:
        """EL-16: the counts a protocol needs: the paper count when the mode has paper, differences explained."""
        return not self.paper_missing and not self.unexplained

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["runoff_ids"] = list(self.runoff_ids)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Results":
        values = dict(data)
        values["candidates"] = tuple(CandidateResult(**c) for c in data["candidates"])
        values["runoff_ids"] = tuple(data.get("runoff_ids", ()))
        return cls(**values)


def _turnout(election: Election) -> tuple[int, int, int]:
    roll = RollEntry.objects.filter(election=election).count()
    by_channel = dict(
        Participation.objects.filter(election=election).values_list("channel").annotate(n=Count("pk")).order_by()
    )
    return roll, by_channel.get(Participation.Channel.ONLINE, 0), by_channel.get(Participation.Channel.PAPER, 0)


def compute_results(election: Election, now: datetime | None = None) -> Results:
    """EL-15, EL-17, EL-20: online tally plus paper count, turnout and the outcome; refused before 18:00."""
    now = now or timezone.now()
    counting.open_for_counting(election, now)
    tally = voting.online_tally(election, now)
    count = PaperCount.objects.filter(election=election).prefetch_related("lines").first()
    paper_votes = {line.candidate_id: line.votes for line in count.lines.all()} if count else {}
    candidates = {
        c.pk: c
        for c in Candidate.objects.filter(election=election, pk__in=set(tally.votes) | set(paper_votes)).select_related(
            "student__user"
        )
    }
    rows = [
        CandidateResult(pk, c.student.user.full_name, tally.votes.get(pk, 0), paper_votes.get(pk, 0))
        for pk, c in candidates.items()
    ]
    rows.sort(key=lambda r: (-r.total, rules.kazakh_sort_key(r.name)))
    against_paper = count.against if count else 0
    result = rules.outcome({r.candidate_id: r.total for r in rows}, against=tally.against + against_paper)
    roll, voted_online, voted_paper = _turnout(election)
    return Results(
        candidates=tuple(rows),
        against_online=tally.against,
        against_paper=against_paper,
        invalid=count.invalid if count else 0,
        unknown_form=count.unknown_form if count else 0,
        ballots_found=count.ballots_found if count else None,
        paper_issued=voted_paper,
        explanation=count.discrepancy_explanation if count else "",
        paper_required=election.paper,
        roll=roll,
        voted_online=voted_online,
        voted_paper=voted_paper,
        winner_id=result.winner,
        runoff_ids=result.runoff,
        single_candidate_rejected=result.single_candidate_rejected,
    )


def frozen_results(election: Election) -> Results | None:
    """The results as the protocol froze them (None before it is drawn up)."""
    protocol = Protocol.objects.filter(election=election).first()
    return Results.from_json(protocol.results) if protocol else None


def protocol_number(election: Election) -> str:
    """EL-16: the protocol's registration number, EC-<year of election day>-<election id>."""
    return f"EC-{election.election_day.year}-{election.pk}"


def signing_members(election: Election) -> list[CommissionMember]:
    """EL-16: the members who sign: those with a deciding vote, chair and secretary first."""
    order: dict[str, int] = {CommissionMember.Role.CHAIR: 0, CommissionMember.Role.SECRETARY: 1}
    members = list(election.commission.filter(deciding_vote=True).select_related("user"))
    return sorted(members, key=lambda m: (order.get(m.role, 3), rules.kazakh_sort_key(m.user.full_name)))


def _issue_protocol_pdf(protocol: Protocol, actor: User) -> Document:
    """EL-16: render both originals, each with the commission's signature lines and the signatures so far."""
    election = protocol.election
    signatures = ProtocolSignature.objects.filter(protocol=protocol) if protocol.pk else []
    signed = {s.member_id: s.signed_at for s in signatures}
    members = [(m, signed.get(m.pk)) for m in signing_members(election)]
    number = protocol_number(election)
    day = timezone.localdate(protocol.drawn_up_at)
    pdf = render_pdf(
        "elections/pdf/protocol.html",
        {
            "election": election,
            "protocol": protocol,
            "results": Results.from_json(protocol.results),
            "members": members,
            "originals": [(n, ORIGINALS) for n in range(1, ORIGINALS + 1)],
            "number": number,
        },
        registration_number=number,
        registration_date=day,
        language=settings.LANGUAGE_CODE,
    )
    return issue_document(
        kind="election_protocol",
        title=_("Protocol of the voting results: %(election)s") % {"election": election},
        pdf=pdf,
        registration_number=number,
        registration_date=day,
        created_by=actor,
    )


@transaction.atomic
def draw_up_protocol(actor: User, election: Election, now: datetime | None = None) -> Protocol:
    """EL-16: the chair or the secretary draws up the protocol once the counts are complete; the
    results are frozen and the PDF in two originals is stored; the signing members are asked to sign."""
    now = now or timezone.now()
    member = require_commission(actor, election)
    if member.role not in DRAWERS:
        raise PermissionDenied
    results = compute_results(election, now)
    locked = Election.objects.select_for_update().get(pk=election.pk)
    if Protocol.objects.filter(election=locked).exists():
        raise ElectionError(_("The protocol is already drawn up."))
    if results.paper_missing:
        raise ElectionError(_("Enter the count of the paper ballots before drawing up the protocol."))
    if results.unexplained:
        raise ElectionError(
            _("%(issued)s paper ballots were issued but %(found)s found: explain the discrepancy first.")
            % {"issued": results.paper_issued, "found": results.ballots_found}
        )
    protocol = Protocol(election=locked, results=results.to_json(), drawn_up_by=actor, drawn_up_at=now)
    protocol.document = _issue_protocol_pdf(protocol, actor)
    protocol._history_user = actor  # type: ignore[attr-defined]
    protocol.save()
    notify(
        [m.user for m in signing_members(locked)],
        _("The results protocol is drawn up: sign it"),
        _("Protocol %(number)s of %(election)s awaits your signature in the portal.")
        % {"number": protocol_number(locked), "election": locked},
        url=reverse("elections:protocol", args=[locked.pk]),
    )
    return protocol


@transaction.atomic
def sign_protocol(actor: User, election: Election, now: datetime | None = None) -> ProtocolSignature:
    """EL-16: a member with a deciding vote signs the protocol once; the PDF is re-rendered with who signed
    and when; when every signing member has signed, the phase becomes "protocol signed"."""
    now = now or timezone.now()
    member = require_commission(actor, election)
    locked = Election.objects.select_for_update().get(pk=election.pk)
    protocol = Protocol.objects.filter(election=locked).select_related("election").first()
    if protocol is None:
        raise ElectionError(_("The protocol has not been drawn up yet."))
    if ProtocolSignature.objects.filter(protocol=protocol, member=member).exists():
        raise ElectionError(_("You have already signed this protocol."))
    signature = ProtocolSignature(protocol=protocol, member=member, signed_at=now)
    signature._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            signature.save()
    except IntegrityError:
        raise ElectionError(_("You have already signed this protocol.")) from None
    protocol.document = _issue_protocol_pdf(protocol, actor)
    protocol._history_user = actor  # type: ignore[attr-defined]
    protocol.save(update_fields=["document"])
    signers = {m.pk for m in signing_members(locked)}
    signed = set(ProtocolSignature.objects.filter(protocol=protocol).values_list("member_id", flat=True))
    if signers <= signed and locked.stored_phase < Phase.PROTOCOL_SIGNED:
        locked.phase = Phase.PROTOCOL_SIGNED.name
        locked._history_user = actor  # type: ignore[attr-defined]
        locked.save(update_fields=["phase"])
        chair = locked.commission.filter(role=CommissionMember.Role.CHAIR).select_related("user").first()
        notify(
            [chair.user] if chair else [],
            _("Every member has signed the protocol: publish the results"),
            _("Protocol %(number)s is signed by the whole commission.") % {"number": protocol_number(locked)},
            url=reverse("elections:protocol", args=[locked.pk]),
        )
    election.refresh_from_db()
    return signature


def _office_role(position: str) -> str:
    return Role.SG_PRESIDENT if position == Election.Position.SG_PRESIDENT else Role.SG_OFFICER


def _hand_over(actor: User, election: Election, candidate: Candidate, today: date) -> Mandate:
    """EL-18, EL-04: the winner takes office on publication until the end of the election's academic year."""
    ends_on = election.academic_year.ends_on
    mandate = Mandate(
        election=election,
        position=election.position,
        holder=candidate.student,
        academic_year=election.academic_year,
        starts_on=today,
        ends_on=ends_on,
    )
    mandate._history_user = actor  # type: ignore[attr-defined]
    mandate.save()
    if election.position == Election.Position.SG_PRESIDENT:
        # One president at a time: the predecessor's role ends the day before the winner takes office.
        for previous in RoleAssignment.objects.active().filter(role=Role.SG_PRESIDENT):
            previous.valid_until = today - timedelta(days=1)
            previous._history_user = actor  # type: ignore[attr-defined]
            previous.save(update_fields=["valid_until"])
    role = RoleAssignment(
        user=candidate.student.user, role=_office_role(election.position), valid_from=today, valid_until=ends_on
    )
    role._history_user = actor  # type: ignore[attr-defined]
    role.save()
    return mandate


@transaction.atomic
def publish_results(actor: User, election: Election, now: datetime | None = None) -> Election:
    """EL-18: after the protocol is signed the chair publishes the results on the public page; the winner
    gets the mandate and the office's role for the academic year; everyone is told."""
    now = now or timezone.now()
    member = require_commission(actor, election)
    if member.role != CommissionMember.Role.CHAIR:
        raise PermissionDenied
    locked = Election.objects.select_for_update().select_related("academic_year").get(pk=election.pk)
    if locked.stored_phase == Phase.PUBLISHED:
        raise ElectionError(_("The results are already published."))
    if locked.stored_phase != Phase.PROTOCOL_SIGNED:
        raise ElectionError(_("The results are published once every member has signed the protocol."))
    results = Results.from_json(locked.protocol.results)
    locked.phase = Phase.PUBLISHED.name
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save(update_fields=["phase"])
    winner = None
    if results.winner_id is not None:
        winner = Candidate.objects.select_related("student__user").get(pk=results.winner_id)
        _hand_over(actor, locked, winner, timezone.localdate(now))
    _announce(locked, results, winner)
    election.refresh_from_db()
    return locked


def _announce(election: Election, results: Results, winner: Candidate | None) -> None:
    """EL-18: everyone on the roll, every candidate and the commission learn the results are out."""
    url = reverse("elections:results", args=[election.pk])
    if winner is not None:
        body = _("%(name)s is elected %(position)s.") % {
            "name": winner.student.user.full_name,
            "position": election.get_position_display(),
        }
    elif results.runoff_ids:
        body = _("A tie for first place: a run-off will be held between %(names)s.") % {
            "names": ", ".join(c.name for c in results.runoff)
        }
    else:
        body = _("No candidate is elected.")
    subject = _("The election results are published: %(election)s") % {"election": election}
    staff = {m.user_id for m in election.commission.all()}
    staff |= set(Candidate.objects.filter(election=election).values_list("student__user_id", flat=True))
    notify(User.objects.filter(pk__in=staff), subject, body, url=url)
    # Voters get the notice in the portal only: tens of thousands of e-mails would add nothing.
    voters = User.objects.filter(student__pk__in=RollEntry.objects.filter(election=election).values("student_id"))
    notify(voters.exclude(pk__in=staff).only("pk", "email"), subject, body, url=url, email=False)
