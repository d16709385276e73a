"""/healthz: database, broker and the last worker heartbeat."""

from datetime import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

from portal.models import WorkerHeartbeat


def record_heartbeat(worker: str) -> None:
    WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"seen_at": timezone.now()})


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, connection.vendor
    except Exception as exc:  # reported, not raised: this is a health page
        return False, str(exc)


def check_broker() -> tuple[bool, str]:
    from portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            return True, str(app.conf.broker_url).split(":", 1)[0]  # the scheme only: never the password
    except Exception as exc:
        return False, str(exc)


def last_heartbeat() -> datetime | None:
    return WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()


def report() -> dict[str, object]:
    db_ok, db_info = check_database()
    broker_ok, broker_info = check_broker()
    beat = last_heartbeat() if db_ok else None
    worker_ok = beat is not None and (timezone.now() - beat).total_seconds() <= settings.PORTAL_HEARTBEAT_MAX_AGE
    return {
        "status": "ok" if db_ok and broker_ok and worker_ok else "degraded",
        "database": {"ok": db_ok, "detail": db_info},
        "broker": {"ok": broker_ok, "detail": broker_info},
        "worker": {"ok": worker_ok, "last_heartbeat": beat.isoformat() if beat else None},
    }
