"""Portal middleware: forced password change (PT-05) and the Kazakh-first language choice (PT-02)."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

ALLOWED_WHILE_EXPIRED = ("account_change_password", "account_logout", "set_language")


class PasswordExpiryMiddleware:
    """PT-05: an expired password forces a change before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.password_expired():
            allowed = {reverse(name) for name in ALLOWED_WHILE_EXPIRED}
            if request.path not in allowed and not request.path.startswith(("/static/", "/healthz")):
                messages.warning(request, _("Your password has expired. Please choose a new one to continue."))
                return redirect("account_change_password")
        return self.get_response(request)


class KazakhFirstLocaleMiddleware(LocaleMiddleware):
    """PT-02: Kazakh unless the person chose another language with the switcher (its cookie).

    The browser's Accept-Language is ignored: a university portal in Kazakhstan opens in Kazakh.
    """

    def process_request(self, request: HttpRequest) -> None:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
