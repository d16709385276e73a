"""The steps taken from the case page: each parses its form, calls one workflow service and comes back to
the case with a message; bad input shows the case page again with the form, its error and what was typed.
A step outside the user's scope is 403 (raised by the service) and changes nothing."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appeals.errors import AppealError
from appeals.forms_applicant import (
    AnswerForm,
    AssignForm,
    ExtendForm,
    HearingAnswerForm,
    HearingForm,
    ReturnForm,
    RouteForm,
)
from appeals.models import Application, Hearing
from appeals.permissions import require_dean, require_handler_or_dean
from appeals.services import workflow
from appeals.views.applicant_case import delivery_form, get_case, people_for, render_case, terminate_form
from portal.permissions import request_user

DEAN_STEPS = ("route", "assign", "extend", "return", "terminate")


def _step(
    request: HttpRequest,
    application: Application,
    name: str,
    form: forms.Form,
    act: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """Check the scope (403), validate, act, and redirect with `success`; on bad input render the case with
    the bound form."""
    user = request_user(request)
    if name in DEAN_STEPS:
        require_dean(user, application.institute_id)
    elif name != "hearing_answer":
        require_handler_or_dean(user, application)
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except AppealError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, success)
            return redirect("appeals:case", pk=application.pk)
    messages.error(request, _("The step was not taken: see the form below."))
    return render_case(request, get_case(application.pk), bound={name: form})


@require_POST
@login_required
def route(request: HttpRequest, pk: int) -> HttpResponse:
    user, application = request_user(request), get_case(pk)
    form = RouteForm(request.POST, people=people_for(application))
    return _step(
        request,
        application,
        "route",
        form,
        lambda d: workflow.route(user, application, d["body"], list(d["handlers"])),
        _("The application is sent for consideration."),
    )


@require_POST
@login_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    user, application = request_user(request), get_case(pk)
    form = AssignForm(request.POST, people=people_for(application))
    return _step(
        request,
        application,
        "assign",
        form,
        lambda d: workflow.assign(user, application, d["handler"]),
        _("The handler is assigned."),
    )


@require_POST
@login_required
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    user, application = request_user(request), get_case(pk)
    return _step(
        request,
        application,
        "extend",
        ExtendForm(request.POST),
        lambda d: workflow.extend_deadline(user, application, d["new_due"], d["reason"]),
        _("The deadline is extended; the applicant is told."),
    )


@require_POST
@login_required
def return_case(request: HttpRequest, pk: int) -> HttpResponse:
    user, application = request_user(request), get_case(pk)
    return _step(
        request,
        application,
        "return",
        ReturnForm(request.POST),
        lambda d: workflow.return_without_consideration(user, application, d["explanation"]),
        _("The application is returned without consideration; the applicant is told."),
    )


@require_POST
@login_required
def terminate(request: HttpRequest, pk: int) -> HttpResponse:
    user, application = request_user(request), get_case(pk)

    def act(d: dict[str, Any]) -> object:
        earlier = Application.objects.filter(pk=d["earlier"]).first()
        if earlier is None:
            raise AppealError(_("Only an earlier application of the same applicant can be named."))
        return workflow.terminate_repeated(user, application, earlier, d["notice"])

    return _step(
        request,
        application,
        "terminate",
        terminate_form(application, request.POST),
        act,
        _("Consideration is terminated; the applicant is sent the notice."),
    )


@require_POST
@login_required
def hearing(request: HttpRequest, pk: int) -> HttpResponse:
    user, application = request_user(request), get_case(pk)
    return _step(
        request,
        application,
        "hearing",
        HearingForm(request.POST),
        lambda d: workflow.send_hearing(user, application, d["intended"]),
        _("The intended decision is sent to the applicant."),
    )


@require_POST
@login_required
def hearing_answer(request: HttpRequest, pk: int, hearing_id: int) -> HttpResponse:
    user, application = request_user(request), get_case(pk)
    item = get_object_or_404(Hearing, pk=hearing_id, application=application)
    return _step(
        request,
        application,
        "hearing_answer",
        HearingAnswerForm(request.POST, request.FILES),
        lambda d: workflow.answer_hearing(user, item, d["answer"], file=d["file"]),
        _("Your answer is attached to the application."),
    )


@require_POST
@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    user, application = request_user(request), get_case(pk)
    return _step(
        request,
        application,
        "answer",
        AnswerForm(request.POST),
        lambda d: workflow.answer_case(user, application, d["outcome"], d["text"]),
        _("The answer is given; the applicant is told and the letter is stored."),
    )


@require_POST
@login_required
def deliver(request: HttpRequest, pk: int) -> HttpResponse:
    user, application = request_user(request), get_case(pk)
    return _step(
        request,
        application,
        "deliver",
        delivery_form(application, request.POST),
        lambda d: workflow.record_delivery(
            user, application, d["method"], d["delivered_on"], d["reference"], d["phone_notice"]
        ),
        _("The delivery is recorded."),
    )


urlpatterns: list[URLPattern] = [
    path("<int:pk>/steps/route/", route, name="case_route"),
    path("<int:pk>/steps/assign/", assign, name="case_assign"),
    path("<int:pk>/steps/extend/", extend, name="case_extend"),
    path("<int:pk>/steps/return/", return_case, name="case_return"),
    path("<int:pk>/steps/terminate/", terminate, name="case_terminate"),
    path("<int:pk>/steps/hearing/", hearing, name="case_hearing"),
    path("<int:pk>/hearings/<int:hearing_id>/answer/", hearing_answer, name="case_hearing_answer"),
    path("<int:pk>/steps/answer/", answer, name="case_answer"),
    path("<int:pk>/steps/deliver/", deliver, name="case_deliver"),
]
