"""Pages of exam-grade appeals (AP-18), appeals to a higher official (AP-14) and escalation (AP-20)."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from academics.models import GradeRecord
from appeals.errors import AppealError
from appeals.forms_grades import (
    AdvisorPassForm,
    EscalateForm,
    ForwardForm,
    GradeAppealForm,
    HearingForm,
    HigherAppealForm,
    RefuseForm,
    UpholdForm,
)
from appeals.models import Application, Channel, GradeAppeal, Kind, Level
from appeals.permissions import dean_institute_ids, is_dean_of, is_handler
from appeals.services import escalation, grades, higher, workflow
from appeals.services.filing import Filing
from portal.models import Role, User
from portal.permissions import request_user, user_roles

PER_PAGE = 20
ESCALATE_FROM = workflow.TRANSITIONS["escalate"][0]
Stage = GradeAppeal.Stage
ROW_RELATED = (
    "application__applicant",
    "enrolment__offering__discipline",
    "enrolment__offering__term__academic_year",
    "enrolment__grade",
    "amendment",
)


def _search(rows: QuerySet[GradeAppeal], query: str) -> QuerySet[GradeAppeal]:
    if not query:
        return rows
    return rows.filter(
        Q(application__number__icontains=query)
        | Q(application__applicant__last_name__icontains=query)
        | Q(enrolment__offering__discipline__name_kk__icontains=query)
        | Q(enrolment__offering__discipline__name_ru__icontains=query)
        | Q(enrolment__offering__discipline__name_en__icontains=query)
    )


@login_required
def grade_appeal_new(request: HttpRequest) -> HttpResponse:
    """AP-18: the student's appeal of a signed exam grade."""
    user = request_user(request)
    if not hasattr(user, "student"):
        raise PermissionDenied
    enrolments = grades.appealable_enrolments(user)
    form = GradeAppealForm(request.POST or None, request.FILES or None, enrolments=enrolments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        appeal = grades.GradeAppealFiling(
            enrolment=data["enrolment"],
            question_number=data["question_number"],
            ground=data["ground"],
            text=data["text"],
            files=[data["attachment"]] if data["attachment"] else [],
        )
        try:
            case = grades.file_grade_appeal(user, appeal)
        except AppealError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Your exam grade appeal is registered: %(number)s. The answer is due by %(date)s.")
                % {"number": case.number, "date": case.due_on.strftime("%d.%m.%Y")},
            )
            return redirect("appeals:my_grade_appeals")
    return render(request, "appeals/grades/new.html", {"form": form, "has_enrolments": enrolments.exists()})


@login_required
def my_grade_appeals(request: HttpRequest) -> HttpResponse:
    """AP-18: the student's grade appeals and their outcomes."""
    user = request_user(request)
    query = request.GET.get("q", "").strip()
    rows = _search(GradeAppeal.objects.filter(application__applicant=user).select_related(*ROW_RELATED), query)
    page = Paginator(rows.order_by("-application__registered_on", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "appeals/grades/mine.html", {"page": page, "query": query})


@login_required
def grade_appeals(request: HttpRequest) -> HttpResponse:
    """AP-18: the grade appeals of the dean's institutes, or those forwarded to the head of department."""
    user = request_user(request)
    institute_ids = dean_institute_ids(user)
    if user.is_superuser or institute_ids is None:
        rows = GradeAppeal.objects.all()
    elif institute_ids:
        rows = GradeAppeal.objects.filter(application__institute_id__in=institute_ids)
    elif Role.HEAD_OF_DEPARTMENT in user_roles(user):
        rows = GradeAppeal.objects.filter(application__assignments__user=user)
    else:
        raise PermissionDenied
    stage = request.GET.get("stage", "")
    if stage in Stage.values:
        rows = rows.filter(stage=stage)
    query = request.GET.get("q", "").strip()
    rows = _search(rows.select_related(*ROW_RELATED), query).order_by("application__due_on", "pk")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "stage": stage, "stages": Stage.choices}
    return render(request, "appeals/grades/list.html", context)


def _step_forms(data: QueryDict, action: str, heads: list[User], grade: GradeRecord) -> dict[str, forms.Form]:
    """The forms of the step page; only the one submitted is bound."""

    def bound(name: str) -> QueryDict | None:
        return data if action == name else None

    return {
        "forward": ForwardForm(bound("forward"), heads=heads, prefix="forward"),
        "uphold": UpholdForm(bound("uphold"), grade=grade, prefix="uphold"),
        "hearing": HearingForm(bound("hearing"), prefix="hearing"),
        "refuse": RefuseForm(bound("refuse"), prefix="refuse"),
    }


STEPS: dict[str, Callable[[User, Application, dict[str, object]], object]] = {
    "forward": lambda u, a, d: grades.forward_to_department(u, a, d["head"]),  # type: ignore[arg-type]
    "uphold": lambda u, a, d: grades.uphold(u, a, d["answer"], d["r1"], d["r2"], d["exam"]),  # type: ignore[arg-type]
    "hearing": lambda u, a, d: grades.send_intended_refusal(u, a, d["intended"]),  # type: ignore[arg-type]
    "refuse": lambda u, a, d: grades.refuse(u, a, d["answer"]),  # type: ignore[arg-type]
}
DONE = {
    "forward": gettext_lazy("The appeal is forwarded to the head of department."),
    "uphold": gettext_lazy("The appeal is upheld: the grade is changed and the student is answered."),
    "hearing": gettext_lazy("The intended decision is sent to the student."),
    "refuse": gettext_lazy("The appeal is refused and the student is answered."),
}


