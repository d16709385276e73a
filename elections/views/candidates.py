"""Candidate pages (EL-03 to EL-06, EL-10, EL-19): the student's candidacy, the dean's recommendations,
the commission's list and review, the portfolio files and Appendix 1 and 2."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from elections import rules
from elections.errors import ElectionError
from elections.forms_candidates import PortfolioForm, RefuseForm, RegisterForm, StandardInfoForm
from elections.models import Candidate, Election
from elections.permissions import require_commission, seat
from elections.services import candidates, eligibility, portfolio
from portal.models import Role, User
from portal.permissions import request_user, user_roles

Status = Candidate.Status
CANDIDATE_RELATED = ("student__user", "student__group__programme__department__institute", "election__academic_year")


def _candidate(pk: int, candidate_id: int) -> Candidate:
    return get_object_or_404(
        Candidate.objects.select_related(*CANDIDATE_RELATED, "transcript", "recommended_by", "reviewed_by"),
        pk=candidate_id,
        election_id=pk,
    )


@login_required
def candidacy_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The student's page: eligibility with its reasons, the application and its status (EL-03 to EL-05)."""
    user = request_user(request)
    student = candidates.student_of(user)
    election = get_object_or_404(Election.objects.select_related("academic_year"), pk=pk)
    candidacy = (
        Candidate.objects.select_related("transcript", "recommended_by", "reviewed_by")
        .filter(election=election, student=student)
        .first()
    )
    now = timezone.now()
    is_open = rules.registration_open(election.stored_phase, election.schedule, now)
    editing = candidacy is not None and candidacy.status in candidates.TRANSITIONS["edit"]
    can_apply = is_open and (candidacy is None or candidacy.status in candidates.TRANSITIONS["apply"])
    form = PortfolioForm(request.POST or None, request.FILES or None, editing=editing)
    if request.method == "POST":
        if not (can_apply or (editing and is_open)):
            messages.error(request, _("Candidate registration is closed."))
            return redirect("elections:candidacy", pk=election.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if editing and candidacy is not None:
                    candidates.update_portfolio(
                        user,
                        candidacy,
                        intent=data["intent"],
                        programme=data["programme"],
                        photo=data["photo"],
                        cv=data["cv"],
                        recommendation=data["recommendation"],
                    )
                    messages.success(request, _("Your portfolio is saved."))
                else:
                    candidates.apply(
                        user,
                        election,
                        intent=data["intent"],
                        programme=data["programme"],
                        photo=data["photo"],
                        cv=data["cv"],
                        recommendation=data["recommendation"],
                    )
                    messages.success(request, _("Your application is filed: the election commission will review it."))
            except ElectionError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("elections:candidacy", pk=election.pk)
    elif candidacy is not None and editing:
        form = PortfolioForm(initial={"intent": candidacy.intent, "programme": candidacy.programme}, editing=True)
    check = eligibility.check(student, election)
    context = {
        "election": election,
        "student": student,
        "candidacy": candidacy,
        "check": check,
        "is_open": is_open,
        "can_apply": can_apply and check.eligible,
        "editing": editing and is_open,
        "form": form,
        "missing": portfolio.missing_items(candidacy) if candidacy else [],
        "can_withdraw": candidacy is not None
        and candidacy.status in candidates.TRANSITIONS["withdraw"]
        and election.candidates_published_at is None,
        "max_words": rules.PROGRAMME_MAX_WORDS,
        "words": rules.word_count(candidacy.programme) if candidacy else 0,
    }
    return render(request, "elections/candidates/candidacy.html", context)


@require_POST
@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    candidacy = get_object_or_404(Candidate, election_id=pk, student__user=user)
    try:
        candidates.withdraw(user, candidacy)
    except ElectionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your candidacy is withdrawn."))
    return redirect("elections:candidacy", pk=pk)


@login_required
def candidates_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The commission's list of applications, by status, with a search (EL-05)."""
    user = request_user(request)
    election = get_object_or_404(Election.objects.select_related("academic_year"), pk=pk)
    require_commission(user, election, deciding=False)
    rows = election.candidates.select_related(
        "student__user", "student__group__programme__department__institute", "recommended_by"
    ).order_by("student__user__last_name", "student__user__first_name", "pk")
    status = request.GET.get("status", "")
    if status in Status.values:
        rows = rows.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(
            Q(student__user__last_name__icontains=query)
            | Q(student__user__first_name__icontains=query)
            | Q(student__user__id_code__icontains=query)
        )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    for c in page:
        c.missing = portfolio.missing_items(c)  # type: ignore[attr-defined]
        c.reason_labels = [eligibility.reason_label(code) for code in c.eligibility_reasons]  # type: ignore[attr-defined]
    context = {
        "election": election,
        "page": page,
        "status": status,
        "query": query,
        "statuses": Status.choices,
    }
    return render(request, "elections/candidates/list.html", context)


@login_required
def candidate_page(request: HttpRequest, pk: int, candidate_id: int) -> HttpResponse:
    """The commission's review of one application: the portfolio, eligibility recomputed now, the
    EL-06 check and the decision."""
    user = request_user(request)
    candidate = _candidate(pk, candidate_id)
    member = require_commission(user, candidate.election, deciding=False)
    context = {
        "election": candidate.election,
        "candidate": candidate,
        "member": member,
        "check": eligibility.check(candidate.student, candidate.election),
        "missing": portfolio.missing_items(candidate),
        "words": rules.word_count(candidate.programme),
        "max_words": rules.PROGRAMME_MAX_WORDS,
        "register_form": RegisterForm(initial={"standard_info": candidates.default_standard_info(candidate)}),
        "refuse_form": RefuseForm(),
        "info_form": StandardInfoForm(initial={"standard_info": candidate.standard_info}),
        "can_decide": member.deciding_vote and candidate.election.stored_phase == rules.Phase.REGISTRATION,
        "can_edit_info": member.deciding_vote
        and candidate.status in candidates.TRANSITIONS["standard_info"]
        and candidate.election.phase_at(timezone.now()) < rules.Phase.VOTING,
    }
    return render(request, "elections/candidates/review.html", context)


def _decided(
    request: HttpRequest, pk: int, candidate_id: int, success: str, act: Callable[[], Candidate]
) -> HttpResponse:
    """Run one commission act and come back to the review with its message."""
    try:
        act()
    except ElectionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("elections:candidate", pk=pk, candidate_id=candidate_id)


@require_POST
@login_required
def register(request: HttpRequest, pk: int, candidate_id: int) -> HttpResponse:
    user = request_user(request)
    candidate = _candidate(pk, candidate_id)
    form = RegisterForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    return _decided(
        request,
        pk,
        candidate_id,
        _("%(name)s is registered as a candidate.") % {"name": candidate},
        lambda: candidates.register_candidate(
            user,
            candidate,
            programme_checked=bool(data.get("programme_checked")),
            standard_info=data.get("standard_info", ""),
        ),
    )


@require_POST
@login_required
def refuse(request: HttpRequest, pk: int, candidate_id: int) -> HttpResponse:
    user = request_user(request)
    candidate = _candidate(pk, candidate_id)
    form = RefuseForm(request.POST)
    form.is_valid()
    return _decided(
        request,
        pk,
        candidate_id,
        _("The application is refused; the candidate is told the reason."),
        lambda: candidates.refuse_candidate(user, candidate, form.cleaned_data.get("reason", "")),
    )


@require_POST
@login_required
def standard_info(request: HttpRequest, pk: int, candidate_id: int) -> HttpResponse:
    user = request_user(request)
    candidate = _candidate(pk, candidate_id)
    form = StandardInfoForm(request.POST)
    form.is_valid()
    return _decided(
        request,
        pk,
        candidate_id,
        _("The standard information is approved."),
        lambda: candidates.approve_standard_info(user, candidate, form.cleaned_data.get("standard_info", "")),
    )


@login_required
def recommendations_page(request: HttpRequest) -> HttpResponse:
    """The dean's list of candidacies in their institute awaiting the director's recommendation (EL-05)."""
    user = request_user(request)
    if Role.DEAN not in user_roles(user):
        raise PermissionDenied
    rows = (
        candidates.awaiting_recommendation(user)
        .select_related(*CANDIDATE_RELATED)
        .order_by("election__registration_deadline", "student__user__last_name", "pk")
    )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "elections/candidates/recommendations.html", {"page": page})


