"""Forms of the voting pages: the ballot, the receipt check and the poll book."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from elections.models import Candidate
from elections.services.voting import AGAINST


def ballot_options(candidates: list[Candidate]) -> list[tuple[str, str]]:
    """EL-07, EL-13: the candidates in ballot order; with a single candidate, "for" and "against"."""
    if len(candidates) == 1:
        (only,) = candidates
        return [
            (str(only.pk), gettext("For %(name)s") % {"name": only.student.user.full_name}),
            (AGAINST, gettext("Against %(name)s") % {"name": only.student.user.full_name}),
        ]
    return [(str(c.pk), c.student.user.full_name) for c in candidates]


class BallotForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your choice"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Mark one choice on the ballot."),
            "invalid_choice": _("Choose one of the candidates on the ballot."),
        },
    )

    def __init__(self, candidates: list[Candidate], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["choice"].choices = ballot_options(candidates)  # type: ignore[attr-defined]

    def chosen_label(self) -> str:
        value = self.cleaned_data["choice"]
        return dict(self.fields["choice"].choices)[value]  # type: ignore[attr-defined]


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=20,
        help_text=_("The 12 characters shown after you voted, e.g. ABCD-EFGH-JKLM."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )


class PaperBallotForm(forms.Form):
    student = forms.IntegerField(widget=forms.HiddenInput)
    id_document = forms.CharField(
        label=_("ID card number"),
        max_length=50,
        error_messages={"required": _("Enter the number of the ID card the voter showed.")},
    )
