from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from academics.imports import EXTENSIONS, KINDS, MAX_BYTES


class AttendanceForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the class"), widget=forms.DateInput(attrs={"type": "date"}))
    number = forms.IntegerField(label=_("Class number that day"), min_value=1, max_value=12)


class ImportForm(forms.Form):
    """The registrar's upload: what the file holds, and the file (checked by academics.imports)."""

    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[(key, kind.label) for key, kind in KINDS.items()],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)})
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB: split it into smaller files.") % {"size": MAX_BYTES // 2**20}
            )
        return upload
