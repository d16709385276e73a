"""Dashboard panels of the campaign (EL-07 to EL-09), registered in ElectionsConfig.ready."""

from django.db.models import Count, Q
from django.utils import timezone

from elections import rules
from elections.models import CampaignMaterial, Candidate, Election, MeetingRequest
from elections.permissions import is_administration
from elections.services import campaign
from portal.dashboards import Panel
from portal.models import User

RUNNING = [rules.Phase.CAMPAIGN.name, rules.Phase.SILENCE.name, rules.Phase.VOTING.name]


def student_campaign(user: User) -> Panel | None:
    """The campaigns under way, with the student's own candidacy and, with a single candidate, the EL-07
    notice that the ballot asks "for" or "against". Two queries; no panel when no campaign runs."""
    now = timezone.now()
    elections = list(
        Election.objects.filter(phase__in=RUNNING)
        .select_related("academic_year")
        .annotate(registered=Count("candidates", filter=Q(candidates__status=Candidate.Status.REGISTERED)))
        .order_by("election_day", "pk")
    )
    elections = [e for e in elections if e.phase_at(now) <= rules.Phase.VOTING]
    if not elections:
        return None
    own = set(
        Candidate.objects.filter(
            election__in=elections, student__user=user, status=Candidate.Status.REGISTERED
        ).values_list("election_id", flat=True)
    )
    rows = [
        {
            "election": e,
            "candidate": e.pk in own,
            "single": e.registered == 1,
            "closed": campaign.campaign_closed(e, now),
        }
        for e in elections
    ]
    return Panel("elections/campaign/panels/student.html", {"rows": rows})


def administration_campaign(user: User) -> Panel | None:
    """EL-09: campaign material and meetings awaiting the administration's decision. Three queries."""
    if not is_administration(user):
        return None
    elections = list(
        Election.objects.filter(phase__in=RUNNING).select_related("academic_year").order_by("election_day", "pk")
    )
    if not elections:
        return None
    materials = dict(
        CampaignMaterial.objects.filter(candidate__election__in=elections, status=CampaignMaterial.Status.PENDING)
        .values_list("candidate__election_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    meetings = dict(
        MeetingRequest.objects.filter(candidate__election__in=elections, status=MeetingRequest.Status.PENDING)
        .values_list("candidate__election_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [{"election": e, "materials": materials.get(e.pk, 0), "meetings": meetings.get(e.pk, 0)} for e in elections]
    return Panel("elections/campaign/panels/administration.html", {"rows": rows})
