"""manage.py seed_appeals: the demo's applications, filed and moved along through the services."""

import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from appeals.models import OPEN_STATUSES, Application, Channel, Delivery, Event, Status
from portal.models import User

pytestmark = pytest.mark.django_db


def test_seed_appeals_fills_every_status_and_the_demo_dean_sees_them(settings_media):
    """AP-04, AP-09: every status for the demo institute, journal numbers in date order, and the demo dean
    T00008 sees overdue and due-soon cases on the triage page."""
    with pytest.raises(CommandError):
        call_command("seed_appeals", verbosity=0)  # needs seed_demo first
    call_command("seed_demo", students=120, staff=40, verbosity=0)
    call_command("seed_appeals", verbosity=0)
    dean = User.objects.get(id_code="T00008")
    institute = dean.role_assignments.get(role="dean").institute
    cases = Application.objects.filter(institute=institute)
    assert set(cases.values_list("status", flat=True)) == set(Status.values)
    assert set(cases.values_list("channel", flat=True)) >= {
        Channel.PORTAL,
        Channel.PAPER,
        Channel.EMAIL,
        Channel.RECTOR_BLOG,
    }
    journal = list(cases.order_by("number").values_list("registered_on", flat=True))
    assert journal == sorted(journal)  # numbers follow the dates of registration
    answered = cases.filter(status=Status.ANSWERED)
    assert answered.count() >= 4 and not answered.filter(answer_document__isnull=True).exists()
    assert Delivery.objects.filter(application__in=answered).count() == answered.count()
    assert cases.filter(extended_to__isnull=False).exists()
    assert Event.objects.filter(application__in=cases, type=Event.Type.HEARING).count() >= 3
    assert Application.objects.exclude(institute=institute).filter(status=Status.IN_REVIEW).exists()
    for case in answered:  # the timeline runs over the case's own days, not the moment of seeding
        steps = list(case.events.order_by("at", "id"))
        assert steps[0].at == case.received_at
        assert timezone.localtime(steps[-1].at).date() == case.answered_on

    client = Client()
    client.force_login(dean)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("appeals:triage")).content.decode()
    assert len(re.findall(r'data-number="', html)) == cases.filter(status__in=OPEN_STATUSES).count()
    assert html.count('class="table-danger"') >= 2 and html.count('class="table-warning"') >= 2
    assert "Overdue by" in html and "working days left" in html

    call_command("seed_appeals", if_empty=True, verbosity=0)
    assert Application.objects.filter(institute=institute).count() == cases.count()


@pytest.fixture
def settings_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
