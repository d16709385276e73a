"""Pages of the appeals app: the applicant's side and the case page (filled in by its own change)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path


@login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


urlpatterns: list[URLPattern] = [path("<int:pk>/", case, name="case")]
