"""The registrar's catalogue: disciplines, and the offerings of each term with their teachers and groups (AC-02)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from academics.errors import AcademicsError
from academics.forms import DisciplineForm, OfferingForm
from academics.models import Discipline, Offering, Term
from academics.services import catalogue
from portal.permissions import registrar_user
from portal.text import kazakh_order

PAGE_SIZE = 25


@login_required
def disciplines_page(request: HttpRequest) -> HttpResponse:
    registrar = registrar_user(request)
    form = DisciplineForm(request.POST or None, initial={"credits": 5})
    if request.method == "POST" and form.is_valid():
        try:
            discipline = catalogue.save_discipline(registrar, None, form.cleaned_data)
        except AcademicsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The discipline %(code)s is added.") % {"code": discipline.code})
            return redirect("academics:disciplines")
    rows = Discipline.objects.annotate(offering_count=Count("offerings")).order_by("code")
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(
            Q(code__icontains=query)
            | Q(name_kk__icontains=query)
            | Q(name_ru__icontains=query)
            | Q(name_en__icontains=query)
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "academics/catalogue/disciplines.html", {"form": form, "page": page, "query": query})


@login_required
def discipline_page(request: HttpRequest, pk: int) -> HttpResponse:
    registrar = registrar_user(request)
    discipline = get_object_or_404(Discipline, pk=pk)
    form = DisciplineForm(request.POST or None, instance=Discipline.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            catalogue.save_discipline(registrar, discipline, form.cleaned_data)
        except AcademicsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The discipline is saved."))
            return redirect("academics:disciplines")
    offerings = discipline.offerings.select_related("term__academic_year").annotate(students=Count("enrolments"))
    context = {"discipline": discipline, "form": form, "offerings": offerings.order_by("-term__starts_on")}
    return render(request, "academics/catalogue/discipline.html", context)


def _current_term() -> Term | None:
    """The term under way today (its exam session included), else the next one, else the latest."""
    today = timezone.localdate()
    return (
        Term.objects.filter(starts_on__lte=today, exams_end__gte=today).order_by("starts_on").first()
        or Term.objects.filter(starts_on__gt=today).order_by("starts_on").first()
        or Term.objects.order_by("-starts_on").first()
    )


@login_required
def offerings_page(request: HttpRequest) -> HttpResponse:
    registrar = registrar_user(request)
    terms = list(Term.objects.select_related("academic_year").order_by("-starts_on"))
    term_id = request.GET.get("term", "")
    term = next((t for t in terms if str(t.pk) == term_id), None) if term_id else _current_term()
    initial = {"term": term, "section": "1"}
    form = OfferingForm(request.POST or None, registrar=registrar, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            offering = catalogue.save_offering(registrar, None, **form.cleaned_data)
        except AcademicsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The offering %(offering)s is opened.") % {"offering": offering})
            return redirect("academics:offering_edit", pk=offering.pk)
    rows = (
        Offering.objects.select_related("discipline", "term__academic_year")
        .prefetch_related("teachers", "groups")
        .annotate(students=Count("enrolments", distinct=True))
        .order_by("discipline__code", "section")
    )
    if term is not None:
        rows = rows.filter(term=term)
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(
            Q(discipline__code__icontains=query)
            | Q(discipline__name_kk__icontains=query)
            | Q(discipline__name_ru__icontains=query)
            | Q(discipline__name_en__icontains=query)
            | Q(teachers__last_name__icontains=query)
            | Q(groups__name__icontains=query)
        ).distinct()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": query, "terms": terms, "term": term}
    return render(request, "academics/catalogue/offerings.html", context)


@login_required
def offering_page(request: HttpRequest, pk: int) -> HttpResponse:
    registrar = registrar_user(request)
    offering = get_object_or_404(Offering.objects.select_related("discipline", "term__academic_year"), pk=pk)
    initial = {
        "discipline": offering.discipline,
        "term": offering.term,
        "section": offering.section,
        "teachers": list(offering.teachers.all()),
        "groups": list(offering.groups.all()),
    }
    form = OfferingForm(request.POST or None, registrar=registrar, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue.save_offering(registrar, offering, **form.cleaned_data)
        except AcademicsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The offering is saved."))
            return redirect("academics:offering_edit", pk=pk)
    enrolments = offering.enrolments.select_related("student__user", "student__group").order_by(
        *kazakh_order("student__user__last_name", "student__user__first_name")
    )
    page = Paginator(enrolments, 50).get_page(request.GET.get("page"))
    return render(request, "academics/catalogue/offering.html", {"offering": offering, "form": form, "page": page})


@require_POST
@login_required
def enrol_groups(request: HttpRequest, pk: int) -> HttpResponse:
    registrar = registrar_user(request)
    offering = get_object_or_404(Offering, pk=pk)
    run = catalogue.enrol_groups(registrar, offering)
    if run.enrolled:
        messages.success(request, _("Students enrolled: %(count)d.") % {"count": run.enrolled})
    elif not run.refused:
        messages.info(request, _("Every student of the offering's groups is already enrolled."))
    for student, reason in run.refused:
        messages.warning(request, f"{student.user.full_name} ({student.user.id_code}): {reason}")
    return redirect("academics:offering_edit", pk=pk)
