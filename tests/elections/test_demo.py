"""manage.py seed_elections: last year's election run through the services, this year's in progress."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from elections import rules
from elections.models import Ballot, Election, Mandate, Participation
from portal.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db


def test_seed_elections_publishes_last_years_election_and_opens_this_years():
    with pytest.raises(CommandError):
        call_command("seed_elections", verbosity=0)  # needs seed_demo and seed_academics first
    call_command("seed_demo", verbosity=0)
    call_command("seed_academics", verbosity=0)
    call_command("seed_elections", verbosity=0)
    past, current = Election.objects.order_by("election_day")
    assert past.phase == "PUBLISHED" and past.election_day.month == 9 and past.election_day.weekday() == 4
    online = Participation.objects.filter(election=past, channel="online").count()
    assert online == Ballot.objects.filter(election=past).count() == 220
    assert Participation.objects.filter(election=past, channel="paper").count() == 40
    mandate = Mandate.objects.get(election=past)
    assert mandate.ends_on == past.academic_year.ends_on
    assert RoleAssignment.objects.filter(user=mandate.holder.user, role=Role.SG_PRESIDENT).exists()
    public = Client().get(f"/elections/{past.pk}/results/").content.decode()
    assert mandate.holder.user.full_name in public and "170" in public  # 146 online + 24 on paper
    assert current.stored_phase >= rules.Phase.CAMPAIGN and current.candidates_published_at is not None
    assert current.candidates.filter(status="registered").count() == 3
    assert current.commission.filter(role="chair").exists() and current.election_day >= timezone.localdate()
    call_command("seed_elections", if_empty=True, verbosity=0)
    assert Election.objects.count() == 2
