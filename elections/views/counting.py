"""The commission's counting page (EL-15, EL-20): the online tally after 18:00, the paper count entry
and the cross-check of paper ballots issued against ballots found."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from elections.errors import ElectionError
from elections.forms_counting import PaperCountForm
from elections.models import Election, PaperCount
from elections.permissions import require_commission
from elections.services import counting, results, voting
from portal.permissions import request_user


def election_or_404(pk: int) -> Election:
    return get_object_or_404(Election.objects.select_related("academic_year"), pk=pk)


@login_required
def counting_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    election = election_or_404(pk)
    member = require_commission(user, election, deciding=False)
    context: dict[str, object] = {"election": election, "member": member}
    try:
        counting.open_for_counting(election)
    except ElectionError as exc:
        context["not_closed"] = str(exc)
        return render(request, "elections/counting/page.html", context)
    count = PaperCount.objects.filter(election=election).prefetch_related("lines").first()
    frozen = results.frozen_results(election)
    form = None
    if election.paper:
        candidates = voting.ballot_choices(election)
        form = PaperCountForm(request.POST or None, candidates=candidates, count=count)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                counting.record_paper_count(
                    user,
                    election,
                    ballots_found=data["ballots_found"],
                    votes=form.votes(),
                    against=data.get("against") or 0,
                    invalid=data["invalid"],
                    unknown_form=data["unknown_form"],
                    explanation=data["explanation"],
                )
            except ElectionError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("The paper count is saved."))
                return redirect("elections:counting", pk=election.pk)
    context.update(
        {
            "form": form,
            "editable": form is not None and frozen is None and member.deciding_vote,
            "count": count,
            "results": frozen or results.compute_results(election),
            "frozen": frozen is not None,
            "cross": counting.cross_check(election, count) if election.paper else None,
            "history_entries": counting.correction_history(count) if count else [],
        }
    )
    return render(request, "elections/counting/page.html", context)