@login_required
def grade_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    """AP-18, AP-22: the dean forwards the appeal; the head of department upholds it with new scores or, after
    the hearing, refuses it."""
    user = request_user(request)
    row = get_object_or_404(
        GradeAppeal.objects.select_related(
            *ROW_RELATED, "application__institute", "enrolment__student__group__programme__department"
        ),
        application_id=pk,
    )
    case = row.application
    dean, handler = is_dean_of(user, case.institute_id), is_handler(user, case)
    if not (dean or handler):
        raise PermissionDenied
    heads = grades.department_heads(grades.appeal_department(row.enrolment))
    action = request.POST.get("action", "") if request.method == "POST" else ""
    step_forms = _step_forms(request.POST, action, heads, row.enrolment.grade)
    if action in STEPS:
        form = step_forms[action]
        if form.is_valid():
            try:
                STEPS[action](user, case, form.cleaned_data)
            except AppealError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, str(DONE[action]))
                return redirect("appeals:grade_appeal", pk=case.pk)
    hearing = case.hearings.order_by("-opened_on", "-id").first()
    context = {
        "row": row,
        "case": case,
        "grade": row.enrolment.grade,
        "heads": heads,
        "forms": step_forms,
        "can_forward": dean and row.stage == Stage.DEAN,
        "can_decide": handler and row.stage == Stage.DEPARTMENT,
        "hearing": hearing,
        "hearing_complete": workflow.hearing_complete(case, timezone.localdate()),
        "attachments": case.attachments.all(),
        "events": case.events.select_related("actor"),
        "can_escalate": case.status in ESCALATE_FROM,
    }
    return render(request, "appeals/grades/step.html", context)


@login_required
def higher_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    """AP-14: the applicant appeals the decision on, or the inaction over, their own case."""
    user = request_user(request)
    case = get_object_or_404(Application.objects.select_related("institute"), pk=pk)
    if case.applicant_id != user.pk:
        raise PermissionDenied
    basis, refusal = None, ""
    try:
        basis = higher.basis(case, timezone.localdate())
    except AppealError as error:
        refusal = str(error)
    form = HigherAppealForm(request.POST or None, late=basis is not None and basis.late)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appeal = higher.appeal_to_higher(user, case, data["text"], data.get("delay_reason", ""))
        except AppealError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Your appeal to the higher official is registered: %(number)s. The answer is due by %(date)s.")
                % {"number": appeal.number, "date": appeal.due_on.strftime("%d.%m.%Y")},
            )
            return redirect("appeals:higher_appeal", pk=case.pk)
    context = {
        "case": case,
        "form": form,
        "basis": basis,
        "refusal": refusal,
        "officials": higher.officials(basis.level, case) if basis else [],
        "level_label": _level_label(basis.level) if basis else "",
        "pending": higher.pending_appeal(case),
        "appeals": case.appeals.order_by("-registered_on", "-pk"),
    }
    return render(request, "appeals/grades/higher.html", context)


def _level_label(level: int) -> str:
    return str(Level(level).label)


@login_required
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    """AP-20: a handler or the dean passes the case up the ladder with a reason."""
    user = request_user(request)
    case = get_object_or_404(Application.objects.select_related("institute", "applicant"), pk=pk)
    if not escalation.can_escalate(user, case):
        raise PermissionDenied
    targets = escalation.escalation_targets(case)
    form = EscalateForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        level, person = form.level_and_person()
        try:
            workflow.escalate(user, case, level, get_object_or_404(User, pk=person), form.cleaned_data["reason"])
        except AppealError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The case is passed to the higher level."))
            if case.kind == Kind.GRADE_APPEAL:
                return redirect("appeals:grade_appeal", pk=case.pk)
            return redirect("appeals:case", pk=case.pk)
    targets = [(level, people) for level, people in targets if people]
    context = {"case": case, "form": form, "targets": targets, "possible": case.status in ESCALATE_FROM}
    return render(request, "appeals/grades/escalate.html", context)


@login_required
def advisor_pass(request: HttpRequest) -> HttpResponse:
    """AP-20 (002 9.2): the advisor passes a student's complaint or proposal to the head of department."""
    user = request_user(request)
    if not escalation.is_advisor(user):
        raise PermissionDenied
    students = escalation.advisees(user).order_by("group__name", "user__last_name", "user__first_name")
    form = AdvisorPassForm(request.POST or None, request.FILES or None, students=students)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        filing = Filing(
            kind=data["kind"],
            subject=data["subject"],
            text=data["text"],
            files=[data["attachment"]] if data["attachment"] else [],
        )
        try:
            case = escalation.pass_to_department(user, data["student"], filing)
        except AppealError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Passed to the head of department and registered: %(number)s.") % {"number": case.number},
            )
            return redirect("appeals:advisor_pass")
    passed = (
        Application.objects.filter(filed_by=user, channel=Channel.ADVISOR)
        .select_related("applicant")
        .order_by("-registered_on", "-pk")[:10]
    )
    return render(request, "appeals/grades/advisor_pass.html", {"form": form, "passed": passed})


urlpatterns: list[URLPattern] = [
    path("grade-appeals/", grade_appeals, name="grade_appeals"),
    path("grade-appeals/new/", grade_appeal_new, name="grade_appeal_new"),
    path("grade-appeals/mine/", my_grade_appeals, name="my_grade_appeals"),
    path("grade-appeals/<int:pk>/", grade_appeal, name="grade_appeal"),
    path("<int:pk>/higher-appeal/", higher_appeal, name="higher_appeal"),
    path("<int:pk>/escalate/", escalate, name="escalate"),
    path("advisor/pass/", advisor_pass, name="advisor_pass"),
]
