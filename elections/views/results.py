"""The protocol page (EL-16: draw up, sign, download), publication and the run-off (EL-17, EL-18), and the
public results pages, which need no login and show nothing before publication."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from elections import rules
from elections.errors import ElectionError
from elections.forms_counting import RunoffForm
from elections.models import CommissionMember, Election, Protocol, ProtocolSignature
from elections.permissions import require_commission
from elections.services import counting, results, runoff
from elections.views.counting import election_or_404
from portal.models import User
from portal.permissions import request_user

PUBLISHED = rules.Phase.PUBLISHED.name


@login_required
def protocol_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    election = election_or_404(pk)
    member = require_commission(user, election, deciding=False)
    context: dict[str, object] = {"election": election, "member": member}
    try:
        counting.open_for_counting(election)
    except ElectionError as exc:
        context["not_closed"] = str(exc)
        return render(request, "elections/results/protocol.html", context)
    protocol = Protocol.objects.filter(election=election).select_related("document", "drawn_up_by").first()
    signed = (
        {s.member_id: s for s in ProtocolSignature.objects.filter(protocol=protocol)} if protocol is not None else {}
    )
    members = [(m, signed.get(m.pk)) for m in results.signing_members(election)]
    frozen = results.frozen_results(election)
    outcome = frozen or results.compute_results(election)
    stored = election.stored_phase
    today = timezone.localdate()
    existing_runoff = election.runoffs.first()
    context.update(
        {
            "protocol": protocol,
            "results": outcome,
            "members": members,
            "signed_count": len(signed),
            "can_draw_up": protocol is None and member.role in results.DRAWERS and outcome.complete,
            "can_sign": protocol is not None and member.deciding_vote and member.pk not in signed,
            "can_publish": stored == rules.Phase.PROTOCOL_SIGNED and member.role == CommissionMember.Role.CHAIR,
            "published": stored == rules.Phase.PUBLISHED,
            "runoff": existing_runoff,
            "runoff_form": (
                RunoffForm(initial={"election_day": runoff.default_runoff_day(election, today)})
                if frozen and frozen.runoff_ids and stored >= rules.Phase.PROTOCOL_SIGNED and existing_runoff is None
                else None
            ),
        }
    )
    return render(request, "elections/results/protocol.html", context)


def _act(request: HttpRequest, pk: int, action: Callable[[User, Election], object], done: str) -> HttpResponse:
    user = request_user(request)
    election = election_or_404(pk)
    try:
        action(user, election)
    except ElectionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("elections:protocol", pk=election.pk)


@require_POST
@login_required
def draw_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, results.draw_up_protocol, _("The protocol is drawn up in two originals."))


@require_POST
@login_required
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, results.sign_protocol, _("You have signed the protocol."))


@require_POST
@login_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, results.publish_results, _("The results are published."))


@require_POST
@login_required
def call_runoff(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    election = election_or_404(pk)
    require_commission(user, election)
    form = RunoffForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the run-off's election day."))
        return redirect("elections:protocol", pk=election.pk)
    try:
        new = runoff.call_runoff(user, election, form.cleaned_data["election_day"])
    except ElectionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The run-off is called for %(day)s between the tied candidates.")
            % {"day": new.election_day.strftime("%d.%m.%Y")},
        )
    return redirect("elections:protocol", pk=election.pk)


@require_POST
@login_required
def publish_runoff(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the ballot of the run-off of election `pk`."""
    user = request_user(request)
    election = election_or_404(pk)
    new = election.runoffs.first()
    if new is None:
        raise Http404
    try:
        runoff.publish_runoff_candidates(user, new)
    except ElectionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The run-off ballot is published: the campaign has started."))
    return redirect("elections:protocol", pk=election.pk)


def protocol_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The stored protocol PDF: public once the results are published, for the commission before."""
    election = election_or_404(pk)
    protocol = Protocol.objects.filter(election=election).select_related("document").first()
    if protocol is None:
        raise Http404
    if election.phase != PUBLISHED:
        if not isinstance(request.user, User):
            return redirect_to_login(request.get_full_path())
        require_commission(request.user, election, deciding=False)
    response = FileResponse(protocol.document.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{results.protocol_number(election)}.pdf"'
    return response


def results_page(request: HttpRequest, pk: int) -> HttpResponse:
    """EL-18: the public results page, no login; 404 until the results are published."""
    election = get_object_or_404(
        Election.objects.select_related("academic_year", "protocol", "mandate__holder__user"),
        pk=pk,
        phase=PUBLISHED,
    )
    context = {
        "election": election,
        "results": results.Results.from_json(election.protocol.results),
        "number": results.protocol_number(election),
        "runoff": election.runoffs.first(),
        "mandate": getattr(election, "mandate", None),
    }
    return render(request, "elections/results/public.html", context)


def results_list(request: HttpRequest) -> HttpResponse:
    """EL-18: every election whose results are published, newest first."""
    elections = Election.objects.filter(phase=PUBLISHED).select_related("academic_year", "protocol")
    page = Paginator(elections, 20).get_page(request.GET.get("page"))
    rows = [(e, results.Results.from_json(e.protocol.results)) for e in page]
    return render(request, "elections/results/list.html", {"page": page, "rows": rows})
