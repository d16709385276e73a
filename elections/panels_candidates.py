"""Dashboard panels of the candidate area: the student's "can I stand?", the commission's applications
to review, the dean's recommendations to give (registered in ElectionsConfig.ready)."""

from django.db.models import Count, Q
from django.utils import timezone

from elections import rules
from elections.models import Candidate, Election
from elections.services import eligibility
from portal.dashboards import Panel
from portal.models import Role, User
from portal.permissions import user_roles

Status = Candidate.Status


def student_candidacy(user: User) -> Panel | None:
    """EL-03, EL-05: for each election in registration, whether the student can stand and why not,
    or how their application stands."""
    student = user.student_profile
    if student is None:
        return None
    elections = list(
        Election.objects.filter(phase=rules.Phase.REGISTRATION.name)
        .select_related("academic_year")
        .order_by("registration_deadline")[:3]
    )
    if not elections:
        return None
    mine = {c.election_id: c for c in Candidate.objects.filter(student=student, election__in=elections)}
    now = timezone.now()
    rows = []
    for election in elections:
        candidacy = mine.get(election.pk)
        is_open = rules.registration_open(election.stored_phase, election.schedule, now)
        check = eligibility.check(student, election) if candidacy is None and is_open else None
        rows.append({"election": election, "candidacy": candidacy, "open": is_open, "check": check})
    return Panel("elections/candidates/panels/student.html", {"rows": rows})


def commission_applications(user: User) -> Panel | None:
    """EL-05: the commission member's elections still registering, with the applications to review."""
    elections = list(
        Election.objects.filter(commission__user=user, phase=rules.Phase.REGISTRATION.name)
        .select_related("academic_year")
        .annotate(
            to_review=Count("candidates", filter=Q(candidates__status=Status.APPLIED)),
            registered=Count("candidates", filter=Q(candidates__status=Status.REGISTERED)),
        )
        .order_by("registration_deadline")
    )
    if not elections:
        return None
    return Panel("elections/candidates/panels/commission.html", {"elections": elections})


def dean_recommendations(user: User) -> Panel | None:
    """EL-05: the dean's way to the candidacies awaiting the director's recommendation. Links only, so the
    dean's board costs no extra query (the dean is notified of each new application)."""
    if Role.DEAN not in user_roles(user):
        return None
    return Panel("elections/candidates/panels/dean.html", {})
