"""Elections: the list, creating an election, its calendar, its commission and the commission's phase acts
(EL-01, EL-02)."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from elections import rules
from elections.errors import ElectionError
from elections.forms import CalendarForm, ElectionForm, MemberForm
from elections.models import CommissionMember, Election
from elections.permissions import is_administration, is_organiser, require_organiser, seat
from elections.services import calendar
from portal.forms import errors_text
from portal.permissions import request_user


@login_required
def election_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    rows = Election.objects.select_related("academic_year").order_by("-election_day", "-pk")
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    now = timezone.now()
    context = {
        "page": page,
        "phases": {e.pk: Election.Phase[e.phase_at(now).name].label for e in page},
        "can_create": is_organiser(user),
        "form": ElectionForm() if is_organiser(user) else None,
    }
    return render(request, "elections/manage/list.html", context)


@require_POST
@login_required
def create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require_organiser(user)
    form = ElectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("elections:list")
    data = form.cleaned_data
    try:
        election = calendar.create_election(
            user,
            data["academic_year"],
            position=data["position"],
            mode=data["mode"],
            election_day=data["election_day"],
            voter_levels=data["voter_levels"],
        )
    except ElectionError as exc:
        messages.error(request, str(exc))
        return redirect("elections:list")
    messages.success(request, _("The election is created as a draft. Appoint its commission next."))
    return redirect("elections:detail", pk=election.pk)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    election = get_object_or_404(Election.objects.select_related("academic_year"), pk=pk)
    now = timezone.now()
    phase = election.phase_at(now)
    member = seat(user, election)
    order = list(CommissionMember.Role.values)
    commission = sorted(
        election.commission.select_related("user"), key=lambda m: (order.index(m.role), m.user.last_name)
    )
    context = {
        "election": election,
        "phase": phase,
        "phase_label": Election.Phase[phase.name].label,
        "Phase": {p.name: p for p in rules.Phase},
        "steps": [(p, Election.Phase[p.name].label) for p in rules.Phase],
        "schedule": election.schedule,
        "silence_day": rules.silence_day(election.election_day),
        "last_campaign_day": rules.silence_day(election.election_day) - timedelta(days=1),
        "member": member,
        "commission": commission,
        "organiser": is_organiser(user),
        "administration": is_administration(user),
        "is_student": hasattr(user, "student"),
        "calendar_form": CalendarForm(
            initial={
                "election_day": election.election_day,
                "mode": election.mode,
                "voter_levels": election.voter_levels,
            }
        ),
        "member_form": MemberForm(),
    }
    return render(request, "elections/manage/detail.html", context)


@require_POST
@login_required
def edit_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    election = get_object_or_404(Election, pk=pk)
    require_organiser(user)
    form = CalendarForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("elections:detail", pk=pk)
    try:
        calendar.update_calendar(user, election, **form.cleaned_data)
    except ElectionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The election calendar is saved."))
    return redirect("elections:detail", pk=pk)


@require_POST
@login_required
def add_member(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    election = get_object_or_404(Election, pk=pk)
    require_organiser(user)
    form = MemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("elections:detail", pk=pk)
    data = form.cleaned_data
    try:
        member = calendar.appoint_member(user, election, data["id_code"], data["role"], data["deciding_vote"])
    except ElectionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s joins the commission.") % {"name": member.user.full_name})
    return redirect("elections:detail", pk=pk)


@require_POST
@login_required
def remove_member(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    user = request_user(request)
    member = get_object_or_404(CommissionMember.objects.select_related("election", "user"), pk=member_id, election=pk)
    try:
        calendar.remove_member(user, member)
    except ElectionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s leaves the commission.") % {"name": member.user.full_name})
    return redirect("elections:detail", pk=pk)


@require_POST
@login_required
def open_registration(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    election = get_object_or_404(Election, pk=pk)
    try:
        calendar.open_registration(user, election)
    except ElectionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Candidate registration is open until %(day)s.")
            % {"day": election.registration_deadline.strftime("%d.%m.%Y")},
        )
    return redirect("elections:detail", pk=pk)


@require_POST
@login_required
def publish_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    election = get_object_or_404(Election, pk=pk)
    try:
        calendar.publish_candidates(user, election)
    except ElectionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The candidate list is published: the campaign has started."))
    return redirect("elections:detail", pk=pk)
