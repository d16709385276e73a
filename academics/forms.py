from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from academics.models import AcademicYear, Term, TransferDecision
from portal.models import StudyGroup


class AttendanceForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the class"), widget=forms.DateInput(attrs={"type": "date"}))
    number = forms.IntegerField(label=_("Class number that day"), min_value=1, max_value=12)


class TransferFilterForm(forms.Form):
    """AC-12: which year's decisions to list, and the filters of the list (all optional)."""

    year = forms.ModelChoiceField(
        label=_("Academic year"), queryset=AcademicYear.objects.order_by("-start_year"), required=False
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("All outcomes")), *TransferDecision.Outcome.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    group = forms.ModelChoiceField(
        label=_("Study group"),
        queryset=StudyGroup.objects.order_by("name"),
        required=False,
        empty_label=_("All groups"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    stale = forms.BooleanField(label=_("Stale only"), required=False)


class ScholarshipFilterForm(forms.Form):
    """AC-17: the semester of the scholarship list."""

    term = forms.ModelChoiceField(label=_("Semester"), queryset=Term.objects.none(), required=False)

    def __init__(self, *args: Any, terms: QuerySet[Term], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms  # type: ignore[attr-defined]
