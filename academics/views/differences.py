"""Academic difference pages (AC-20): the student's own; the registrar's and dean's list, record and clear."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from academics.errors import AcademicsError
from academics.models import AcademicDifference, Discipline, GradeRecord, Term
from academics.services import differences
from academics.views.fields import DisciplineChoice
from portal.models import Role, StudentProfile, User
from portal.permissions import request_user, user_roles
from portal.text import kazakh_order

# The list's filters: plural in Russian ("Открытые"), unlike one difference's state ("Открыта").
STATES = {
    "open": pgettext_lazy("academic differences", "Open"),
    "overdue": pgettext_lazy("academic differences", "Overdue (academic debt)"),
    "cleared": pgettext_lazy("academic differences", "Cleared"),
    "all": gettext_lazy("All"),
}


class DifferenceForm(forms.Form):
    student = forms.CharField(label=gettext_lazy("Student ID"), max_length=20)
    discipline = DisciplineChoice(queryset=Discipline.objects.order_by("code"), label=gettext_lazy("Discipline"))
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=AcademicDifference.Reason.choices)
    due_term = forms.ModelChoiceField(
        queryset=Term.objects.none(),
        label=gettext_lazy("To be cleared in"),
        required=False,
        help_text=gettext_lazy("By the end of this term's exam session; or give a date instead."),
    )
    due_on = forms.DateField(
        label=gettext_lazy("Or by the date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    document_reference = forms.CharField(label=gettext_lazy("Order (number and date)"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        terms = Term.objects.filter(exams_end__gte=timezone.localdate()).select_related("academic_year")
        self.fields["due_term"].queryset = terms.order_by("starts_on")  # type: ignore[attr-defined]

    def clean_student(self) -> StudentProfile:
        code = self.cleaned_data["student"].strip()
        student = StudentProfile.objects.select_related("group").filter(user__id_code__iexact=code).first()
        if student is None:
            raise forms.ValidationError(_("No student has this ID."))
        return student


@login_required
def student_page(request: HttpRequest) -> HttpResponse:
    """AC-20: the student's own differences, open ones first, with what counts as debt already."""
    student = request_user(request).student_profile
    if student is None:
        raise PermissionDenied
    rows = student.academic_differences.select_related(
        "discipline", "due_term__academic_year", "clearing_grade__enrolment__offering__term__academic_year"
    ).order_by(F("cleared_at").desc(nulls_first=True), "pk")
    return render(request, "academics/differences/student.html", {"rows": rows})


def _manager(request: HttpRequest) -> User:
    user = request_user(request)
    if not (user.is_superuser or user_roles(user) & {Role.REGISTRAR, Role.DEAN}):
        raise PermissionDenied
    return user


@login_required
def manage_page(request: HttpRequest) -> HttpResponse:
    """AC-20: the differences in the registrar's or dean's scope, and the form to record one."""
    user = _manager(request)
    form = DifferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            differences.record_difference(
                user,
                data["student"],
                data["discipline"],
                data["reason"],
                due_term=data["due_term"],
                due_on=data["due_on"],
                document_reference=data["document_reference"],
            )
        except AcademicsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The academic difference is recorded."))
            return redirect("academics:differences")
    state = request.GET.get("state", "open")
    state = state if state in STATES else "open"
    today = timezone.localdate()
    rows = differences.in_scope(user).select_related(
        "student__user", "student__group", "discipline", "due_term__academic_year", "cleared_by"
    )
    if state == "open":
        rows = rows.filter(cleared_at__isnull=True)
    elif state == "overdue":
        rows = rows.filter(differences.overdue(today))
    elif state == "cleared":
        rows = rows.filter(cleared_at__isnull=False)
    rows = rows.order_by(*kazakh_order("student__user__last_name", "student__user__first_name"), "pk")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "state": state, "states": STATES}
    return render(request, "academics/differences/manage.html", context)


class ClearForm(forms.Form):
    grade = forms.ModelChoiceField(queryset=GradeRecord.objects.none(), label=gettext_lazy("Grade"), required=False)
    note = forms.CharField(
        label=gettext_lazy("Or how it was cleared"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("E.g. a recognised course, or the number and date of an order."),
    )


@login_required
def clear_page(request: HttpRequest, pk: int) -> HttpResponse:
    """AC-20: settle a difference by a signed passing grade in the discipline, or a note."""
    user = _manager(request)
    difference = get_object_or_404(
        AcademicDifference.objects.select_related(
            "student__user", "student__group", "discipline", "due_term__academic_year"
        ),
        pk=pk,
    )
    if not differences.may_manage(user, difference.student):
        raise PermissionDenied
    form = ClearForm(request.POST or None)
    grades = differences.clearing_grades(difference)
    form.fields["grade"].queryset = grades  # type: ignore[attr-defined]
    form.fields["grade"].label_from_instance = lambda g: f"{g.letter} ({g.points}) · {g.enrolment.offering.term}"  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            differences.clear_difference(
                user, difference, grade=form.cleaned_data["grade"], note=form.cleaned_data["note"]
            )
        except AcademicsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The academic difference is cleared."))
            return redirect("academics:differences")
    return render(request, "academics/differences/clear.html", {"difference": difference, "form": form})
