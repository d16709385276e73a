"""The case page (item 15, AP-21): what the applicant and the people considering the case see, and the
forms of the steps each of them may take now. A fixed number of queries, however long the timeline."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from appeals import rules
from appeals.forms_applicant import (
    AnswerForm,
    AssignForm,
    DeliveryForm,
    ExtendForm,
    HearingAnswerForm,
    HearingForm,
    ReturnForm,
    RouteForm,
    TerminateForm,
)
from appeals.models import ApplicantType, Application, Attachment, Status
from appeals.permissions import is_dean_of, require_view
from appeals.services import workflow
from portal.models import User
from portal.permissions import request_user

CASE_RELATED = (
    "institute",
    "applicant__student__group__programme",
    "applicant__staff__department__institute",
    "answered_by",
    "answer_document",
    "earlier",
    "filed_by",
    "appealed",
    "grade_appeal__enrolment__offering__discipline",
    "grade_appeal__enrolment__offering__term__academic_year",
)
# What the applicant sees of the files; the rest (documents from departments) is the handlers' material.
APPLICANT_PURPOSES = (
    Attachment.Purpose.EVIDENCE,
    Attachment.Purpose.REPRESENTATION,
    Attachment.Purpose.HEARING_ANSWER,
    Attachment.Purpose.EMAIL_ORIGINAL,
)


# AP-17: the application form of each kind of applicant.
APPENDIX_OF: dict[str, int] = {ApplicantType.STUDENT: 1, ApplicantType.STAFF: 2}


@dataclass(frozen=True)
class Viewer:
    """How the signed-in user stands to the case (AP-21): a party or one of those considering it."""

    user: User
    is_party: bool
    is_dean: bool
    is_handler: bool

    @property
    def is_staff(self) -> bool:
        """Handlers, the dean and the body's members see the whole timeline; the applicant the public steps."""
        return self.is_dean or self.is_handler or not self.is_party

    @property
    def may_consider(self) -> bool:
        return self.is_dean or self.is_handler


def get_case(pk: int) -> Application:
    return get_object_or_404(Application.objects.select_related(*CASE_RELATED), pk=pk)


def viewer_of(user: User, application: Application, co_applicants: list[User], assignments: list[Any]) -> Viewer:
    """Call after require_view: the roles of someone who may see the case."""
    is_party = application.applicant_id == user.pk or any(u.pk == user.pk for u in co_applicants)
    return Viewer(
        user=user,
        is_party=is_party,
        is_dean=is_dean_of(user, application.institute_id),
        is_handler=any(a.user_id == user.pk for a in assignments),
    )


def people_for(application: Application) -> QuerySet[User]:
    """Who can be assigned: the institute's staff and the members of its bodies (and of the ethics council)."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(staff__department__institute_id=application.institute_id)
            | Q(appeal_bodies__institute_id=application.institute_id)
            | Q(appeal_bodies__isnull=False, appeal_bodies__institute__isnull=True)
        )
        .select_related("staff")
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def _allowed(application: Application, action: str) -> bool:
    return application.status in workflow.TRANSITIONS[action][0]


def open_hearing(application: Application, hearings: list[Any], today: Any) -> Any:
    """AP-22: the latest hearing, if the applicant may still answer it."""
    latest = hearings[-1] if hearings else None
    if latest is None or latest.answered_at is not None or today > latest.answer_due:
        return None
    return latest if _allowed(application, "hearing") else None


def staff_forms(
    application: Application, viewer: Viewer, bound: dict[str, forms.Form], today: Any
) -> dict[str, forms.Form]:
    """The step forms the viewer may use on the case now; a bound form (after bad input) replaces its blank."""
    result: dict[str, forms.Form] = {}
    if viewer.is_dean:
        people = people_for(application)
        if _allowed(application, "route"):
            result["route"] = RouteForm(people=people, initial={"body": application.body})
        if _allowed(application, "assign") and application.body:
            result["assign"] = AssignForm(people=people)
        if _allowed(application, "extend"):
            result["extend"] = ExtendForm(initial={"new_due": rules.latest_extension(application.registered_on)})
        if _allowed(application, "return") and today <= rules.return_due(application.registered_on):
            result["return"] = ReturnForm()
        if _allowed(application, "terminate") and application.applicant_id:
            result["terminate"] = terminate_form(application)
    if viewer.may_consider:
        if _allowed(application, "hearing"):
            result["hearing"] = HearingForm()
        if _allowed(application, "answer"):
            result["answer"] = AnswerForm()
        if _allowed(application, "deliver"):
            result["deliver"] = delivery_form(application, initial={"delivered_on": today})
    for name, form in bound.items():
        if name in result:
            result[name] = form
    return result


def terminate_form(application: Application, data: Any = None) -> TerminateForm:
    """AP-08: the applicant's answered earlier applications, those reading alike first."""
    alike = workflow.earlier_answered(application)
    others = (
        Application.objects.filter(
            applicant_id=application.applicant_id, status=Status.ANSWERED, registered_on__lte=application.registered_on
        )
        .exclude(pk__in=[application.pk, *(a.pk for a in alike)])
        .order_by("-registered_on")[:50]
    )
    return TerminateForm(data, earlier=[(a, True) for a in alike] + [(a, False) for a in others])


def delivery_form(application: Application, data: Any = None, initial: Any = None) -> DeliveryForm:
    methods = rules.delivery_methods(application.applicant_type, bool(application.representative_name))
    return DeliveryForm(data, methods=methods, initial=initial)


def render_case(
    request: HttpRequest, application: Application, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    """The case page, with `bound` forms (after a refused step) shown with their errors and input."""
    from appeals.views.applicant import extra_actions

    user = request_user(request)
    today = timezone.localdate()
    require_view(user, application)
    co_applicants = list(application.co_applicants.order_by("last_name", "first_name"))
    assignments = list(application.assignments.select_related("user__staff").order_by("assigned_at", "pk"))
    viewer = viewer_of(user, application, co_applicants, assignments)
    events = application.events.select_related("actor").order_by("at", "pk")
    attachments = application.attachments.order_by("uploaded_at", "pk")
    if not viewer.is_staff:
        events = events.filter(public=True)
        attachments = attachments.filter(purpose__in=APPLICANT_PURPOSES)
    hearings = list(application.hearings.select_related("opened_by").order_by("opened_on", "pk"))
    hearing_to_answer = open_hearing(application, hearings, today) if viewer.is_party else None
    bound = bound or {}
    context = {
        "application": application,
        "viewer": viewer,
        "co_applicants": co_applicants,
        "assignments": assignments,
        "events": list(events),
        "attachments": list(attachments),
        "hearings": hearings,
        "hearing_to_answer": hearing_to_answer,
        "hearing_form": bound.get("hearing_answer") or HearingAnswerForm(),
        "deliveries": list(application.deliveries.order_by("delivered_on", "pk")),
        "forms": staff_forms(application, viewer, bound, today) if viewer.may_consider else {},
        "latest_extension": rules.latest_extension(application.registered_on) if viewer.is_dean else None,
        "return_due": rules.return_due(application.registered_on) if viewer.is_dean else None,
        # AP-06: the due date is stored; a calendar changed since then only warns.
        "calendar_changed": application.is_open and rules.answer_due(application.registered_on) != application.due_on,
        "overdue": application.is_open and today > application.deadline,
        "appendix": APPENDIX_OF.get(application.applicant_type),
        "extra_actions": extra_actions(application, user),
    }
    return render(request, "appeals/applicant/case.html", context)
