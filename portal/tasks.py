"""Thin Celery tasks: each calls one service."""

import socket

from celery import shared_task

from portal import health, notifications


@shared_task
def send_pending_notifications() -> int:
    return notifications.send_pending()


@shared_task
def record_heartbeat() -> None:
    health.record_heartbeat(f"celery@{socket.gethostname()}")
