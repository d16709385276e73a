"""The student's online ballot (EL-07, EL-10, EL-12 to EL-14) and the public receipt check.

The ballot is two POSTs: the first shows the choice back for confirmation (nothing stored), the
second casts it. The receipt code is rendered on the response of the casting POST and kept nowhere
else (not in the URL, not in the session): the student is told to write it down. A refused cast
redirects to the ballot page, which then says why (voted, closed, not on the roll).
"""

from functools import cache

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from academics.models import AcademicYear
from elections import rules
from elections.errors import ElectionError
from elections.forms_voting import BallotForm, ReceiptForm
from elections.models import Election
from elections.services import receipts, voting
from elections.services.voter_status import Standing, voter_status
from portal.models import StudentProfile
from portal.permissions import request_user


def _student(request: HttpRequest) -> StudentProfile:
    """Only students vote: anyone else gets 403 on the ballot. Read through the user, so that the
    profile stays cached on it."""
    try:
        return request_user(request).student
    except StudentProfile.DoesNotExist:
        raise PermissionDenied from None


# What the casting POST reads of the election: `cast_ballot` (mode, phase, hours, frozen roll) and the
# receipt page (position, academic year, day, hours). Issue 4: loading all of the academic year's two
# dozen columns cost more than loading the election itself.
CASTING_FIELDS = (
    "position",
    "mode",
    "election_day",
    "registration_deadline",
    "voting_opens",
    "voting_closes",
    "phase",
    "roll_frozen_at",
    "academic_year_id",
)


@cache
def _loaded_columns() -> list[str]:
    """The key and CASTING_FIELDS in the model's order of fields, as `Model.from_db` takes them."""
    return [f.attname for f in Election._meta.concrete_fields if f.attname in ("id", *CASTING_FIELDS)]


@cache
def _casting_sql() -> str:
    columns = ", ".join(f"e.{name}" for name in _loaded_columns())
    year = AcademicYear._meta.db_table
    return (
        f"SELECT {columns}, y.start_year FROM {Election._meta.db_table} e "
        f"JOIN {year} y ON y.id = e.academic_year_id WHERE e.id = %s"
    )


def _casting_election(pk: int) -> Election:
    """The election with only what casting and the receipt read, as `select_related("academic_year")
    .only(...)` would load it, from a fixed statement (issue 4: Django's compiling of that query cost
    three times its round trip, on every ballot). Postgres only: its driver returns dates and times as
    such, where SQLite's strings need the ORM's converters."""
    if connection.vendor != "postgresql":
        return get_object_or_404(Election.objects.select_related("academic_year").only(*CASTING_FIELDS), pk=pk)
    with connection.cursor() as cursor:
        cursor.execute(_casting_sql(), [pk])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    *values, start_year = row
    election = Election.from_db(connection.alias, _loaded_columns(), values)
    election.academic_year = AcademicYear.from_db(
        connection.alias, ["id", "start_year"], [election.academic_year_id, start_year]
    )
    return election


def _cast(request: HttpRequest, pk: int) -> HttpResponse:
    """The casting POST needs nothing the ballot page shows: `cast_ballot` itself refuses a non-student,
    outside the window, off the roll, a choice not on the ballot and a second vote. Its statement finds
    the student with the roll entry, so the profile is read here only when a cast is refused."""
    election = _casting_election(pk)
    try:
        receipt = voting.cast_ballot(request_user(request), election, request.POST.get("choice", ""), timezone.now())
    except ElectionError as exc:
        _student(request)  # anyone but a student gets 403, as on the page
        messages.error(request, str(exc))
        return redirect("elections:ballot", pk=election.pk)
    return render(request, "elections/voting/receipt.html", {"election": election, "receipt": receipt})


@never_cache
@login_required
def ballot_page(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST" and request.POST.get("step") == "cast":
        return _cast(request, pk)
    election = get_object_or_404(Election.objects.select_related("academic_year"), pk=pk)
    now = timezone.now()
    student = _student(request)
    status = voter_status(election, student, now)
    candidates = voting.ballot_choices(election) if status.standing == Standing.OPEN else []
    form = BallotForm(candidates, request.POST or None)
    if request.method == "POST":
        if status.standing != Standing.OPEN:
            return redirect("elections:ballot", pk=election.pk)
        if form.is_valid():
            context = {"election": election, "choice": form.cleaned_data["choice"], "label": form.chosen_label()}
            return render(request, "elections/voting/confirm.html", context)
    context = {
        "election": election,
        "status": status,
        "candidates": candidates,
        "single": len(candidates) == 1,
        "form": form,
    }
    return render(request, "elections/voting/ballot.html", context)


def receipt_check(request: HttpRequest, pk: int) -> HttpResponse:
    """EL-14: public, no login: is a ballot with this receipt code in the count? Nothing else is said."""
    election = get_object_or_404(Election.objects.select_related("academic_year"), pk=pk)
    if election.stored_phase < rules.Phase.CAMPAIGN:
        raise Http404
    form = ReceiptForm(request.POST or None)
    found: bool | None = None
    status = 200
    if request.method == "POST" and form.is_valid():
        address = get_adapter(request).get_client_ip(request)
        try:
            found = receipts.check_receipt(election, form.cleaned_data["code"], address)
        except receipts.TooManyChecks as exc:
            form.add_error("code", str(exc))
            status = 429
    context = {"election": election, "form": form, "found": found}
    return render(request, "elections/voting/receipt_check.html", context, status=status)