@require_POST
@login_required
def recommend(request: HttpRequest, candidate_id: int) -> HttpResponse:
    user = request_user(request)
    candidate = get_object_or_404(Candidate.objects.select_related(*CANDIDATE_RELATED), pk=candidate_id)
    try:
        candidates.recommend(user, candidate)
    except ElectionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your recommendation of %(name)s is recorded.") % {"name": candidate})
    return redirect("elections:recommendations")


def _may_read_portfolio(user: User, candidate: Candidate) -> bool:
    """The candidate, the commission, and the dean over the candidate's group."""
    return (
        candidate.student.user_id == user.pk
        or seat(user, candidate.election) is not None
        or candidates.can_recommend(user, candidate)
    )


@login_required
def appendix_pdf(request: HttpRequest, pk: int, candidate_id: int, number: int) -> HttpResponse:
    """EL-19: Appendix 1 (information sheet) or 2 (application of intent), for the candidate and the commission."""
    user = request_user(request)
    candidate = _candidate(pk, candidate_id)
    if candidate.student.user_id != user.pk and seat(user, candidate.election) is None:
        raise PermissionDenied
    if number == 1:
        pdf = portfolio.appendix_1(candidate)
    elif number == 2:
        pdf = portfolio.appendix_2(candidate)
    else:
        raise Http404
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="appendix-{number}-{candidate.student.user.id_code}.pdf"'
    return response


PORTFOLIO_FILES = {"photo", "cv", "recommendation", "transcript"}
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}


@login_required
def portfolio_file(request: HttpRequest, pk: int, candidate_id: int, kind: str) -> HttpResponseBase:
    """A portfolio file, served through a permission check (media is not public). A registered
    candidate's photo is public to signed-in users once the list is published (EL-10)."""
    user = request_user(request)
    candidate = _candidate(pk, candidate_id)
    if kind not in PORTFOLIO_FILES:
        raise Http404
    published_photo = (
        kind == "photo" and candidate.status == Status.REGISTERED and candidate.election.candidates_published_at
    )
    if not published_photo and not _may_read_portfolio(user, candidate):
        raise PermissionDenied
    if kind == "transcript":
        file = candidate.transcript.file if candidate.transcript else None
    else:
        file = getattr(candidate, kind)
    if not file:
        raise Http404
    extension = file.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(file.open("rb"), content_type=CONTENT_TYPES.get(extension, "application/octet-stream"))
    response["Content-Disposition"] = f'inline; filename="{kind}-{candidate.student.user.id_code}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
