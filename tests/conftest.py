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
def broker_down(monkeypatch):
    """Route Celery's connections and producers to a port where nothing listens; undone exactly after."""
    from kombu import pools

    from portal.celery import app

    dead = app.connection_for_write("redis://127.0.0.1:1/0")
    monkeypatch.setattr(app, "connection_for_write", lambda *args, **kwargs: dead.clone())  # type: ignore[attr-defined]
    monkeypatch.setattr(app.amqp, "_producer_pool", pools.producers[dead])  # type: ignore[attr-defined]
    yield
    pools.producers[dead].force_close_all()  # type: ignore[attr-defined]


@pytest.fixture
def student(db):
    return make_student()


@pytest.fixture
def student_client(student) -> Client:
    client = Client()
    assert client.login(username=student.user.id_code, password=PASSWORD)
    return client


@pytest.fixture(autouse=True)
def _kazakh_by_default():
    """Each test starts in the portal's default language: a request in another language made by an
    earlier test in the same thread must not leak into the next test's assertions."""
    from django.utils import translation

    translation.activate("kk")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_email_kicks():
    """Each test starts with no send task of an earlier test counted as still ahead (portal.notifications)."""
    from portal.notifications import kicks

    kicks.reset()


@pytest.fixture(autouse=True)
def _no_kept_pages():
    """Each test starts with no page part kept by an earlier one (appeals/triage_cache.py): the database is
    rolled back between tests, so versions and keys come round again."""
    from django.core.cache import caches

    caches["pages"].clear()
