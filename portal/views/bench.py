"""The framework floor for benchmarks: the least a real authenticated write can cost.

Mounted only with PORTAL_BENCH_ENDPOINTS=1 (the bench harness sets it).
"""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from portal.models import BenchWrite, User
from portal.permissions import request_user


@require_POST
@login_required
def floor(request: HttpRequest) -> HttpResponse:
    """One UPDATE and one INSERT in a transaction."""
    user = request_user(request)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(first_name=F("first_name"))
        BenchWrite.objects.create(user=user)
    return HttpResponse("ok")
