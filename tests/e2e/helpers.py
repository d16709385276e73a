"""What the registrar's browser flows share: signing in, the Kazakh text of a message, the page's text."""

from django.utils import translation
from django.utils.functional import Promise

from tests.factories import PASSWORD


def sign_in(page, base: str, login: str) -> None:
    """Sign in on the portal's own page and wait for the dashboard it lands on."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", login)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"{base}/dashboard/**")


def kk(text: str | Promise, context: str = "", **values: object) -> str:
    """The Kazakh catalogue's text of a message (with its %-placeholders filled), as the page shows it;
    a lazy text (a model choice's label) is rendered in Kazakh; `context` is the message's msgctxt."""
    with translation.override("kk"):
        if isinstance(text, Promise):
            message = str(text)
        else:
            message = translation.pgettext(context, text) if context else translation.gettext(text)
    with translation.override("en"):
        _translated(message, str(text))
    return message % values if values else message


def kk_plural(singular: str, plural: str, number: int, **values: object) -> str:
    with translation.override("kk"):
        message = translation.ngettext(singular, plural, number)
    _translated(message, singular if number == 1 else plural)
    return message % {"n": number, **values}


def _translated(message: str, english: str) -> None:
    """An untranslated message would let the test pass on an English page: refuse it."""
    assert message != english, f"no Kazakh text for {english!r}: run `manage.py compilemessages` (make messages)"


def text_of(page, selector: str = "main") -> str:
    """The visible text, with the non-breaking spaces of grouped numbers (250 000,00) as plain spaces."""
    return " ".join(page.inner_text(selector).replace("\xa0", " ").replace("\u202f", " ").split())
