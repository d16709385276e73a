"""Forms of the campaign pages (EL-08, EL-09): they parse input; the services decide."""

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from elections import rules
from elections.services import campaign


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    place = forms.ChoiceField(label=_("Designated place"), choices=())
    file = forms.FileField(
        label=_("Poster or leaflet (optional)"),
        required=False,
        help_text=_("A JPEG or PNG image up to 5 MB, or a PDF document up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["place"].choices = campaign.material_places()  # type: ignore[attr-defined]


class MeetingForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    starts = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ends = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(label=_("Place"), max_length=200)

    def slot(self) -> tuple[datetime, datetime]:
        """The meeting's start and end as aware Almaty datetimes."""
        day = self.cleaned_data["day"]
        return (
            datetime.combine(day, self.cleaned_data["starts"], rules.ALMATY),
            datetime.combine(day, self.cleaned_data["ends"], rules.ALMATY),
        )


class RefusalForm(forms.Form):
    reason = forms.CharField(label=_("Reason for refusal"), max_length=2000)
