"""The dean's pages: the triage dashboard of open cases (AP-09) and the incoming journal (AP-04).

Both are for the dean's office of the institutes the user runs (`deans_institutes`); anyone else gets 403.
"""

import csv
import html
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from datetime import date
from itertools import chain
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from appeals import selectors, triage_cache
from appeals.models import ApplicantType, Application, Body, Channel, Kind, Status
from appeals.permissions import deans_institutes
from portal.documents import render_pdf
from portal.models import Institute
from portal.permissions import request_user

PER_PAGE = 50
JOURNAL_PDF_MAX_ROWS = 1000  # a longer journal is exported as CSV, or printed a shorter period at a time


def _any(label: str, choices: Sequence[tuple[str, object]]) -> list[tuple[str, object]]:
    return [("", label), *choices]


SELECTS = (
    ("kind", "col-xl-2 col-md-3 col-6"),
    ("body", "col-xl-3 col-md-3 col-6"),
    ("status", "col-xl-3 col-md-4 col-6"),
    ("channel", "col-xl-3 col-md-4 col-6"),
    ("applicant_type", "col-xl-3 col-md-4 col-6"),
)


class TriageFilterForm(forms.Form):
    """AP-09: the filters of the triage page; a value that is not one of the choices is an error, not a filter."""

    q = forms.CharField(required=False, max_length=100, label=gettext_lazy("Search"))
    kind = forms.ChoiceField(required=False, label=gettext_lazy("Kind"))
    body = forms.ChoiceField(required=False, label=gettext_lazy("Considered by"))
    status = forms.ChoiceField(required=False, label=gettext_lazy("Status"))
    channel = forms.ChoiceField(required=False, label=gettext_lazy("Channel"))
    applicant_type = forms.ChoiceField(required=False, label=gettext_lazy("Applicant"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = {
            "kind": _any(_("All kinds"), Kind.choices),
            "body": _any(_("Any body"), Body.choices),
            "status": _any(
                _("All open"), [(s.value, s.label) for s in (Status.REGISTERED, Status.IN_REVIEW, Status.COMMISSION)]
            ),
            "channel": _any(_("All channels"), Channel.choices),
            "applicant_type": _any(_("All applicants"), ApplicantType.choices),
        }
        for name, options in choices.items():
            self.fields[name].choices = options  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update(
            {
                "class": "form-control form-control-sm",
                "type": "search",
                "placeholder": _("No., subject, name or ID code"),
            }
        )

    def selects(self) -> list[tuple[str, str, str, str, list[tuple[str, str, bool]]]]:
        """The filter drop-downs as plain values (name, id, label, column class, options with the chosen one):
        the page writes them itself, a few times cheaper than rendering each option through a widget template."""
        out = []
        for name, column in SELECTS:
            bound = self[name]
            current = str(bound.value() or "")
            options = [(str(v), str(label), str(v) == current) for v, label in self.fields[name].choices]  # type: ignore[attr-defined]
            out.append((name, bound.id_for_label, str(bound.label), column, options))
        return out

    def filters(self) -> selectors.TriageFilters:
        """The valid filters (an invalid one is left out; the page shows its error)."""
        data = {name: value for name, value in getattr(self, "cleaned_data", {}).items() if value}
        return selectors.TriageFilters(**data)


class PeriodForm(forms.Form):
    """AP-04: the journal's period, both ends included."""

    date_from = forms.DateField(
        required=False, label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(required=False, label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start of the period is after its end."))
        return data


def _institutes(request: HttpRequest) -> list[Institute]:
    """The institutes whose dean's office the user runs; 403 for anyone else."""
    institutes = list(deans_institutes(request_user(request)).order_by("code"))
    if not institutes:
        raise PermissionDenied
    return institutes


@login_required
def triage(request: HttpRequest) -> HttpResponse:
    """AP-09: every open case of the dean's institutes, soonest deadline first, overdue and due-soon marked."""
    institutes = _institutes(request)
    today = timezone.localdate()
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    list_html = triage_cache.cached_list(
        [i.pk for i in institutes], query, get_language(), today, lambda: _list_html(request, institutes, today)
    )
    context = {"institutes": institutes, "list_html": mark_safe(list_html)}  # rendered by our template
    return render(request, "appeals/triage/triage.html", context)


def _list_html(request: HttpRequest, institutes: list[Institute], today: date) -> str:
    """The counts, the filters and the page of open cases, as `appeals/triage/_list.html` renders them."""
    form = TriageFilterForm(request.GET)
    form.is_valid()
    filters = form.filters()
    filtered = any(asdict(filters).values())
    calendar = selectors.page_calendar(today)  # one read of the calendar for the counts and the rows
    counts = selectors.triage_counts(institutes, today, calendar)
    paginator = Paginator(selectors.triage_cases(institutes, filters), PER_PAGE)
    if not filtered:
        paginator.count = counts.open  # the same cases: no second count
    page = paginator.get_page(request.GET.get("page"))
    rows = selectors.deadline_states(list(page), today, calendar, institutes)
    context = {
        "form": form,
        "page": page,
        "rows": [_row_html(row, len(institutes) > 1, html.escape(_("extended"))) for row in rows],
        "counts": counts,
        "institutes": institutes,
        "filtered": filtered,
    }
    return render_to_string("appeals/triage/_list.html", context, request)


# AP-09 asks for the dean's page at p95 under 150 ms: its 50 rows are written here, a format string each,
# several times cheaper than the same markup through template tags (every value is escaped, html.escape
# as the template engine does).
ROW = (
    '<tr class="{row_class}" data-number="{number}">'
    '<td class="text-nowrap"><div>{deadline}{extended}</div>'
    '<div class="small deadline-state{note_class}">{note}</div></td>'
    '<td class="text-nowrap"><a href="{url}">{number}</a>'
    '<div class="small text-muted">{registered}{institute}</div></td>'
    "<td>{applicant}</td>"
    '<td>{kind}<div class="small text-muted">{channel}</div></td>'
    "<td>{subject}</td>"
    "<td>{body}{handlers}</td>"
    '<td><span class="badge text-wrap text-start {badge}">{status}</span></td>'
    "</tr>"
)
BADGES: dict[str, str] = {Status.REGISTERED: "text-bg-primary", Status.COMMISSION: "text-bg-info"}


def _row_html(row: selectors.TriageRow, several: bool, extended_label: str) -> SafeString:
    case, state, e = row.case, row.state, html.escape
    applicant = case.applicant
    if applicant is not None:
        details = f"{e(applicant.id_code)} · {e(row.applicant_type)}"
        who = f'{e(applicant.full_name)}<div class="small text-muted">{details}</div>'
    else:
        who = f'<span class="text-muted">{e(row.applicant_type)}</span>'
    extended = ""
    if case.extended_to:
        extended = (
            f' <span class="badge text-bg-light border" title="{e(case.extension_reason)}">{extended_label}</span>'
        )
    return mark_safe(  # every value from the case is escaped above or here
        ROW.format(
            row_class="table-danger" if state.overdue else "table-warning" if state.due_soon else "",
            number=e(case.number),
            deadline=row.deadline_text,
            extended=extended,
            note_class=" text-danger fw-semibold"
            if state.overdue
            else " fw-semibold"
            if state.due_soon
            else " text-muted",
            note=e(row.deadline_note),
            url=e(row.url),
            registered=row.registered_text,
            institute=f" · {e(row.institute_code)}" if several else "",
            applicant=who,
            kind=e(row.kind),
            channel=e(row.channel),
            subject=e(row.short_subject),
            body=e(row.body or "—"),
            handlers=f'<div class="small text-muted">{e(row.handlers)}</div>' if row.handlers else "",
            badge=BADGES.get(case.status, "text-bg-secondary"),
            status=e(row.status),
        )
    )


def _period(request: HttpRequest) -> PeriodForm:
    form = PeriodForm(request.GET)
    form.is_valid()
    return form


def _journal_rows(form: PeriodForm, institutes: list[Institute]) -> QuerySet[Application]:
    data = form.cleaned_data if not form.errors else {}
    return selectors.journal(institutes, data.get("date_from"), data.get("date_to"))


@login_required
def journal(request: HttpRequest) -> HttpResponse:
    """AP-04: the incoming journal, newest registration first, for a period; exported as CSV or PDF."""
    institutes = _institutes(request)
    form = _period(request)
    rows = _journal_rows(form, institutes).reverse()
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    period = urlencode({k: v for k, v in request.GET.items() if k in ("date_from", "date_to") and v})
    context = {
        "form": form,
        "page": page,
        "rows": list(selectors.journal_rows(page)),
        "institutes": institutes,
        "period": period,
    }
    return render(request, "appeals/triage/journal.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _filename(form: PeriodForm, extension: str) -> str:
    data = getattr(form, "cleaned_data", {})
    start, end = data.get("date_from"), data.get("date_to")
    span = "-".join(d.isoformat() for d in (start, end) if d) or timezone.localdate().isoformat()
    return f"journal-{span}.{extension}"


def _back_to_journal(request: HttpRequest) -> HttpResponse:
    query = request.GET.urlencode()
    return redirect(reverse("appeals:journal") + (f"?{query}" if query else ""))


@login_required
def journal_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """AP-04: the journal of the period as CSV (UTF-8 with a byte-order mark, so spreadsheets read Kazakh)."""
    institutes = _institutes(request)
    form = _period(request)
    if form.errors:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back_to_journal(request)
    writer = csv.writer(_Echo())
    lines: Iterator[str] = (writer.writerow(row) for row in selectors.journal_csv_rows(_journal_rows(form, institutes)))
    response = StreamingHttpResponse(chain(["\ufeff"], lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(form, "csv")}"'
    return response


@login_required
def journal_pdf(request: HttpRequest) -> HttpResponse:
    """AP-04: the journal of the period as a printable PDF (landscape A4 table)."""
    institutes = _institutes(request)
    form = _period(request)
    if form.errors:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back_to_journal(request)
    rows = list(_journal_rows(form, institutes)[: JOURNAL_PDF_MAX_ROWS + 1])
    if len(rows) > JOURNAL_PDF_MAX_ROWS:
        messages.error(
            request,
            _("The period holds more than %(n)d applications: choose a shorter period for the PDF, or export CSV.")
            % {"n": JOURNAL_PDF_MAX_ROWS},
        )
        return _back_to_journal(request)
    data = form.cleaned_data
    context = {
        "rows": list(selectors.journal_rows(rows)),
        "institutes": institutes,
        "date_from": data.get("date_from"),
        "date_to": data.get("date_to"),
        "printed_on": timezone.localdate(),
    }
    pdf = render_pdf("appeals/triage/pdf/journal.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(form, "pdf")}"'
    return response


urlpatterns: list[URLPattern] = [
    path("triage/", triage, name="triage"),
    path("journal/", journal, name="journal"),
    path("journal/export.csv", journal_csv, name="journal_csv"),
    path("journal/export.pdf", journal_pdf, name="journal_pdf"),
]
