"""The expanded commission's page for a case (AP-10 to AP-13): forming it, its members, document
requests, recommendations, the decision with its protocol, the hearing and the answer."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appeals import rules
from appeals.errors import AppealError
from appeals.models import (
    Application,
    Body,
    BodyMember,
    Commission,
    CommissionSeat,
    Decision,
    Recommendation,
    Status,
)
from appeals.permissions import is_dean_of
from appeals.services import commission as service
from appeals.services import workflow
from appeals.services.commission.bodies import institute_q
from appeals.services.commission.documents import is_overdue as request_overdue
from appeals.services.commission.forming import BODY_OF_SEAT, ROLES_OF_SEAT, order_label, ordered_seats
from appeals.services.commission.recommendations import all_carried_out_on
from appeals.services.commission.recommendations import is_overdue as recommendation_overdue
from appeals.views.commission.access import chair_case, viewer_case
from appeals.views.commission.forms import (
    AnswerForm,
    DecisionForm,
    DocumentRequestForm,
    FormCommissionForm,
    HearingForm,
    InviteForm,
    RecommendationForm,
)
from portal.forms import errors_text
from portal.models import RoleAssignment, User

Seat = CommissionSeat.Role
TEMPLATE = "appeals/commission/page.html"


@login_required
def commission_page(request: HttpRequest, pk: int) -> HttpResponse:
    user, application = viewer_case(request, pk)
    formed = Commission.objects.filter(application=application).first()
    if formed is None:
        return _forming(request, user, application)
    if request.method == "POST":  # the forming form sent twice: it is formed already, nothing changes
        messages.info(request, _("The expanded commission is already formed."))
        return redirect("appeals:commission", pk=application.pk)
    return _render(request, user, application, formed)


def _can_refer(user: User, application: Application) -> bool:
    try:
        workflow.check_transition(application, "refer_to_commission")
    except AppealError:
        return False
    return is_dean_of(user, application.institute_id)


def _candidates(application: Application) -> dict[str, list[User]]:
    """Who may sit for a body or an office, offered as suggestions in the form."""
    result: dict[str, list[User]] = {}
    for role, body in BODY_OF_SEAT.items():
        institute = None if body == Body.ETHICS_COUNCIL else application.institute_id
        rows = BodyMember.objects.filter(institute_q(institute), body=body).select_related("user")
        result[role] = sorted((r.user for r in rows), key=lambda u: u.full_name)
    for role, roles in ROLES_OF_SEAT.items():
        ids = (
            RoleAssignment.objects.active()
            .filter(role__in=roles)
            .filter(Q(institute__isnull=True) | Q(institute=application.institute_id))
            .values("user_id")
        )
        result[role] = list(User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name"))
    return result


def _forming(request: HttpRequest, user: User, application: Application) -> HttpResponse:
    """AP-10: before the commission exists the dean forms it here; the others see that it is not formed."""
    can_refer = _can_refer(user, application)
    if request.method == "POST" and not can_refer:
        raise PermissionDenied
    required = service.required_roles(application.applicant_type)
    order_day = rules.act_day(application.registered_on, timezone.localdate())
    form = (
        FormCommissionForm(request.POST or None, required=required, initial={"order_date": order_day})
        if can_refer
        else None
    )
    if form is not None:
        form.candidates = _candidates(application)
    if form is not None and request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                service.form_commission(
                    user,
                    application,
                    order_number=data["order_number"],
                    order_date=data["order_date"],
                    seats=form.seats(),
                )
            except AppealError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The expanded commission is formed; its members are told."))
                return redirect("appeals:commission", pk=application.pk)
        else:
            messages.error(request, errors_text(form))
    context = {
        "application": application,
        "form": form,
        "required_labels": [Seat(role).label for role in required],
    }
    return render(request, "appeals/commission/form.html", context)


def _render(
    request: HttpRequest, user: User, application: Application, formed: Commission, **forms: Any
) -> HttpResponse:
    today = timezone.localdate()
    seats = ordered_seats(formed)
    is_chair = any(s.user_id == user.pk and s.role == Seat.CHAIR for s in seats)
    decision = (
        Decision.objects.filter(application=application)
        .select_related("protocol", "recorded_by")
        .prefetch_related("present")
        .first()
    )
    requests = list(application.document_requests.select_related("department", "attachment"))
    for r in requests:
        r.overdue = decision is None and request_overdue(r, today)  # type: ignore[attr-defined]
    recommendations = list(application.recommendations.select_related("responsible"))
    for rec in recommendations:
        rec.overdue = decision is not None and recommendation_overdue(rec, today)  # type: ignore[attr-defined]
    hearing = application.hearings.order_by("-opened_on", "-id").first()
    sitting = decision is None and application.status == Status.COMMISSION
    context: dict[str, Any] = {
        "application": application,
        "commission": formed,
        "order": order_label(formed),
        "seats": seats,
        "is_chair": is_chair,
        "decision": decision,
        "present_ids": {s.pk for s in decision.present.all()} if decision else set(),
        "requests": requests,
        "open_requests": sum(1 for r in requests if r.answered_at is None),
        "recommendations": recommendations,
        "open_recommendations": sum(1 for r in recommendations if r.completed_at is None),
        "overdue_recommendations": sum(1 for r in recommendations if getattr(r, "overdue", False)),
        "all_done_on": all_carried_out_on(recommendations) if decision else None,
        "hearing": hearing,
        "hearing_complete": workflow.hearing_complete(application, today),
        "outcome": service.outcome_for(decision.facts) if decision else "",
        "sitting": sitting,
        "answered": application.status == Status.ANSWERED,
        "today": today,
    }
    if is_chair:
        context.update(
            {
                "invite_form": forms.get("invite_form") or InviteForm(),
                "request_form": forms.get("request_form") or DocumentRequestForm(),
                "recommendation_form": forms.get("recommendation_form") or RecommendationForm(),
                "decision_form": forms.get("decision_form")
                or DecisionForm(seats=seats, initial={"decided_on": max(today, formed.order_date)}),
                "hearing_form": forms.get("hearing_form")
                or HearingForm(initial={"intended": decision.reasoning if decision else ""}),
                "answer_form": forms.get("answer_form")
                or AnswerForm(initial={"text": _answer_draft(decision) if decision else ""}),
            }
        )
    return render(request, TEMPLATE, context)


def _answer_draft(decision: Decision) -> str:
    parts = [decision.reasoning]
    if decision.facts == Decision.Facts.CONFIRMED and decision.measures:
        parts.append(decision.measures)
    return "\n\n".join(parts)


def _done(request: HttpRequest, application: Application, message: str, anchor: str = "") -> HttpResponse:
    messages.success(request, message)
    response = redirect("appeals:commission", pk=application.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@require_POST
@login_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    user, application, _formed = chair_case(request, pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("appeals:commission", pk=pk)
    try:
        seat = service.invite_member(user, application, form.cleaned_data["role"], form.cleaned_data["member"])
    except AppealError as error:
        messages.error(request, str(error))
        return redirect("appeals:commission", pk=pk)
    return _done(request, application, _("%(name)s joins the commission.") % {"name": seat.user}, "members")


@require_POST
@login_required
def unseat(request: HttpRequest, pk: int, seat_id: int) -> HttpResponse:
    user, application, formed = chair_case(request, pk)
    seat = get_object_or_404(CommissionSeat.objects.select_related("user", "commission"), pk=seat_id, commission=formed)
    try:
        service.unseat_member(user, seat)
    except AppealError as error:
        messages.error(request, str(error))
        return redirect("appeals:commission", pk=pk)
    return _done(request, application, _("%(name)s leaves the commission.") % {"name": seat.user}, "members")


def _chair_form(request: HttpRequest, pk: int, form_class: type[Any]) -> tuple[User, Application, Commission, Any]:
    user, application, formed = chair_case(request, pk)
    return user, application, formed, form_class(request.POST)


def _again(
    request: HttpRequest, user: User, application: Application, formed: Commission, **forms: Any
) -> HttpResponse:
    """The page again with the chair's bound form and its errors, nothing typed lost."""
    return _render(request, user, application, formed, **forms)


