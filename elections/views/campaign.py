"""Campaign pages (EL-07 to EL-10): the public campaign page, the candidate's own campaign, and the
administration's review of material and meetings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from elections import rules
from elections.errors import ElectionError
from elections.models import CampaignMaterial, Candidate, Election, MeetingRequest
from elections.permissions import is_administration, require_administration
from elections.services import campaign
from elections.services.voting import ballot_choices
from elections.views.campaign_forms import MaterialForm, MeetingForm, RefusalForm
from portal.permissions import request_user

MATERIAL_STATUSES = ("pending", "approved", "refused", "all")


def _election(pk: int) -> Election:
    return get_object_or_404(Election, pk=pk)


def _label_places(items: object) -> None:
    """Each material's place by its label, and whether its file is an image shown inline."""
    labels = dict(campaign.material_places())
    for item in items:  # type: ignore[attr-defined]
        item.place_label = labels.get(item.place, item.place)
        item.is_image = bool(item.file) and item.file.name.endswith((".png", ".jpg"))


def _published_candidates(election: Election) -> list[Candidate]:
    """EL-10, EL-13: the registered candidates in the Kazakh alphabet's order, once the list is published."""
    return ballot_choices(election) if election.stored_phase >= rules.Phase.CAMPAIGN else []


@login_required
def campaign_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The public campaign page: every registered candidate with photo and standard information, and the
    approved material while campaigning lasts (EL-07 to EL-10)."""
    user = request_user(request)
    election = _election(pk)
    now = timezone.now()
    candidates = _published_candidates(election)
    materials = campaign.visible_materials(election, now).select_related("candidate__student__user")
    chosen = request.GET.get("candidate", "")
    if chosen.isdigit():
        materials = materials.filter(candidate_id=int(chosen))
    page = Paginator(materials.order_by("-submitted_at", "-pk"), 12).get_page(request.GET.get("page"))
    _label_places(page)
    phase = election.phase_at(now)
    context = {
        "election": election,
        "phase": phase,
        "phase_label": Election.Phase[phase.name].label,
        "closed": campaign.campaign_closed(election, now),
        "candidates": candidates,
        "single": len(candidates) == 1,
        "page": page,
        "chosen": chosen,
        "own": any(c.student.user_id == user.pk for c in candidates),
        "administration": is_administration(user),
    }
    return render(request, "elections/campaign/page.html", context)


def _mine_context(
    request: HttpRequest,
    election: Election,
    material_form: MaterialForm | None = None,
    meeting_form: MeetingForm | None = None,
) -> dict[str, object]:
    candidate = campaign.own_candidacy(request_user(request), election)
    meetings = list(candidate.meetings.order_by("starts_at"))
    materials = list(candidate.materials.order_by("-submitted_at", "-pk"))
    _label_places(materials)
    approved = sum(m.status == MeetingRequest.Status.APPROVED for m in meetings)
    return {
        "election": election,
        "candidate": candidate,
        "closed": campaign.campaign_closed(election, timezone.now()),
        "single": len(_published_candidates(election)) == 1,
        "materials": materials,
        "meetings": meetings,
        "approved": approved,
        "quota": election.meetings_per_candidate,
        "windows": campaign.windows_text(),
        "material_form": material_form or MaterialForm(),
        "meeting_form": meeting_form or MeetingForm(),
    }


@login_required
def mine_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The candidate's own campaign: submit material, request meetings, follow the decisions."""
    election = _election(pk)
    return render(request, "elections/campaign/mine.html", _mine_context(request, election))


