"""Forms of the applicant's pages and of the case page's steps. They parse input only: the services decide."""

import re
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from appeals import rules
from appeals.models import Application, Body, Delivery, Kind, Outcome, RepresentationReason
from appeals.services.filing import FILED_KINDS, MAX_ATTACHMENTS
from portal.models import User

FILE_ACCEPT = "application/pdf,.pdf,image/jpeg,image/png"
MAX_CO_APPLICANTS = 30


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": FILE_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FilingForm(forms.Form):
    """AP-01, AP-02: what a student or staff member files in the portal."""

    kind = forms.ChoiceField(
        label=_("What are you filing?"),
        choices=[(k.value, k.label) for k in FILED_KINDS],
        initial=Kind.APPLICATION,
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(
        label=_("Text of the application"),
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": rules.MAX_TEXT_CHARS}),
        help_text=_("State the substance: what happened, what you ask for and why."),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Up to %(n)d files: PDF (at most 10 MB) or JPEG/PNG images (at most 5 MB).")
        % {"n": MAX_ATTACHMENTS},
    )
    co_applicants = forms.CharField(
        label=_("Co-applicants (group application)"),
        required=False,
        max_length=1000,
        help_text=_("University ID codes of the others who sign this application, separated by commas or spaces."),
    )
    representative_name = forms.CharField(
        label=_("Legal representative (full name)"),
        required=False,
        max_length=255,
        help_text=_("Only if a legal representative files on the applicant's behalf."),
    )
    representation_reason = forms.ChoiceField(
        label=_("Reason for representation"),
        required=False,
        choices=[("", "—"), *RepresentationReason.choices],
    )
    representation_document = forms.FileField(
        label=_("Representation document"),
        required=False,
        help_text=_("The power of attorney or other document giving the right to file (PDF or image)."),
        widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT}),
    )
    postal_address = forms.CharField(
        label=_("Postal address"),
        required=False,
        max_length=500,
        help_text=_("Where a paper answer can be sent."),
    )
    phone = forms.CharField(label=_("Telephone"), required=False, max_length=50)

    def __init__(self, *args: Any, applicant: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.applicant = applicant

    def clean_text(self) -> str:
        """The same limits as the service, so every mistake shows at once."""
        text: str = self.cleaned_data["text"].strip()
        if len(text) < rules.MIN_TEXT_CHARS:
            raise forms.ValidationError(
                _("State the substance of the application: at least %(n)d characters.") % {"n": rules.MIN_TEXT_CHARS}
            )
        return text

    def clean_attachments(self) -> list[Any]:
        files: list[Any] = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("At most %(n)d files can be attached.") % {"n": MAX_ATTACHMENTS})
        return files

    def clean_co_applicants(self) -> list[User]:
        """AP-02: the other signatories of a group application, by their university ID codes."""
        codes = list(dict.fromkeys(c.upper() for c in re.split(r"[\s,;]+", self.cleaned_data["co_applicants"]) if c))
        if not codes:
            return []
        if len(codes) > MAX_CO_APPLICANTS:
            raise forms.ValidationError(_("At most %(n)d co-applicants.") % {"n": MAX_CO_APPLICANTS})
        found = {
            u.id_code.upper(): u
            for u in User.objects.annotate(code=Upper("id_code")).filter(
                Q(student__isnull=False) | Q(staff__isnull=False), code__in=codes, is_active=True
            )
        }
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(
                _("No student or staff member has the ID code: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return [found[c] for c in codes if found[c].pk != self.applicant.pk]


class HearingAnswerForm(forms.Form):
    """AP-22: the applicant's answer to the intended decision."""

    answer = forms.CharField(
        label=_("Your answer"), max_length=rules.MAX_TEXT_CHARS, widget=forms.Textarea(attrs={"rows": 4})
    )
    file = forms.FileField(
        label=_("Document (optional)"), required=False, widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT})
    )


class HandlerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        staff = getattr(obj, "staff", None)
        return f"{obj.full_name}, {staff.position}" if staff else obj.full_name


class HandlersChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        staff = getattr(obj, "staff", None)
        return f"{obj.full_name}, {staff.position}" if staff else obj.full_name


ROUTE_BODIES = [(b.value, b.label) for b in Body if b != Body.EXPANDED_COMMISSION]


class RouteForm(forms.Form):
    """AP-09: the body that considers the case and its handlers."""

    body = forms.ChoiceField(label=_("Considered by"), choices=[("", "—"), *ROUTE_BODIES], required=False)
    handlers = HandlersChoice(
        label=_("Handlers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handlers"].queryset = people  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    handler = HandlerChoice(label=_("Handler"), queryset=User.objects.none())

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = people  # type: ignore[attr-defined]


class ExtendForm(forms.Form):
    """AP-06."""

    new_due = forms.DateField(label=_("New deadline"), widget=_date_input())
    reason = forms.CharField(
        label=_("Reason for the extension"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(forms.Form):
    """AP-07."""

    explanation = forms.CharField(
        label=_("Explanation to the applicant"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TerminateForm(forms.Form):
    """AP-08."""

    earlier = forms.TypedChoiceField(label=_("Earlier application"), coerce=int, choices=[])
    notice = forms.CharField(
        label=_("Notice to the applicant"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, earlier: list[tuple[Application, bool]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        similar = _("reads alike")
        self.fields["earlier"].choices = [  # type: ignore[attr-defined]
            (a.pk, f"{a.number} · {a.registered_on:%d.%m.%Y} · {a.subject}" + (f" ({similar})" if alike else ""))
            for a, alike in earlier
        ]


class HearingForm(forms.Form):
    """AP-22."""

    intended = forms.CharField(
        label=_("Intended decision and its grounds"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(forms.Form):
    """AP-15."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Outcome.choices], required=False)
    text = forms.CharField(label=_("Answer"), required=False, widget=forms.Textarea(attrs={"rows": 5}))


class DeliveryForm(forms.Form):
    """AP-15: the ways allowed for this applicant only."""

    method = forms.ChoiceField(label=_("Delivered"), choices=[])
    delivered_on = forms.DateField(label=_("Date"), widget=_date_input())
    reference = forms.CharField(label=_("Signature, postal receipt or message"), required=False, max_length=255)
    phone_notice = forms.BooleanField(label=_("Told by telephone when to expect the answer"), required=False)

    def __init__(self, *args: Any, methods: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Delivery.Method.choices)
        self.fields["method"].choices = [(m, labels[m]) for m in methods]  # type: ignore[attr-defined]
