"""Registrar's pages: transfer decisions (AC-12) and the state scholarship list (AC-17), with CSV exports."""

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from academics.errors import AcademicsError
from academics.forms import ScholarshipFilterForm, TransferFilterForm
from academics.models import AcademicYear, Term, TransferDecision, TransferRun
from academics.services import decisions
from portal.permissions import is_registrar, registrar_user, request_user
from portal.text import kazakh_order

PER_PAGE = 50


def _default_year() -> AcademicYear | None:
    """The year last computed; else the latest with a signed grade; else the latest."""
    run = TransferRun.objects.select_related("academic_year").first()
    if run is not None:
        return run.academic_year
    years = AcademicYear.objects.order_by("-start_year")
    graded = years.filter(terms__offerings__enrolments__grade__signed_at__isnull=False)
    return graded.first() or years.first()


def _filtered(request: HttpRequest) -> tuple[TransferFilterForm, AcademicYear | None, QuerySet[TransferDecision]]:
    form = TransferFilterForm(request.GET)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or _default_year()
    if year is None:
        return form, None, TransferDecision.objects.none()
    rows = decisions.decisions_of(year)
    if data.get("outcome"):
        rows = rows.filter(outcome=data["outcome"])
    if data.get("group"):
        rows = rows.filter(student__group=data["group"])
    if data.get("stale"):
        rows = rows.exclude(policy_version=year.policy_version)
    if q := (data.get("q") or "").strip():
        rows = rows.filter(
            Q(student__user__id_code__istartswith=q)
            | Q(student__user__last_name__icontains=q)
            | Q(student__user__first_name__icontains=q)
        )
    order = kazakh_order("student__group__name", "student__user__last_name", "student__user__first_name")
    return form, year, rows.order_by(*order, "pk")


@login_required
def transfer_decisions(request: HttpRequest) -> HttpResponse:
    """AC-12: a year's stored decisions, filtered and paginated, stale ones marked."""
    registrar_user(request)
    form, year, rows = _filtered(request)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {"form": form, "year": year, "page": page}
    if year is not None:
        context["summary"] = decisions.decision_summary(year)
        context["last_run"] = TransferRun.objects.filter(academic_year=year).select_related("run_by").first()
    return render(request, "academics/decisions/transfers.html", context)


@login_required
def transfer_compute(request: HttpRequest) -> HttpResponse:
    """AC-12: confirm, then compute every decision of the chosen year under its current rules version."""
    registrar = registrar_user(request)
    year_pk = request.POST.get("year") or request.GET.get("year")
    year = get_object_or_404(AcademicYear, pk=year_pk if str(year_pk).isdigit() else 0)
    if request.method == "POST":
        count = decisions.decide_transfers(registrar, year)
        messages.success(
            request,
            ngettext(
                "%(count)d transfer decision computed for %(year)s under rules version %(version)s.",
                "%(count)d transfer decisions computed for %(year)s under rules version %(version)s.",
                count,
            )
            % {"count": count, "year": year, "version": year.policy_version},
        )
        return redirect(f"{reverse('academics:transfer_decisions')}?year={year.pk}")
    existing = TransferDecision.objects.filter(academic_year=year).count()
    return render(request, "academics/decisions/transfer_confirm.html", {"year": year, "existing": existing})


def _csv_response(filename: str) -> tuple[HttpResponse, Any]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # a BOM, so spreadsheet programs read the Cyrillic names as UTF-8
    return response, csv.writer(response)


def _yes(flag: bool) -> str:
    return _("yes") if flag else _("no")


@login_required
def transfer_decisions_csv(request: HttpRequest) -> HttpResponse:
    """AC-12: the filtered decisions as CSV."""
    registrar_user(request)
    _form, year, rows = _filtered(request)
    response, writer = _csv_response(f"transfer-decisions-{year or 'none'}.csv")
    writer.writerow(
        [
            _("ID code"),
            _("Student"),
            _("Study group"),
            _("Year of study"),
            _("Moving to year"),
            _("GPA of the academic year"),
            _("Cumulative GPA"),
            _("GPA that decides transfer"),
            _("Deciding GPA"),
            _("Threshold"),
            _("Outcome"),
            _("State grant lost"),
            _("Rules version"),
            _("Stale"),
            _("Computed at"),
        ]
    )
    for d in rows.iterator(chunk_size=2000):
        writer.writerow(
            [
                d.student.user.id_code,
                d.student.user.full_name,
                d.student.group.name,
                d.year_of_study,
                d.to_year or "",
                d.gpa_year,
                d.gpa_cumulative,
                d.get_basis_display(),
                d.gpa_deciding,
                d.threshold if d.threshold is not None else "",
                d.get_outcome_display(),
                _yes(d.state_grant_lost),
                d.policy_version,
                _yes(d.is_stale),
                timezone.localtime(d.computed_at).strftime("%d.%m.%Y %H:%M"),
            ]
        )
    return response


def _scholarship(request: HttpRequest) -> tuple[ScholarshipFilterForm, Term | None, list[decisions.ScholarshipRow]]:
    groups = decisions.scholarship_groups(request_user(request))  # 403 unless registrar or dean
    terms = decisions.scholarship_terms()
    form = ScholarshipFilterForm(request.GET, terms=terms)
    term = form.cleaned_data.get("term") if form.is_valid() else None
    if term is None:
        today = timezone.localdate()
        term = terms.filter(starts_on__lte=today).first() or terms.first()
    if term is None:
        return form, None, []
    try:
        rows = decisions.scholarship_list(term, None if is_registrar(request_user(request)) else groups)
    except AcademicsError as exc:  # pragma: no cover - the form offers no summer term
        messages.error(request, str(exc))
        rows = []
    return form, term, rows


@login_required
def scholarship_page(request: HttpRequest) -> HttpResponse:
    """AC-17: the state scholarship list of a semester; deans see their scope, read-only."""
    form, term, rows = _scholarship(request)
    context = {
        "form": form,
        "term": term,
        "page": Paginator(rows, PER_PAGE).get_page(request.GET.get("page")),
        "first_semester": sum(1 for r in rows if r.first_semester),
        "total": len(rows),
    }
    return render(request, "academics/decisions/scholarship.html", context)


@login_required
def scholarship_csv(request: HttpRequest) -> HttpResponse:
    """AC-17: the scholarship list as CSV."""
    _form, term, rows = _scholarship(request)
    label = f"{term.academic_year}-{term.kind}" if term else "none"
    response, writer = _csv_response(f"state-scholarship-{label}.csv")
    writer.writerow(
        [_("ID code"), _("Student"), _("Study group"), _("Year of study"), _("Funding"), _("Basis"), _("Grades")]
    )
    for r in rows:
        basis = _("first semester of year one") if r.first_semester else _("previous session")
        writer.writerow([r.id_code, r.full_name, r.group, r.year_of_study, r.funding_label, basis, " ".join(r.letters)])
    return response
