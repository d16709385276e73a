"""Loading a case for the commission's pages, with the permission check of each."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from appeals.models import Application, Commission
from appeals.services.commission import is_chair, require_commission_view
from portal.models import User
from portal.permissions import request_user


def case_or_404(pk: int) -> Application:
    return get_object_or_404(Application.objects.select_related("institute", "applicant"), pk=pk)


def viewer_case(request: HttpRequest, pk: int) -> tuple[User, Application]:
    """AP-21: the commission's members, the dean and the handlers; anyone else gets 403."""
    user = request_user(request)
    application = case_or_404(pk)
    require_commission_view(user, application)
    return user, application


def chair_case(request: HttpRequest, pk: int) -> tuple[User, Application, Commission]:
    """The chair's actions: 403 for everyone else, 404 before the commission is formed."""
    user = request_user(request)
    application = case_or_404(pk)
    commission = get_object_or_404(Commission, application=application)
    if not is_chair(user, application):
        raise PermissionDenied
    return user, application, commission
