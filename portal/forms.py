"""Sign-in forms: allauth's, with labels and help in our own (kk/ru/en) catalogues."""

from typing import Any

from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _


def _label(form: forms.Form, name: str, label: Any, placeholder: Any = None) -> None:
    if name in form.fields:
        form.fields[name].label = label
        form.fields[name].widget.attrs["placeholder"] = placeholder if placeholder is not None else label


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _label(self, "login", _("University ID or e-mail"), _("e.g. 240101001 or name@university.edu.kz"))
        _label(self, "password", _("Password"))
        self.fields["password"].help_text = ""


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _label(self, "oldpassword", _("Current password"))
        _label(self, "password1", _("New password"))
        _label(self, "password2", _("New password (again)"))


class SetPasswordForm(allauth_forms.SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _label(self, "password1", _("New password"))
        _label(self, "password2", _("New password (again)"))


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _label(self, "email", _("E-mail"), "name@university.edu.kz")


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _label(self, "password1", _("New password"))
        _label(self, "password2", _("New password (again)"))


def errors_text(form: forms.BaseForm) -> str:
    """A form's errors as one sentence, for a message on the page a POST-only view redirects to."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)
