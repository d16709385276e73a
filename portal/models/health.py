"""The Celery worker's heartbeat, read by /healthz."""

from django.db import models


class WorkerHeartbeat(models.Model):
    worker = models.CharField(max_length=255, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class BenchWrite(models.Model):
    """Rows written by the benchmark floor endpoint (one INSERT per request)."""

    user = models.ForeignKey("portal.User", models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at}"
