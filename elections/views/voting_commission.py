"""The commission's voting-day pages: poll book (EL-12), signature line, turnout (EL-20), voter roll (EL-11).

Every page is for commission members (a deciding vote is not needed); anyone else gets 403.
"""

import csv
from datetime import datetime, time
from itertools import chain

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from elections import rules
from elections.errors import ElectionError
from elections.forms_voting import PaperBallotForm
from elections.models import Election, Participation, RollEntry
from elections.permissions import require_commission
from elections.services import calendar, pollbook, voting
from portal.models import Programme
from portal.permissions import request_user


def _election(request: HttpRequest, pk: int) -> Election:
    election = get_object_or_404(Election.objects.select_related("academic_year"), pk=pk)
    require_commission(request_user(request), election, deciding=False)
    return election


@login_required
def pollbook_page(request: HttpRequest, pk: int) -> HttpResponse:
    """EL-12: find a voter by ID card number, university ID or name; see whether and how they voted."""
    election = _election(request, pk)
    now = timezone.now()
    is_open = rules.voting_open(election.stored_phase, election.schedule, now)
    if is_open and election.roll_frozen_at is None:
        calendar.sync_phase(election, now)  # the periodic job is late: freeze the roll now, as a ballot would
    query = request.GET.get("q", "").strip()
    typed = pollbook.normalise_document(query)
    rows = [
        {
            "entry": entry,
            "participation": participation,
            # Found by the ID card's number: the number is already typed from the card.
            "prefill": query if typed and pollbook.normalise_document(entry.student.id_card_number) == typed else "",
        }
        for entry, participation in (voting.find_voters(election, query) if query else [])
    ]
    context = {
        "election": election,
        "query": query,
        "rows": rows,
        "voting_open": is_open,
        "before_voting": now < election.schedule.voting_opens_at,
        "Channel": Participation.Channel,
    }
    return render(request, "elections/voting/pollbook.html", context)


@require_POST
@login_required
def issue_paper_ballot(request: HttpRequest, pk: int) -> HttpResponse:
    """EL-12: mark the voter in the roll after the ID card check; then print the signature line."""
    election = _election(request, pk)
    form = PaperBallotForm(request.POST)
    query = request.POST.get("q", "")
    back = reverse("elections:pollbook", args=[election.pk]) + ("?" + urlencode({"q": query}) if query else "")
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect(back)
    entry = (
        RollEntry.objects.filter(election=election, student_id=form.cleaned_data["student"])
        .select_related("student__user")
        .first()
    )
    if entry is None:
        messages.error(request, _("This student is not on the voter roll of this election."))
        return redirect(back)
    try:
        participation = pollbook.issue_paper_ballot(
            request_user(request), election, entry.student, form.cleaned_data["id_document"]
        )
    except ElectionError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(
        request,
        _("A paper ballot is issued to %(name)s. Print the signature line and have the voter sign it.")
        % {"name": entry.student.user.full_name},
    )
    return redirect("elections:pollbook_sign", pk=election.pk, participation_id=participation.pk)


@login_required
def pollbook_sign(request: HttpRequest, pk: int, participation_id: int) -> HttpResponse:
    """Regulation 8.5.5: the printable line the voter signs for the paper ballot."""
    election = get_object_or_404(Election.objects.select_related("academic_year"), pk=pk)
    participation = pollbook.paper_issue(request_user(request), election, participation_id)
    if participation is None:
        raise Http404
    return render(request, "elections/voting/sign.html", {"election": election, "p": participation})


def _hour_bars(by_hour: list[tuple[datetime, int]]) -> list[tuple[str, int, float]]:
    """Every voting hour (09:00 to 17:00) with its count and its bar's share of the busiest hour."""
    counts = {hour.astimezone(rules.ALMATY).hour: n for hour, n in by_hour}
    hours = sorted(set(range(rules.VOTING_OPENS.hour, rules.VOTING_CLOSES.hour)) | set(counts))
    peak = max(counts.values(), default=0)
    return [
        (time(h).strftime("%H:%M"), counts.get(h, 0), round(100 * counts.get(h, 0) / peak, 1) if peak else 0.0)
        for h in hours
    ]


@login_required
def turnout_page(request: HttpRequest, pk: int) -> HttpResponse:
    """EL-20: turnout overall, per institute, per hour and by channel; never a candidate's number."""
    election = _election(request, pk)
    now = timezone.now()
    result = voting.turnout(election)
    context = {
        "election": election,
        "turnout": result,
        "hours": _hour_bars(result.by_hour),
        "live": rules.voting_open(election.stored_phase, election.schedule, now),
        "now": now,
    }
    template = "elections/voting/turnout_body.html" if request.htmx else "elections/voting/turnout.html"  # type: ignore[attr-defined]
    return render(request, template, context)


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def roll_page(request: HttpRequest, pk: int) -> HttpResponse | StreamingHttpResponse:
    """EL-11: the frozen voter roll, searchable, paginated and exported as CSV; before it is frozen, the
    number of eligible students and the study levels that vote."""
    election = _election(request, pk)
    query = request.GET.get("q", "").strip()
    context: dict[str, object] = {"election": election, "query": query}
    if election.roll_frozen_at is None:
        levels = dict(Programme.Level.choices)
        context["eligible"] = pollbook.eligible_count(election)
        context["levels"] = [levels.get(level, level) for level in election.voter_levels]
        return render(request, "elections/voting/roll.html", context)
    rows = pollbook.roll_entries(election, query)
    if request.GET.get("format") == "csv":
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse(
            chain(["\ufeff"], (writer.writerow(row) for row in pollbook.roll_csv_rows(rows))),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="voter-roll-{election.pk}.csv"'
        return response
    context["page"] = Paginator(rows, 50).get_page(request.GET.get("page"))
    context["total"] = RollEntry.objects.filter(election=election).count()
    return render(request, "elections/voting/roll.html", context)
