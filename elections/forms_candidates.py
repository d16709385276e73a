"""Forms of the candidate pages (EL-05, EL-06, EL-10). They parse input only: the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from elections import rules

PHOTO_ACCEPT = "image/jpeg,image/png"
PDF_ACCEPT = "application/pdf,.pdf"


class PortfolioForm(forms.Form):
    """EL-05: the portfolio the student files; the transcript is attached from academics."""

    photo = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG or PNG, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    cv = forms.FileField(
        label=_("CV"), help_text=_("PDF, at most 10 MB."), widget=forms.ClearableFileInput(attrs={"accept": PDF_ACCEPT})
    )
    intent = forms.CharField(
        label=_("Application of intent (Appendix 2)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why you want to stand; it is printed in your application to the DESW director."),
    )
    programme = forms.CharField(
        label=_("Election programme (Appendix 1)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6, "data-max-words": rules.PROGRAMME_MAX_WORDS}),
    )
    recommendation = forms.FileField(
        label=_("Institute director's recommendation letter"),
        required=False,
        help_text=_("PDF, at most 10 MB. Not needed if the director recommends you in the portal."),
        widget=forms.ClearableFileInput(attrs={"accept": PDF_ACCEPT}),
    )

    def __init__(self, *args: object, editing: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["programme"].help_text = _("At most %(max)d words.") % {"max": rules.PROGRAMME_MAX_WORDS}
        if editing:  # files already on record stay unless a new one is chosen
            for name in ("photo", "cv"):
                self.fields[name].required = False
                self.fields[name].help_text = _("%(help)s Leave empty to keep the current file.") % {
                    "help": self.fields[name].help_text
                }


class RegisterForm(forms.Form):
    """EL-06, EL-10: the commission's check of the programme and the standard information for the ballot."""

    programme_checked = forms.BooleanField(
        label=_("The programme does not incite social, racial, national, religious, class or clan discrimination."),
        required=False,
    )
    standard_info = forms.CharField(
        label=_("Standard information shown on the ballot"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the refusal"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The candidate reads it."),
    )


class StandardInfoForm(forms.Form):
    standard_info = forms.CharField(
        label=_("Standard information shown on the ballot"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
