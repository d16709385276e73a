"""Celery: a real worker on the configured broker (Redis in CI, the filesystem transport locally) and /healthz."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from portal.health import record_heartbeat
from portal.models import Notification, WorkerHeartbeat
from portal.notifications import notify
from tests.factories import UserFactory


@pytest.mark.django_db
def test_healthz_reports_database_broker_and_stale_worker():
    report = Client().get("/healthz").json()
    assert report["database"]["ok"] is True
    assert report["broker"]["ok"] is True
    assert report["worker"]["ok"] is False
    record_heartbeat("celery@test")
    report = Client().get("/healthz").json()
    assert report["worker"]["ok"] is True
    assert report["status"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_a_broker_outage_without_failing(broker_down):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"]["ok"] is False
    assert response.json()["status"] == "degraded"


def _worker_env() -> dict[str, str]:
    env = dict(os.environ)
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"  # the test database file, not the dev one
    else:
        env["DATABASE_URL"] = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env["PORTAL_HEARTBEAT_INTERVAL"] = "2"
    return env


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_sends_queued_notifications_and_beats(tmp_path):
    """PT-09: a worker process consumes the on-commit task from the real broker and e-mails the outbox."""
    mail_dir = tmp_path / "mail"
    env = _worker_env()
    env["EMAIL_URL"] = f"filemail:///{mail_dir}"  # four slashes: an absolute path
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "-B",
            "--loglevel=INFO",
            "--concurrency=1",
            "--pool=solo",
            f"--schedule={tmp_path / 'beat'}",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        user = UserFactory.create()
        notify([user], "Жұмысшы тексеруі", "Celery арқылы")
        # Well under the 60 s sweep: the on-commit task itself must have reached the worker.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if Notification.objects.filter(emailed_at__isnull=False).exists() and WorkerHeartbeat.objects.exists():
                break
            time.sleep(0.5)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 1, output[-3000:]
    assert WorkerHeartbeat.objects.exists(), output[-3000:]
    sent = "".join(p.read_text() for p in Path(mail_dir).glob("*.log"))
    assert "Subject: =?utf-8?" in sent or "Жұмысшы тексеруі" in sent
    assert len(mail.outbox) == 0  # sent by the worker process, not by this one
