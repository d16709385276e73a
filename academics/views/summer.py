"""Summer semester pages (AC-15): the student applies; the registrar records payments and opens courses."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from academics import rules
from academics.errors import AcademicsError
from academics.models import Discipline, Offering, SummerApplication, Term
from academics.services import summer
from academics.views.fields import DisciplineChoice
from portal.permissions import registrar_user, request_user
from portal.text import kazakh_order


class ApplicationForm(forms.Form):
    discipline = DisciplineChoice(queryset=Discipline.objects.order_by("code"), label=gettext_lazy("Discipline"))


class PaymentForm(forms.Form):
    paid_on = forms.DateField(
        label=gettext_lazy("Paid on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reference = forms.CharField(label=gettext_lazy("Payment document"), max_length=255, required=False)


@login_required
def student_page(request: HttpRequest) -> HttpResponse:
    """AC-15: the student's summer page: the application window, the form, and their applications."""
    user = request_user(request)
    student = user.student_profile
    if student is None:
        raise PermissionDenied
    term = summer.upcoming_summer_term()
    form = ApplicationForm(request.POST or None)
    if request.method == "POST":
        if term is None:
            messages.error(request, _("No summer semester is scheduled yet."))
        elif form.is_valid():
            try:
                application = summer.apply_for_summer_course(user, term, form.cleaned_data["discipline"])
            except AcademicsError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    _("Your application for %(discipline)s is registered. Pay for the course so that it counts.")
                    % {"discipline": application.discipline},
                )
                return redirect("academics:summer")
    applications = student.summer_applications.select_related("discipline", "term__academic_year").order_by(
        "-term__starts_on", "discipline__code"
    )
    context = {
        "term": term,
        "deadline": summer.application_deadline(term) if term else None,
        "window_open": term is not None and rules.summer_application_in_time(timezone.localdate(), term.starts_on),
        "form": form,
        "applications": applications,
        "minimum_paid": rules.SUMMER_MINIMUM_PAID,
        "days_before": rules.SUMMER_APPLICATION_DAYS_BEFORE,
    }
    return render(request, "academics/summer/student.html", context)


@login_required
def courses_page(request: HttpRequest) -> HttpResponse:
    """AC-15: the registrar's summer page: each course with its applicants and paid counts."""
    registrar_user(request)
    terms = list(Term.objects.filter(kind=Term.Kind.SUMMER).select_related("academic_year").order_by("-starts_on"))
    term = None
    if request.GET.get("term", "").isdigit():
        term = next((t for t in terms if t.pk == int(request.GET["term"])), None)
    term = term or summer.upcoming_summer_term() or (terms[0] if terms else None)
    context = {
        "terms": terms,
        "term": term,
        "courses": summer.summer_courses(term) if term else [],
        "deadline": summer.application_deadline(term) if term else None,
        "minimum_paid": rules.SUMMER_MINIMUM_PAID,
        "today": timezone.localdate(),
    }
    return render(request, "academics/summer/courses.html", context)


def _course(term_id: int, discipline_id: int) -> tuple[Term, Discipline]:
    term = get_object_or_404(Term.objects.select_related("academic_year"), pk=term_id, kind=Term.Kind.SUMMER)
    return term, get_object_or_404(Discipline, pk=discipline_id)


@login_required
def course_page(request: HttpRequest, term_id: int, discipline_id: int) -> HttpResponse:
    """The applicants of one summer course, with the registrar's payment form on each unpaid one."""
    registrar_user(request)
    term, discipline = _course(term_id, discipline_id)
    applications = (
        SummerApplication.objects.filter(term=term, discipline=discipline)
        .select_related("student__user", "student__group", "payment_recorded_by")
        .order_by(*kazakh_order("student__user__last_name", "student__user__first_name"), "pk")
    )
    page = Paginator(applications, 50).get_page(request.GET.get("page"))
    course = next((c for c in summer.summer_courses(term) if c.discipline.pk == discipline.pk), None)
    context = {
        "term": term,
        "discipline": discipline,
        "course": course,
        "offering": Offering.objects.filter(term=term, discipline=discipline).prefetch_related("teachers").first(),
        "page": page,
        "payment_form": PaymentForm(initial={"paid_on": timezone.localdate()}),
    }
    return render(request, "academics/summer/course.html", context)


@require_POST
@login_required
def record_payment(request: HttpRequest, pk: int) -> HttpResponse:
    registrar = registrar_user(request)
    application = get_object_or_404(SummerApplication.objects.select_related("discipline"), pk=pk)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the payment date."))
    else:
        try:
            summer.record_summer_payment(
                registrar, application, form.cleaned_data["paid_on"], form.cleaned_data["reference"]
            )
        except AcademicsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Payment recorded."))
    return redirect(_course_url(application.term_id, application.discipline_id))


def _course_url(term_id: int, discipline_id: int) -> str:
    return reverse("academics:summer_course", args=[term_id, discipline_id])


@require_POST
@login_required
def open_course(request: HttpRequest, term_id: int, discipline_id: int) -> HttpResponse:
    registrar = registrar_user(request)
    term, discipline = _course(term_id, discipline_id)
    try:
        result = summer.open_summer_course(registrar, term, discipline)
    except AcademicsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(discipline)s opens: %(enrolled)d students enrolled, %(refused)d refused.")
            % {"discipline": discipline, "enrolled": result.enrolled, "refused": result.refused},
        )
    return redirect(f"{reverse('academics:summer_courses')}?term={term.pk}")


@require_POST
@login_required
def close_course(request: HttpRequest, term_id: int, discipline_id: int) -> HttpResponse:
    registrar = registrar_user(request)
    term, discipline = _course(term_id, discipline_id)
    try:
        count = summer.close_unopened_summer_course(registrar, term, discipline)
    except AcademicsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(discipline)s does not open; %(count)d applicants were notified.")
            % {"discipline": discipline, "count": count},
        )
    return redirect(f"{reverse('academics:summer_courses')}?term={term.pk}")
