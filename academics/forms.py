from django import forms
from django.utils.translation import gettext_lazy as _


class AttendanceForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the class"), widget=forms.DateInput(attrs={"type": "date"}))
    number = forms.IntegerField(label=_("Class number that day"), min_value=1, max_value=12)
