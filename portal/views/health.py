"""/healthz for load balancers and operators."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from portal import health


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    report = health.report()
    # Only the database is fatal for serving pages; broker and worker outages are reported.
    db_ok = report["database"]["ok"]  # type: ignore[index]
    return JsonResponse(report, status=200 if db_ok else 503)
