"""The registrar's academic calendar: years, their rule parameters and terms with entry windows (AC-01, AC-12)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from academics.errors import AcademicsError
from academics.forms import AcademicYearForm, NewYearForm, TermForm
from academics.models import AcademicYear, GradeRecord
from academics.services import calendar
from portal.forms import errors_text
from portal.permissions import registrar_user


@login_required
def years_page(request: HttpRequest) -> HttpResponse:
    registrar_user(request)
    years = AcademicYear.objects.annotate(term_count=Count("terms")).order_by("-start_year")
    return render(request, "academics/calendar/years.html", {"years": years, "form": NewYearForm()})


@require_POST
@login_required
def create_year(request: HttpRequest) -> HttpResponse:
    registrar = registrar_user(request)
    form = NewYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("academics:calendar")
    try:
        year = calendar.create_academic_year(registrar, form.cleaned_data["start_year"])
    except AcademicsError as exc:
        messages.error(request, str(exc))
        return redirect("academics:calendar")
    messages.success(request, _("The academic year %(year)s is created with the default calendar.") % {"year": year})
    return redirect("academics:calendar_year", pk=year.pk)


@login_required
def year_page(request: HttpRequest, pk: int) -> HttpResponse:
    registrar = registrar_user(request)
    year = get_object_or_404(AcademicYear, pk=pk)
    terms = list(year.terms.order_by("starts_on"))
    data = request.POST if request.method == "POST" else None
    year_form = AcademicYearForm(data, instance=AcademicYear.objects.get(pk=pk))
    term_forms = [(t, TermForm(data, instance=type(t).objects.get(pk=t.pk), prefix=f"term-{t.pk}")) for t in terms]
    if request.method == "POST":
        if year_form.is_valid() and all(f.is_valid() for _t, f in term_forms):
            try:
                changed = calendar.save_calendar(
                    registrar,
                    year,
                    year_form.cleaned_data,
                    {t.pk: f.cleaned_data for t, f in term_forms},
                )
            except AcademicsError as exc:
                messages.error(request, str(exc))
            else:
                if changed:
                    year.refresh_from_db()
                    messages.success(
                        request,
                        _("Saved. The rules changed: this year's rules version is now %(version)s.")
                        % {"version": year.policy_version},
                    )
                else:
                    messages.success(request, _("The calendar is saved."))
                return redirect("academics:calendar_year", pk=pk)
        else:
            messages.error(request, _("Nothing was saved: correct the marked fields."))
    outdated = GradeRecord.objects.filter(
        ~Q(policy_version=year.policy_version),
        enrolment__offering__term__academic_year=year,
        letter__gt="",
    ).count()
    context = {"year": year, "year_form": year_form, "term_forms": term_forms, "outdated": outdated}
    return render(request, "academics/calendar/year.html", context)
