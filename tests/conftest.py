import pytest
from django.core.management import call_command
from django.test import Client

from tests.factories import PASSWORD, make_student


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Login throttling counters live in the database cache: create its table once."""
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def _test_settings():
    """Tests (and the live server) speak plain HTTP, use unhashed static names and a fast hasher."""
    from django.test.utils import override_settings

    with override_settings(
        SECURE_SSL_REDIRECT=False,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


@pytest.fixture
def broker_down():
    """Point Celery at a port where nothing listens, then restore it and drop the pooled connections."""
    from portal.celery import app

    def reset_pools() -> None:
        # Celery caches the broker connection and producer pools: drop both so the URL change counts.
        app.pool.force_close_all()  # type: ignore[attr-defined]
        app._pool = None  # type: ignore[attr-defined]
        app.amqp._producer_pool = None  # type: ignore[attr-defined]

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    reset_pools()
    yield
    app.conf.broker_url = original
    reset_pools()


@pytest.fixture
def student(db):
    return make_student()


@pytest.fixture
def student_client(student) -> Client:
    client = Client()
    assert client.login(username=student.user.id_code, password=PASSWORD)
    return client