@require_POST
@login_required
def request_documents(request: HttpRequest, pk: int) -> HttpResponse:
    user, application, formed, form = _chair_form(request, pk, DocumentRequestForm)
    if form.is_valid():
        data = form.cleaned_data
        try:
            service.request_documents(user, application, data["department"], data["what"], data["working_days"])
        except AppealError as error:
            messages.error(request, str(error))
        else:
            return _done(
                request, application, _("The documents are requested; the head of the department is told."), "requests"
            )
    return _again(request, user, application, formed, request_form=form)


@require_POST
@login_required
def recommend(request: HttpRequest, pk: int) -> HttpResponse:
    user, application, formed, form = _chair_form(request, pk, RecommendationForm)
    if form.is_valid():
        data = form.cleaned_data
        try:
            service.add_recommendation(user, application, data["text"], data["responsible"], data["due_on"])
        except AppealError as error:
            messages.error(request, str(error))
        else:
            return _done(
                request, application, _("The recommendation is added to the draft of the protocol."), "recommendations"
            )
    return _again(request, user, application, formed, recommendation_form=form)


@require_POST
@login_required
def withdraw(request: HttpRequest, pk: int, recommendation_id: int) -> HttpResponse:
    user, application, _formed = chair_case(request, pk)
    rec = get_object_or_404(Recommendation, pk=recommendation_id, application=application)
    try:
        service.withdraw_recommendation(user, rec)
    except AppealError as error:
        messages.error(request, str(error))
        return redirect("appeals:commission", pk=pk)
    return _done(request, application, _("The recommendation is taken out of the draft."), "recommendations")


