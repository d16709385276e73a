"""Forms of counting, the protocol and the run-off (EL-15 to EL-17)."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from elections.models import Candidate, PaperCount

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_BALLOTS = 1_000_000


def _count_field(label: "StrOrPromise", help_text: "StrOrPromise" = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=0,
        max_value=MAX_BALLOTS,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )


class PaperCountForm(forms.Form):
    """EL-15: ballots found, votes per registered candidate (or "against" with one), invalid, unknown form."""

    ballots_found = _count_field(_("Ballots found in the box"))
    invalid = _count_field(_("Invalid ballots"), _("Counted for no one."))
    unknown_form = _count_field(_("Ballots of an unknown form"), _("Counted for no one."))
    explanation = forms.CharField(
        label=_("Explanation of the discrepancy"),
        help_text=_("Required when the ballots found differ from the paper ballots issued."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def __init__(self, *args: Any, candidates: list[Candidate], count: PaperCount | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.single = len(candidates) == 1
        lines = {line.candidate_id: line.votes for line in count.lines.all()} if count else {}
        for candidate in candidates:
            name = f"candidate_{candidate.pk}"
            label = _("“For” %(name)s") % {"name": candidate} if self.single else str(candidate)
            self.fields[name] = _count_field(label)
            self.initial.setdefault(name, lines.get(candidate.pk))
        if self.single:
            self.fields["against"] = _count_field(_("“Against”"))
        if count is not None:
            for name in ("ballots_found", "invalid", "unknown_form"):
                self.initial.setdefault(name, getattr(count, name))
            self.initial.setdefault("against", count.against)
            self.initial.setdefault("explanation", count.discrepancy_explanation)
        else:
            self.initial.setdefault("invalid", 0)
            self.initial.setdefault("unknown_form", 0)
            self.initial.setdefault("against", 0)

    def candidate_fields(self) -> list[forms.BoundField]:
        return [self[f"candidate_{c.pk}"] for c in self.candidates]

    def votes(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"candidate_{c.pk}"] for c in self.candidates}


class RunoffForm(forms.Form):
    """EL-17: the run-off's election day, chosen by the commission."""

    election_day = forms.DateField(
        label=_("Run-off election day"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"}),
    )
