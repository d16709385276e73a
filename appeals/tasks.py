"""Thin Celery tasks for appeals."""

from celery import shared_task

from appeals.services import reminders


@shared_task
def send_reminders() -> int:
    """AP-19: hourly, the reminders due today (3 and 1 working days before, the due day, overdue), each once."""
    return reminders.send_reminders().reminders
