"""Forms of the channel pages (AP-03 to AP-05): they parse input; the services decide."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from appeals import rules
from appeals.errors import AppealError
from appeals.models import Kind, RepresentationReason
from appeals.services.blog import REGISTERED_KINDS
from appeals.services.channels import find_person
from appeals.services.filing import FILED_KINDS, MAX_ATTACHMENTS
from appeals.services.mail import MAX_EMAIL_BYTES
from portal.models import Institute, User

MAX_EML_FILES = 50


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the checks by content are the services')."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not items and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def _kind_choices(kinds: tuple[str, ...]) -> list[tuple[str, Any]]:
    return [(k, Kind(k).label) for k in kinds]


def _person(form: forms.Form, field: str, *, staff_only: bool = False) -> User | None:
    """The person a form names by ID code, or a field error."""
    code = form.cleaned_data.get(field, "")
    try:
        return find_person(code, staff_only=staff_only)
    except AppealError as error:
        form.add_error(field, str(error))
        return None


def _own_institute(form: forms.Form) -> Institute:
    """The institute chosen, or the dean's only one."""
    chosen = form.cleaned_data.get("institute")
    field = form.fields["institute"]
    assert isinstance(field, forms.ModelChoiceField)
    if chosen is None:
        chosen = field.queryset.first() if field.queryset.count() == 1 else None  # type: ignore[union-attr]
    if chosen is None:
        raise forms.ValidationError(_("Choose the institute."))
    return chosen


def _clean_applicant(form: forms.Form, data: dict[str, Any]) -> dict[str, Any]:
    """AP-05: a named applicant by ID code, or an anonymous application (with the state body it is
    forwarded to when it reports a crime)."""
    data["applicant"] = None
    if data.get("anonymous"):
        if data.get("reports_offence") and not data.get("forwarded_to", "").strip():
            form.add_error("forwarded_to", _("Name the state body the report is forwarded to."))
    elif not data.get("applicant_code", "").strip():
        form.add_error("applicant_code", _("Give the applicant's ID code, or mark the application anonymous."))
    else:
        data["applicant"] = _person(form, "applicant_code")
    return data


def _anonymous_fields() -> dict[str, forms.Field]:
    return {
        "anonymous": forms.BooleanField(label=_("Anonymous: the applicant is not named"), required=False),
        "reports_offence": forms.BooleanField(
            label=_("It reports a prepared or committed crime or a threat to state or public security"),
            required=False,
        ),
        "forwarded_to": forms.CharField(
            label=_("State body it is forwarded to"),
            max_length=255,
            required=False,
            help_text=_("For example: the police department of the city."),
        ),
    }


