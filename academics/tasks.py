"""Thin Celery tasks for academics."""

from celery import shared_task
from django.utils import timezone

from academics.services.gradebook import expire_fx_grades


@shared_task
def expire_fx() -> int:
    """AC-09: the daily sweep turning unretaken FX grades into F."""
    return expire_fx_grades(timezone.localdate())
