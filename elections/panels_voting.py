"""Dashboard panels of the voting area (registered in ElectionsConfig.ready)."""

from datetime import timedelta

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from elections import rules
from elections.models import CommissionMember, Election
from elections.services.voter_status import voter_status
from portal.dashboards import Panel
from portal.models import User

# The board shows an election from the publication of its candidates until a month after election day.
SHOWN_AFTER_DAYS = 30
PUBLIC_PHASES = [p.name for p in rules.Phase if p >= rules.Phase.CAMPAIGN]


def _results_url(election: Election) -> str | None:
    """The public results page, once results are published (EL-18), if the results area provides it."""
    if election.stored_phase < rules.Phase.PUBLISHED:
        return None
    try:
        return reverse("elections:results", args=[election.pk])
    except NoReverseMatch:
        return None


def _recent() -> list[Election]:
    return list(
        Election.objects.filter(
            phase__in=PUBLIC_PHASES, election_day__gte=timezone.localdate() - timedelta(days=SHOWN_AFTER_DAYS)
        )
        .select_related("academic_year")
        .order_by("election_day", "pk")
    )


def student_voting(user: User) -> Panel | None:
    """The student's elections: the date and hours before, a Vote button while open, "you voted" after."""
    student = user.student_profile
    if student is None:
        return None
    elections = _recent()
    if not elections:
        return None
    now = timezone.now()
    rows = [(e, voter_status(e, student, now), _results_url(e)) for e in elections]
    return Panel("elections/panels/student_voting.html", {"rows": rows})


def commission_voting(user: User) -> Panel | None:
    """Commission members reach the poll book, turnout and voter roll of their running elections."""
    seats = list(
        CommissionMember.objects.filter(
            user=user,
            election__phase__in=PUBLIC_PHASES,
            election__election_day__gte=timezone.localdate() - timedelta(days=SHOWN_AFTER_DAYS),
        )
        .select_related("election__academic_year")
        .order_by("election__election_day")
    )
    if not seats:
        return None
    now = timezone.now()
    rows = [(s, rules.voting_open(s.election.stored_phase, s.election.schedule, now)) for s in seats]
    return Panel("elections/panels/commission_voting.html", {"rows": rows})