@require_POST
@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    user, application, formed = chair_case(request, pk)
    form = DecisionForm(request.POST, seats=ordered_seats(formed))
    if form.is_valid():
        data = form.cleaned_data
        try:
            service.record_decision(
                user,
                application,
                facts=data["facts"],
                reasoning=data["reasoning"],
                measures=data["measures"],
                present=data["present"],
                decided_on=data["decided_on"],
            )
        except AppealError as error:
            messages.error(request, str(error))
        else:
            return _done(request, application, _("The decision is recorded and its protocol issued."), "decision")
    return _again(request, user, application, formed, decision_form=form)


@require_POST
@login_required
def hearing(request: HttpRequest, pk: int) -> HttpResponse:
    user, application, formed, form = _chair_form(request, pk, HearingForm)
    if form.is_valid():
        try:
            sent = service.send_intended_refusal(user, application, form.cleaned_data["intended"])
        except AppealError as error:
            messages.error(request, str(error))
        else:
            message = _("The applicant is told the intended decision and may answer by %(date)s.") % {
                "date": sent.answer_due.strftime("%d.%m.%Y")
            }
            return _done(request, application, message, "answer")
    return _again(request, user, application, formed, hearing_form=form)


@require_POST
@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    user, application, formed, form = _chair_form(request, pk, AnswerForm)
    if form.is_valid():
        try:
            service.answer_from_decision(user, application, form.cleaned_data["text"])
        except AppealError as error:
            messages.error(request, str(error))
        else:
            return _done(request, application, _("The applicant is answered; the answer letter is issued."), "answer")
    return _again(request, user, application, formed, answer_form=form)


@login_required
def protocol(request: HttpRequest, pk: int) -> FileResponse:
    """AP-12: the stored protocol PDF, for those who see the commission."""
    _user, application = viewer_case(request, pk)
    decision = Decision.objects.filter(application=application).select_related("protocol").first()
    if decision is None or decision.protocol is None:
        raise Http404
    response = FileResponse(decision.protocol.file.open("rb"), content_type="application/pdf")
    name = application.number.replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="protocol-{name}.pdf"'
    return response
