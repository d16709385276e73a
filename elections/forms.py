from django import forms
from django.utils.translation import gettext_lazy as _

from academics.models import AcademicYear
from elections.models import CommissionMember, Election
from portal.models import Programme, User


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ElectionForm(forms.Form):
    """EL-01: a new election; election day may be left empty for the last Friday of September."""

    academic_year = forms.ModelChoiceField(
        label=_("Academic year"), queryset=AcademicYear.objects.order_by("-start_year")
    )
    position = forms.ChoiceField(label=_("Position"), choices=Election.Position.choices)
    mode = forms.ChoiceField(label=_("Voting mode"), choices=Election.Mode.choices, initial=Election.Mode.HYBRID)
    election_day = forms.DateField(
        label=_("Election day"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: the last Friday of September. Voting runs 09:00-18:00 Almaty time."),
    )
    voter_levels = forms.MultipleChoiceField(
        label=_("Study levels that vote"),
        choices=Programme.Level.choices,
        initial=list(Programme.Level.values),
        widget=forms.CheckboxSelectMultiple,
    )


class CalendarForm(forms.Form):
    election_day = forms.DateField(label=_("Election day"), widget=DateInput())
    mode = forms.ChoiceField(label=_("Voting mode"), choices=Election.Mode.choices)
    voter_levels = forms.MultipleChoiceField(
        label=_("Study levels that vote"), choices=Programme.Level.choices, widget=forms.CheckboxSelectMultiple
    )


class MemberForm(forms.Form):
    """EL-02: a seat on the commission, found by university ID code."""

    id_code = forms.CharField(label=_("University ID code"), max_length=20)
    role = forms.ChoiceField(
        label=_("Role"), choices=CommissionMember.Role.choices, initial=CommissionMember.Role.MEMBER
    )
    deciding_vote = forms.BooleanField(label=_("Deciding vote"), required=False, initial=True)

    def clean_id_code(self) -> User:
        code = self.cleaned_data["id_code"].strip()
        user = User.objects.filter(id_code=code, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Nobody has the ID code %(code)s.") % {"code": code})
        return user