@require_POST
@login_required
def submit_material(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            campaign.submit_material(request_user(request), election, **form.cleaned_data)
        except ElectionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The material is submitted; the administration will review it."))
            return redirect("elections:campaign_mine", pk=election.pk)
    context = _mine_context(request, election, material_form=form)
    return render(request, "elections/campaign/mine.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def request_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(pk)
    form = MeetingForm(request.POST)
    if form.is_valid():
        starts_at, ends_at = form.slot()
        try:
            campaign.request_meeting(
                request_user(request), election, starts_at=starts_at, ends_at=ends_at, place=form.cleaned_data["place"]
            )
        except ElectionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The meeting is requested; the administration will decide."))
            return redirect("elections:campaign_mine", pk=election.pk)
    context = _mine_context(request, election, meeting_form=form)
    return render(request, "elections/campaign/mine.html", context, status=400 if form.errors else 200)


def _file_response(field_file: object, name: str) -> FileResponse:
    response = FileResponse(field_file.open("rb"), filename=name)  # type: ignore[attr-defined]
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline")
    return response


@login_required
def material_file(request: HttpRequest, pk: int, material_id: int) -> HttpResponseBase:
    """A material's file, while it is shown (always for its candidate and the administration)."""
    material = get_object_or_404(
        CampaignMaterial.objects.select_related("candidate__election", "candidate__student"),
        pk=material_id,
        candidate__election_id=pk,
    )
    if not material.file or not campaign.can_open_material(request_user(request), material, timezone.now()):
        raise Http404
    return _file_response(material.file, material.file.name.rsplit("/", 1)[-1])


@login_required
def candidate_photo(request: HttpRequest, pk: int, candidate_id: int) -> HttpResponseBase:
    """EL-10: a candidate's photo."""
    candidate = get_object_or_404(
        Candidate.objects.select_related("election", "student"), pk=candidate_id, election_id=pk
    )
    if not candidate.photo or not campaign.can_see_photo(request_user(request), candidate):
        raise Http404
    return _file_response(candidate.photo, f"candidate-{candidate.pk}.{candidate.photo.name.rsplit('.', 1)[-1]}")


@login_required
def review_materials(request: HttpRequest, pk: int) -> HttpResponse:
    """EL-09: the administration's list of campaign material, awaiting approval first."""
    require_administration(request_user(request))
    election = _election(pk)
    status = request.GET.get("status", "pending")
    if status not in MATERIAL_STATUSES:
        status = "pending"
    rows = CampaignMaterial.objects.filter(candidate__election=election).select_related(
        "candidate__student__user", "decided_by"
    )
    if status != "all":
        rows = rows.filter(status=status)
    page = Paginator(rows.order_by("submitted_at", "pk"), 20).get_page(request.GET.get("page"))
    _label_places(page)
    context = {
        "election": election,
        "page": page,
        "status": status,
        "statuses": MATERIAL_STATUSES,
        "closed": campaign.campaign_closed(election, timezone.now()),
        "refusal_form": RefusalForm(),
    }
    return render(request, "elections/campaign/review.html", context)


@require_POST
@login_required
def decide_material(request: HttpRequest, pk: int, material_id: int, decision: str) -> HttpResponse:
    user = request_user(request)
    require_administration(user)
    material = get_object_or_404(CampaignMaterial, pk=material_id, candidate__election_id=pk)
    try:
        if decision == "approve":
            campaign.approve_material(user, material)
            messages.success(request, _("The material is approved."))
        else:
            campaign.refuse_material(user, material, request.POST.get("reason", ""))
            messages.success(request, _("The material is refused; the candidate is told why."))
    except ElectionError as exc:
        messages.error(request, str(exc))
    return _back(request, "elections:campaign_review", pk, "pending")


def _back(request: HttpRequest, name: str, pk: int, default: str) -> HttpResponse:
    status = request.POST.get("back", default)
    return redirect(f"{reverse(name, args=[pk])}?status={status if status in MATERIAL_STATUSES else default}")


@login_required
def meetings_page(request: HttpRequest, pk: int) -> HttpResponse:
    """EL-09: every meeting request, with each candidate's approved meetings side by side."""
    require_administration(request_user(request))
    election = _election(pk)
    counts = campaign.meeting_counts(election)
    candidates = [(c, *counts.get(c.pk, (0, 0))) for c in _published_candidates(election)]
    status = request.GET.get("status", "all")
    if status not in MATERIAL_STATUSES:
        status = "all"
    rows = MeetingRequest.objects.filter(candidate__election=election).select_related(
        "candidate__student__user", "decided_by"
    )
    if status != "all":
        rows = rows.filter(status=status)
    page = Paginator(rows.order_by("starts_at", "pk"), 25).get_page(request.GET.get("page"))
    context = {
        "election": election,
        "candidates": candidates,
        "quota": election.meetings_per_candidate,
        "page": page,
        "status": status,
        "statuses": MATERIAL_STATUSES,
        "windows": campaign.windows_text(),
        "closed": campaign.campaign_closed(election, timezone.now()),
        "refusal_form": RefusalForm(),
    }
    return render(request, "elections/campaign/meetings.html", context)


@require_POST
@login_required
def decide_meeting(request: HttpRequest, pk: int, meeting_id: int, decision: str) -> HttpResponse:
    user = request_user(request)
    require_administration(user)
    meeting = get_object_or_404(MeetingRequest, pk=meeting_id, candidate__election_id=pk)
    try:
        if decision == "approve":
            campaign.approve_meeting(user, meeting)
            messages.success(request, _("The meeting is approved."))
        else:
            campaign.refuse_meeting(user, meeting, request.POST.get("reason", ""))
            messages.success(request, _("The meeting is refused; the candidate is told why."))
    except ElectionError as exc:
        messages.error(request, str(exc))
    return _back(request, "elections:campaign_meetings", pk, "all")
