"""A student signs in in Kazakh, sees the dashboard and switches to Russian (PT-02, PT-06), in Chromium."""

import pytest
from django.utils import translation

from tests.factories import PASSWORD, make_student

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _t(lang: str, text: str) -> str:
    with translation.override(lang):
        return translation.gettext(text)


def test_student_signs_in_in_kazakh_and_switches_to_russian(live_server, page, artifacts):
    profile = make_student()
    page.goto(f"{live_server.url}/")
    # Redirected to the sign-in page, in Kazakh by default.
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.locator("h1").inner_text() == "Университет порталына кіру"
    page.screenshot(path=str(artifacts / "01-login-kk.png"), full_page=True)

    # A wrong password first: the Kazakh error, still on the sign-in page.
    page.fill("#id_login", profile.user.id_code)
    page.fill("#id_password", "Wrong-2026")
    page.click("button[type=submit].btn-primary")
    assert "Университет ID немесе құпия сөз қате." in page.content()

    page.fill("#id_login", profile.user.id_code)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"{live_server.url}/dashboard/student/")
    assert profile.group.name in page.inner_text("main")
    assert _t("kk", "My studies") in page.inner_text("main")
    page.screenshot(path=str(artifacts / "02-dashboard-kk.png"), full_page=True)

    # The language switcher: Russian.
    page.click("#language-switcher button[value=ru]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.url == f"{live_server.url}/dashboard/student/"
    assert _t("ru", "My studies") in page.inner_text("main")
    assert _t("ru", "My studies") != _t("kk", "My studies")
    assert _t("ru", "Notifications") in page.inner_text("nav")
    page.screenshot(path=str(artifacts / "03-dashboard-ru.png"), full_page=True)