class PaperForm(forms.Form):
    """AP-03 to AP-05: a paper application as the dean's office received it."""

    applicant_code = forms.CharField(
        label=_("Applicant's university ID code"),
        max_length=20,
        required=False,
        help_text=_("Find the applicant above by ID code or name."),
    )
    anonymous, reports_offence, forwarded_to = _anonymous_fields().values()
    kind = forms.ChoiceField(label=_("Kind"), choices=_kind_choices(FILED_KINDS), initial=Kind.APPLICATION)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=rules.MAX_TEXT_CHARS,
        help_text=_("Type the substance of the application as written."),
    )
    received_at = forms.DateTimeField(
        label=_("Received"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        help_text=_("Received on a day off or after working hours, it is registered on the next working day."),
    )
    institute = forms.ModelChoiceField(
        label=_("Institute"), queryset=Institute.objects.none(), empty_label=None, required=False
    )
    attachments = MultipleFileField(
        label=_("Scanned pages and attachments"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    postal_address = forms.CharField(label=_("Postal address for the answer"), max_length=500, required=False)
    phone = forms.CharField(label=_("Telephone"), max_length=50, required=False)
    representative_name = forms.CharField(label=_("Legal representative"), max_length=255, required=False)
    representation_reason = forms.ChoiceField(
        label=_("Reason for representation"),
        choices=[("", "—"), *RepresentationReason.choices],
        required=False,
    )
    representation_document = forms.FileField(
        label=_("Representation document"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, institutes: QuerySet[Institute], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["institute"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = institutes
        if len(institutes) == 1:
            field.initial = institutes[0]
            field.widget = forms.HiddenInput()
        self.fields["attachments"].help_text = gettext(
            "JPEG or PNG images up to 5 MB or PDF documents up to 10 MB; at most %(n)d files."
        ) % {"n": MAX_ATTACHMENTS}
        if not self.is_bound:
            self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_institute(self) -> Institute:
        return _own_institute(self)

    def clean(self) -> dict[str, Any]:
        return _clean_applicant(self, super().clean() or {})


class EmailUploadForm(forms.Form):
    """AP-03: e-mails saved as .eml files, to register."""

    emails = MultipleFileField(
        label=_("E-mail messages (.eml)"),
        widget=MultipleFileInput(attrs={"accept": ".eml,message/rfc822"}),
        help_text=_("Save each message from the mail program as an .eml file; several at once are fine."),
    )
    institute = forms.ModelChoiceField(
        label=_("Dean's office"), queryset=Institute.objects.none(), empty_label=None, required=False
    )

    def __init__(self, *args: Any, institutes: QuerySet[Institute], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["institute"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = institutes
        if len(institutes) == 1:
            field.initial = institutes[0]
            field.widget = forms.HiddenInput()

    def clean_institute(self) -> Institute:
        return _own_institute(self)

    def clean_emails(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data["emails"]
        if len(files) > MAX_EML_FILES:
            raise forms.ValidationError(_("At most %(n)d files at once.") % {"n": MAX_EML_FILES})
        for upload in files:
            if (upload.size or 0) > MAX_EMAIL_BYTES:
                raise forms.ValidationError(
                    _("%(name)s is too large: at most %(mb)d MB.")
                    % {"name": upload.name, "mb": MAX_EMAIL_BYTES // 2**20}
                )
        return files


class UnmatchedForm(forms.Form):
    """AP-03, AP-05: the applicant the dean's office names for an unmatched e-mail (or that it is anonymous),
    and the case as registered."""

    applicant_code = forms.CharField(label=_("Applicant's university ID code"), max_length=20, required=False)
    anonymous, reports_offence, forwarded_to = _anonymous_fields().values()
    institute = forms.ModelChoiceField(
        label=_("Institute (for an anonymous application)"),
        queryset=Institute.objects.none(),
        empty_label=None,
        required=False,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=_kind_choices(FILED_KINDS))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}), max_length=rules.MAX_TEXT_CHARS)

    def __init__(self, *args: Any, institutes: QuerySet[Institute], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["institute"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = institutes
        if len(institutes) == 1:
            field.initial = institutes[0]
            field.widget = forms.HiddenInput()

    def clean_institute(self) -> Institute:
        return _own_institute(self)

    def clean(self) -> dict[str, Any]:
        return _clean_applicant(self, super().clean() or {})


class DismissForm(forms.Form):
    note = forms.CharField(label=_("Why it is not an application"), max_length=2000)


class BlogEntryForm(forms.Form):
    text = forms.CharField(
        label=_("Your message to the rector"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=rules.MAX_TEXT_CHARS,
        help_text=_("Messages are published after moderation."),
    )


class RejectForm(forms.Form):
    note = forms.CharField(label=_("Why it is not published"), max_length=2000)


class BlogRegisterForm(forms.Form):
    """AP-03: a blog message naming an employee, registered as an application to the employee's institute."""

    employee_code = forms.CharField(label=_("Employee's university ID code"), max_length=20)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=_kind_choices(REGISTERED_KINDS), widget=forms.RadioSelect, initial=Kind.COMPLAINT
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("employee_code"):
            data["employee"] = _person(self, "employee_code", staff_only=True)
        return data
