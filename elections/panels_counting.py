"""The commission board's counting panel: paper counts to enter, protocols to draw up, signatures missing,
results to publish (EL-15, EL-16, EL-18)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from elections import rules
from elections.models import CommissionMember, Election, PaperCount, Protocol, ProtocolSignature
from portal.dashboards import Panel
from portal.models import User

Phase = rules.Phase
RUNNING = [Phase.CAMPAIGN.name, Phase.SILENCE.name, Phase.VOTING.name]


@dataclass(frozen=True)
class Row:
    election: Election
    step: str  # paper, draw_up, sign, publish
    missing: int = 0
    mine: bool = False


def _row(election: Election, signed_by_me: bool) -> Row:
    e = election
    if e.stored_phase == Phase.PROTOCOL_SIGNED:
        return Row(e, "publish")
    if not e.has_protocol:  # type: ignore[attr-defined]
        return Row(e, "paper" if e.paper and not e.has_paper_count else "draw_up")  # type: ignore[attr-defined]
    missing = e.signers - e.signed  # type: ignore[attr-defined]
    return Row(e, "sign", missing=missing, mine=e.my_seat_decides and not signed_by_me)  # type: ignore[attr-defined]


def commission_counting(user: User) -> Panel | None:
    """Two queries whatever the number of elections; no panel when there is nothing to do."""
    now = timezone.now()
    elections = [
        e
        for e in Election.objects.filter(pk__in=CommissionMember.objects.filter(user=user).values("election_id"))
        .filter(
            Q(phase__in=[Phase.COUNTING.name, Phase.PROTOCOL_SIGNED.name])
            | Q(phase__in=RUNNING, election_day__lte=timezone.localdate(now))
        )
        .select_related("academic_year")
        .annotate(
            has_protocol=Exists(Protocol.objects.filter(election=OuterRef("pk"))),
            has_paper_count=Exists(PaperCount.objects.filter(election=OuterRef("pk"))),
            signers=Count("commission", filter=Q(commission__deciding_vote=True), distinct=True),
            signed=Count("protocol__signatures", distinct=True),
            my_seat_decides=Exists(
                CommissionMember.objects.filter(election=OuterRef("pk"), user=user, deciding_vote=True)
            ),
        )
        .order_by("-election_day", "-pk")
        # Before 18:00 on election day nothing is counted (EL-20).
        if e.phase_at(now) >= Phase.COUNTING
    ]
    if not elections:
        return None
    mine = set(
        ProtocolSignature.objects.filter(member__user=user, protocol__election__in=elections).values_list(
            "protocol__election_id", flat=True
        )
    )
    return Panel("elections/panels/commission_counting.html", {"rows": [_row(e, e.pk in mine) for e in elections]})
