"""PT-02: Kazakh by default, Russian and English; complete catalogues; translated error pages."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import formats, translation

LOCALE = Path(settings.BASE_DIR) / "locale"


def test_pt02_kazakh_is_the_default_then_russian_and_english():
    """PT-02: LANGUAGE_CODE kk; the three languages offered."""
    assert settings.LANGUAGE_CODE == "kk"
    assert [code for code, _ in settings.LANGUAGES] == ["kk", "ru", "en"]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_pt02_catalogue_is_complete(lang):
    """PT-02: every message of our catalogue is translated, none fuzzy, none obsolete-only."""
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    assert len(po) > 150
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_pt02_catalogue_is_compiled_by_the_setup(lang):
    """PT-02: the set-up compiles the catalogues (make messages); the .mo is newer than the .po."""
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    assert mo.exists()
    assert mo.stat().st_mtime >= po.stat().st_mtime


def test_pt02_catalogue_covers_every_source_string(tmp_path, settings, monkeypatch):
    """PT-02: makemessages would add nothing: every msgid in the code and templates is in the kk catalogue."""
    from django.core.management import call_command

    for name in ("portal", "academics", "elections", "appeals", "advising", "studentlife", "templates"):
        (tmp_path / name).symlink_to(Path(settings.BASE_DIR) / name)
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["kk"], symlinks=True, verbosity=0)
    extracted = {e.msgid for e in polib.pofile(str(tmp_path / "locale" / "kk" / "LC_MESSAGES" / "django.po"))}
    shipped = {e.msgid for e in polib.pofile(str(LOCALE / "kk" / "LC_MESSAGES" / "django.po")) if not e.obsolete}
    assert extracted - shipped == set()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("kk", "Университет порталына кіру"),
        ("ru", "Вход на портал университета"),
        ("en", "Sign in to the university portal"),
    ],
)
def test_pt02_login_page_in_each_language(lang, text):
    """PT-02: the language switcher's choice (a cookie) changes the page language."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    body = client.get("/accounts/login/").content.decode()
    assert text in body
    assert f'<html lang="{lang}">' in body


@pytest.mark.django_db
def test_pt02_kazakh_even_when_the_browser_asks_for_english():
    """PT-02: Kazakh is the default; only the person's own choice changes it."""
    body = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Университет порталына кіру" in body


@pytest.mark.django_db
def test_pt02_language_switcher_sets_the_language():
    """PT-02: POST /i18n/setlang/ switches to Russian and back."""
    client = Client()
    client.post("/i18n/setlang/", {"language": "ru", "next": "/accounts/login/"})
    assert "Вход на портал университета" in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "kk_text"),
    [("/no-such-page/", "Бет табылмады"), ("/dashboard/dean/", None)],
)
def test_pt02_error_pages_are_translated(url, kk_text, student_client):
    """PT-02: 404 and 403 pages in Kazakh."""
    response = student_client.get(url)
    body = response.content.decode()
    if kk_text:
        assert response.status_code == 404
        assert kk_text in body
    else:
        assert response.status_code == 403
        assert "Қол жеткізу жабық" in body


@pytest.mark.django_db
def test_pt02_csrf_failure_page_is_translated_and_changes_nothing(student):
    """PT-02: a form posted without its CSRF token gets the Kazakh explanation and nothing changes."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(student.user)
    response = client.post("/notifications/read/", {})
    assert response.status_code == 403
    assert "Форманың мерзімі өтті" in response.content.decode()


def test_pt02_500_page_is_translated():
    """PT-02: the server-error page renders without the database, in Kazakh."""
    from django.test import RequestFactory

    from portal.views.errors import server_error

    with translation.override("kk"):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Сервер қатесі" in response.content.decode()


def test_pt02_dates_and_numbers_formatted_per_language():
    """PT-02: 23.11.2026 in kk/ru, decimal comma in kk/ru and point in en."""
    day = date(2026, 11, 23)
    with translation.override("kk"):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "23.11.2026"
        assert formats.number_format(Decimal("3.67"), 2) == "3,67"
        assert "қараша" in formats.date_format(day).lower()
    with translation.override("ru"):
        assert formats.number_format(Decimal("3.67"), 2) == "3,67"
        assert "ноября" in formats.date_format(day)
    with translation.override("en"):
        assert formats.number_format(Decimal("3.67"), 2) == "3.67"
        assert formats.date_format(day) == "23 November 2026"
