import pytest
from django.core.management import call_command
from django.test import Client

from tests.factories import PASSWORD, make_student


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Login throttling counters live in the database cache: create its table once."""
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture(autouse=True)
def _test_http_settings(settings):
    """Tests speak plain HTTP, use unhashed static file names and a fast password hasher."""
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def student(db):
    return make_student()


@pytest.fixture
def student_client(student) -> Client:
    client = Client()
    assert client.login(username=student.user.id_code, password=PASSWORD)
    return client
