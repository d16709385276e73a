import pytest


@pytest.fixture(autouse=True)
def _english(settings, _kazakh_by_default):
    """The appeals tests read messages and pages in English (the msgids), so they stay true whatever the
    Kazakh and Russian catalogues say; the Kazakh pages are checked by the browser and wording tests."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    translation.activate("en")
    yield
