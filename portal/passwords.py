"""PT-05: the password composition rule, a setting an administrator can switch off."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SPECIAL = re.compile(r"[^A-Za-z0-9А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі\s]")


class CompositionValidator:
    """At least one digit, one upper-case letter and one special character."""

    def validate(self, password: str, user: object = None) -> None:
        if not settings.PORTAL_PASSWORD_COMPOSITION:
            return
        errors = []
        if not any(c.isdigit() for c in password):
            errors.append(ValidationError(_("The password must contain at least one digit."), code="password_no_digit"))
        if not any(c.isupper() for c in password):
            errors.append(
                ValidationError(
                    _("The password must contain at least one upper-case letter."), code="password_no_upper"
                )
            )
        if not SPECIAL.search(password):
            errors.append(
                ValidationError(
                    # xgettext:no-python-format
                    _("The password must contain at least one special character, such as ! ? # % or *."),
                    code="password_no_special",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        if not settings.PORTAL_PASSWORD_COMPOSITION:
            return ""
        return _("Your password must contain a digit, an upper-case letter and a special character.")
