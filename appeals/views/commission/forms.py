"""Forms of the commission pages: members are named by their university ID code."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from appeals.models import Body, CommissionSeat, Decision
from appeals.services.commission.bodies import StandingBody
from appeals.services.commission.documents import DEFAULT_WORKING_DAYS, MAX_WORKING_DAYS
from portal.models import Department, Institute, User

Seat = CommissionSeat.Role
MEMBER_ROLES = [(value, label) for value, label in Seat.choices if value != Seat.CHAIR]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def person(code: str) -> User:
    code = code.strip()
    user = User.objects.filter(id_code__iexact=code, is_active=True).first()
    if user is None:
        raise forms.ValidationError(_("Nobody has the ID code %(code)s.") % {"code": code})
    return user


class PersonField(forms.CharField):
    """One person, by university ID code."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> User | None:
        code = super().clean(value)
        return person(code) if code else None


class PeopleField(forms.CharField):
    """Several people, by university ID codes separated by commas or spaces."""

    def clean(self, value: Any) -> list[User]:
        text = super().clean(value) or ""
        return [person(code) for code in re.split(r"[\s,;]+", text) if code]


class FormCommissionForm(forms.Form):
    """AP-10: the dean's order and the members by the role they sit for."""

    order_number = forms.CharField(label=_("Dean's order number"), max_length=50)
    order_date = forms.DateField(label=_("Order date"), widget=DateInput())

    def __init__(self, *args: Any, required: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.required_roles = required
        self.candidates: dict[str, list[User]] = {}
        for value, label in MEMBER_ROLES:
            self.fields[value] = PeopleField(label=label, required=False)

    def role_fields(self) -> list[tuple[forms.BoundField, bool, list[User] | None]]:
        """Each role's field, whether it is required, and who may sit for it (None: anyone)."""
        rows = [
            (self[value], value in self.required_roles, self.candidates.get(value)) for value, _label in MEMBER_ROLES
        ]
        return sorted(rows, key=lambda row: not row[1])  # the required seats first

    def seats(self) -> list[tuple[str, User]]:
        return [(value, user) for value, _label in MEMBER_ROLES for user in self.cleaned_data.get(value) or []]


class InviteForm(forms.Form):
    role = forms.ChoiceField(label=_("Sits for"), choices=MEMBER_ROLES, initial=Seat.INVITED)
    member = PersonField(label=_("University ID code"))


class DocumentRequestForm(forms.Form):
    """AP-11: what a department is asked for and in how many working days."""

    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.select_related("institute").order_by("institute__code", "code"),
    )
    what = forms.CharField(label=_("Documents requested"), widget=forms.Textarea(attrs={"rows": 3}))
    working_days = forms.IntegerField(
        label=_("Working days to answer"), min_value=1, max_value=MAX_WORKING_DAYS, initial=DEFAULT_WORKING_DAYS
    )


class RecommendationForm(forms.Form):
    """AP-13: a binding recommendation with the person responsible and a due date."""

    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible = PersonField(label=_("Responsible (university ID code)"))
    due_on = forms.DateField(label=_("Due"), widget=DateInput())


class DecisionForm(forms.Form):
    """AP-12: the finding, the facts established, the measures and who was present."""

    facts = forms.ChoiceField(label=_("Finding"), choices=Decision.Facts.choices, widget=forms.RadioSelect)
    reasoning = forms.CharField(label=_("Facts established"), widget=forms.Textarea(attrs={"rows": 5}))
    measures = forms.CharField(
        label=_("Measures"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required when the facts are confirmed (disciplinary measures included). Otherwise: measures "
            "against the applicant, if the commission takes any."
        ),
    )
    present = forms.TypedMultipleChoiceField(
        label=_("Members present"), coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )
    decided_on = forms.DateField(label=_("Date of the meeting"), widget=DateInput())

    def __init__(self, *args: Any, seats: list[CommissionSeat] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        choices = [(s.pk, f"{s.user.full_name} — {s.get_role_display()}") for s in seats]
        field = self.fields["present"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = choices
        self.initial.setdefault("present", [pk for pk, _label in choices])


class HearingForm(forms.Form):
    intended = forms.CharField(label=_("Intended decision and its grounds"), widget=forms.Textarea(attrs={"rows": 4}))


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer to the applicant"), widget=forms.Textarea(attrs={"rows": 5}))


class DepartmentAnswerForm(forms.Form):
    """AP-11: the department's answer: a note and, optionally, a PDF."""

    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(
        label=_("Document (PDF)"),
        required=False,
        help_text=_("A PDF document up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class CompletionForm(forms.Form):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))


class BodyMemberForm(forms.Form):
    """AP-09: a member of one standing body, by university ID code; the body as "<body>:<institute id>"."""

    body = forms.CharField(widget=forms.HiddenInput)
    member = PersonField(label=_("University ID code"))

    def clean_body(self) -> StandingBody:
        body, _sep, institute_id = self.cleaned_data["body"].partition(":")
        institute = Institute.objects.filter(pk=int(institute_id)).first() if institute_id.isdigit() else None
        if body not in Body.values or (institute_id and institute is None):
            raise forms.ValidationError(_("Choose one of the standing bodies."))
        return StandingBody(body, institute)
