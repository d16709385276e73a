from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from academics.imports import EXTENSIONS, KINDS, MAX_BYTES
from academics.models import AcademicYear, Discipline, Sanction, Term, TransferDecision, TuitionContract
from academics.services import calendar, catalogue
from portal.models import StudentProfile, StudyGroup, User


class AttendanceForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the class"), widget=forms.DateInput(attrs={"type": "date"}))
    number = forms.IntegerField(label=_("Class number that day"), min_value=1, max_value=12)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class NewYearForm(forms.Form):
    start_year = forms.IntegerField(label=_("First calendar year"), min_value=2000, max_value=2100)


class AcademicYearForm(forms.ModelForm):
    """AC-01/AC-12: the year's dates and rule parameters, edited by the registrar."""

    class Meta:
        model = AcademicYear
        fields = calendar.YEAR_FIELDS
        widgets = {
            name: DateInput() for name in ("starts_on", "ends_on", "tranche_1_due", "tranche_2_due", "tranche_3_due")
        }
        # The shares and the penalty are fractions, not percentages: say so next to the fields.
        help_texts = {
            "tranche_1_share": _("A share of the year's amount: 0.50 is half; the three shares add up to 1."),
            "penalty_rate_per_day": _("A share of the overdue amount per day: 0.0010 is 0.1 percent."),
        }


class TermForm(forms.ModelForm):
    """AC-01: a term's dates and its grade entry windows."""

    class Meta:
        model = Term
        fields = calendar.TERM_FIELDS
        widgets = {name: DateInput() for name in fields}


class AmendmentForm(forms.Form):
    """AC-23: a change to a signed grade, with its reason and the document behind it."""

    r1 = forms.CharField(label=_("Midterm 1 (R1)"), required=False)
    r2 = forms.CharField(label=_("Midterm 2 (R2)"), required=False)
    exam = forms.CharField(label=_("Final exam"), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    document_reference = forms.CharField(label=_("Document (number and date)"), max_length=255)


class RetakePermissionForm(forms.Form):
    """AC-07: the dean's written permission for an individual midterm retake."""

    document_reference = forms.CharField(label=_("Dean's decision (number and date)"), max_length=255)


class ImportForm(forms.Form):
    """The registrar's upload: what the file holds, and the file (checked by academics.imports)."""

    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[(key, kind.label) for key, kind in KINDS.items()],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)})
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB: split it into smaller files.") % {"size": MAX_BYTES // 2**20}
            )
        return upload


class SanctionForm(forms.Form):
    """AC-21: a sanction from the disciplinary council's decision."""

    student = forms.CharField(label=_("Student's ID code"), max_length=20)
    kind = forms.ChoiceField(label=_("Kind"), choices=Sanction.Kind.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    decision_reference = forms.CharField(label=_("Disciplinary council decision (number and date)"), max_length=255)
    imposed_on = forms.DateField(label=_("Imposed on"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput())


class LiftSanctionForm(forms.Form):
    lifted_on = forms.DateField(label=_("Lifted on"), widget=DateInput())


class MoneyField(forms.DecimalField):
    """Tenge and tiyn; spaces between thousands and a decimal comma (as kk/ru users type) are accepted."""

    # A text box, not type=number: browsers refuse "250 000,50" in a number box.
    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=12, decimal_places=2, min_value=Decimal("0.01"), **kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace("\xa0", "").replace(" ", "").replace(",", ".")
        return super().to_python(value)


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    amount = MoneyField(label=_("Amount, KZT"))
    reference = forms.CharField(label=_("Receipt or payment order number"), max_length=100)


class ContractForm(forms.Form):
    student = forms.CharField(label=_("Student's university ID code"), max_length=20)
    academic_year = forms.ModelChoiceField(AcademicYear.objects.all(), label=_("Academic year"), empty_label=None)
    number = forms.CharField(label=_("Contract number"), max_length=50)
    amount = MoneyField(label=_("Amount for the year, KZT"))
    plan = forms.ChoiceField(label=_("Payment plan"), choices=TuitionContract.Plan.choices)

    def clean_student(self) -> StudentProfile:
        code = self.cleaned_data["student"].strip()
        student = (
            StudentProfile.objects.select_related("user", "group__programme__department")
            .filter(user__id_code__iexact=code)
            .first()
        )
        if student is None:
            raise forms.ValidationError(_("No student has this ID code."))
        return student


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


class DisciplineForm(forms.ModelForm):
    """AC-02: a discipline of the catalogue with its credits."""

    credits = forms.IntegerField(label=_("Credits"), min_value=1, max_value=60, initial=5)

    class Meta:
        model = Discipline
        fields = catalogue.DISCIPLINE_FIELDS


class OfferingForm(forms.Form):
    """AC-02: a discipline taught in a term by its teachers to its groups."""

    discipline = forms.ModelChoiceField(label=_("Discipline"), queryset=Discipline.objects.order_by("code"))

    def label_for_discipline(self, discipline: Discipline) -> str:
        return f"{discipline.code} · {discipline.name}"

    term = forms.ModelChoiceField(
        label=_("Term"), queryset=Term.objects.select_related("academic_year").order_by("-starts_on")
    )
    section = forms.CharField(label=_("Section"), max_length=20, initial="1")
    teachers = forms.ModelMultipleChoiceField(
        label=_("Teachers"), queryset=User.objects.none(), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Study groups"),
        queryset=StudyGroup.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, registrar: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = catalogue.teachers()  # type: ignore[attr-defined]
        self.fields["discipline"].label_from_instance = self.label_for_discipline  # type: ignore[attr-defined]
        self.fields["groups"].queryset = catalogue.registrar_groups(registrar).order_by("name")  # type: ignore[attr-defined]
