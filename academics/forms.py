from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from academics.models import AcademicYear, TuitionContract
from portal.models import StudentProfile


class AttendanceForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the class"), widget=forms.DateInput(attrs={"type": "date"}))
    number = forms.IntegerField(label=_("Class number that day"), min_value=1, max_value=12)


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
