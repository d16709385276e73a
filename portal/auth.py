"""django-allauth integration: no public sign-up, and error messages from our catalogues."""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class PortalAccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("This account is disabled. Please contact the registrar's office."),
        "email_password_mismatch": _("The e-mail or password is not correct."),
        "username_password_mismatch": _("The university ID or password is not correct."),
        "too_many_login_attempts": _("Too many failed sign-in attempts. Please wait a few minutes and try again."),
        "enter_current_password": _("Please type your current password."),
        "incorrect_password": _("The password is not correct."),
        "invalid_password_reset": _("The password reset link is invalid or has expired."),
        "unknown_email": _("No account uses this e-mail address."),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Accounts come from the university's records; nobody signs up."""
        return False
