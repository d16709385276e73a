"""AP-16: the statistics page (figures, inline SVG charts and tables) and its CSV export."""

import csv
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from appeals.services import statistics
from appeals.services.statistics import Breakdown, Period, Statistics
from portal.models import Institute
from portal.permissions import request_user

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d")


class StatisticsFilter(forms.Form):
    """The period (registration dates) and, for those who see several institutes, one of them."""

    start = forms.DateField(label=gettext_lazy("Registered from"), widget=DATE)
    end = forms.DateField(label=gettext_lazy("Registered to"), widget=DATE)
    institute = forms.ModelChoiceField(
        label=gettext_lazy("Institute"),
        queryset=Institute.objects.none(),
        required=False,
        empty_label=gettext_lazy("All institutes"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args: object, institutes: list[Institute], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["institute"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Institute.objects.filter(pk__in=[i.pk for i in institutes]).order_by("code")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The period's first day is after its last day."))
        return data


@dataclass(frozen=True)
class Bar:
    """One row of an inline SVG bar chart; x and widths in percent of the chart's width, so the text keeps
    its size on any screen."""

    label: str
    full_label: str
    count: int
    share: Decimal
    y: int
    width: str  # percent


ROW_HEIGHT = 26
LABEL_PART = 46  # percent of the width for the labels
BAR_PART = 44  # percent for the longest bar; the count is right-aligned after it
MAX_LABEL = 40


def chart(breakdown: Breakdown) -> tuple[list[Bar], int]:
    """The geometry of a breakdown's chart: one horizontal bar per row, scaled to the largest count."""
    largest = max((row.count for row in breakdown.rows), default=0) or 1
    bars = []
    for i, row in enumerate(breakdown.rows):
        width = (Decimal(BAR_PART) * row.count / largest).quantize(Decimal("0.1"))
        label = row.label if len(row.label) <= MAX_LABEL else row.label[: MAX_LABEL - 1] + "…"
        bars.append(Bar(label, row.label, row.count, row.share, i * ROW_HEIGHT, f"{width}%"))
    return bars, len(bars) * ROW_HEIGHT


def _allowed(request: HttpRequest) -> list[Institute]:
    """The institutes the user may see; an institute asked for outside them is refused (403)."""
    user = request_user(request)
    institutes = list(statistics.institutes_in(statistics.scope(user)))
    asked = request.GET.get("institute", "")
    if asked.isdigit() and int(asked) not in {i.pk for i in institutes}:
        raise PermissionDenied
    return institutes


def _filtered(request: HttpRequest) -> tuple[StatisticsFilter, list[Institute], Statistics | None]:
    institutes = _allowed(request)
    today = timezone.localdate()
    default = statistics.default_period(today)
    if "start" in request.GET or "end" in request.GET:
        form = StatisticsFilter(request.GET, institutes=institutes)
    else:
        data = QueryDict(mutable=True)
        data.update({"start": default.start.isoformat(), "end": default.end.isoformat()})
        data["institute"] = request.GET.get("institute", "")
        form = StatisticsFilter(data, institutes=institutes)
    if not form.is_valid():
        return form, institutes, None
    chosen = form.cleaned_data["institute"]
    counted = [chosen] if chosen is not None else institutes
    period = Period(form.cleaned_data["start"], form.cleaned_data["end"])
    return form, institutes, statistics.compute(counted, period, today)


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    """AP-16: the figures of the chosen institutes and period, as charts and tables."""
    form, institutes, stats = _filtered(request)
    context: dict[str, object] = {"form": form, "stats": stats, "several": len(institutes) > 1}
    if stats is not None:
        charts = []
        for breakdown in stats.breakdowns:
            bars, height = chart(breakdown)
            charts.append({"breakdown": breakdown, "bars": bars, "height": height})
        context.update(
            {
                "charts": charts,
                "label_part": LABEL_PART,
                "query": request.GET.urlencode(),
                "on_time_width": _share_width(stats.timeliness.on_time, stats.timeliness.answered),
            }
        )
    return render(request, "appeals/reports/statistics.html", context)


def _share_width(part: int, whole: int) -> str:
    """The on-time part of the timeliness bar, in percent of its width."""
    return f"{(Decimal(100) * part / whole).quantize(Decimal('0.1')) if whole else 0}%"


def _figure(value: Decimal | None) -> str:
    return "" if value is None else str(value)


@login_required
def statistics_csv(request: HttpRequest) -> HttpResponse:
    """AP-16: the same figures as the page, as CSV (UTF-8 with a BOM, for spreadsheet programs)."""
    form, _institutes, stats = _filtered(request)
    if stats is None:
        return HttpResponse(
            "\n".join(str(e) for errors in form.errors.values() for e in errors), status=400, content_type="text/plain"
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="appeals-statistics-{stats.period.start:%Y%m%d}-{stats.period.end:%Y%m%d}.csv"'
    )
    response.write("\ufeff")
    out = csv.writer(response)
    period = pgettext("appeals statistics", "Period")
    out.writerow([pgettext("appeals statistics", "Section"), _("Item"), _("Count"), _("Share, %")])
    out.writerow([period, _("Registered from"), stats.period.start.strftime("%d.%m.%Y"), ""])
    out.writerow([period, _("Registered to"), stats.period.end.strftime("%d.%m.%Y"), ""])
    for institute in stats.institutes:
        out.writerow([_("Institutes"), institute.name, "", ""])
    out.writerow([_("Total"), _("Applications registered"), stats.total, ""])
    for breakdown in stats.breakdowns:
        for row in breakdown.rows:
            out.writerow([breakdown.title, row.label, row.count, row.share])
    t = stats.timeliness
    timeliness = _("Timeliness")
    out.writerow([timeliness, _("Answered"), t.answered, ""])
    out.writerow([timeliness, _("Answered on time"), t.on_time, _figure(t.on_time_percent)])
    out.writerow([timeliness, _("Answered late"), t.late, ""])
    out.writerow([timeliness, _("Median days to answer"), _figure(t.median_days), ""])
    out.writerow([timeliness, _("Median working days to answer"), _figure(t.median_working_days), ""])
    out.writerow([timeliness, _("Open"), t.open, ""])
    out.writerow([timeliness, _("Open and overdue today"), t.open_overdue, ""])
    for line in stats.by_institute:
        section = _("Institute: %(name)s") % {"name": line.institute.name}
        out.writerow([section, _("Applications registered"), line.total, ""])
        out.writerow([section, _("Answered"), line.answered, ""])
        out.writerow([section, _("Answered on time"), "", _figure(line.on_time_percent)])
        out.writerow([section, _("Open"), line.open, ""])
        out.writerow([section, _("Open and overdue today"), line.open_overdue, ""])
    return response


urlpatterns: list[URLPattern] = [
    path("statistics/", statistics_page, name="statistics"),
    path("statistics/csv/", statistics_csv, name="statistics_csv"),
]
