"""Thin Celery tasks for elections."""

from celery import shared_task

from elections.services import calendar, notices


@shared_task
def sync_elections() -> int:
    """EL-01, EL-08, EL-11: every minute, bring running elections up to the clock (silence day hides the
    campaign material and tells the candidates; voting freezes the roll)."""
    return calendar.sync_all()


@shared_task
def send_election_reminders() -> int:
    """Issue 4, item 11: every five minutes, the reminders that are due, each sent once."""
    return notices.send_reminders()
