"""Shared set-up of the voting tests: an election whose candidate list is published, a fixed clock."""

from datetime import date, datetime

from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from elections import rules
from elections.models import Election
from elections.services import calendar
from portal.models import StudentProfile, User
from tests.elections.factories import at, commission_user, make_election
from tests.factories import make_student

DAY = date(2026, 9, 25)  # the default election day of 2026-2027: the last Friday of September
Phase = rules.Phase


def set_clock(monkeypatch, when: datetime) -> None:
    """Every `timezone.now()` (services, views, sessions) returns `when`."""
    monkeypatch.setattr(timezone, "now", lambda: when)


def voting_election(candidates: int = 2, phase: rules.Phase = Phase.CAMPAIGN, **kwargs: object) -> Election:
    """An election on DAY with its candidate list published (the clock brings voting at 09:00)."""
    return make_election(phase=phase, election_day=DAY, candidates=candidates, **kwargs)  # type: ignore[arg-type]


def freeze(election: Election) -> None:
    """Voting opens: the roll is frozen as the periodic job does at 09:00."""
    calendar.sync_phase(election, at(DAY, 9))


def chair(election: Election) -> User:
    return commission_user(election)


def member(election: Election) -> User:
    """A plain commission member (not the chair or the secretary)."""
    return election.test_members[0]  # type: ignore[attr-defined]


def voter(**kwargs: object) -> StudentProfile:
    return make_student(**kwargs)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def shown(response, msgid: str, **params: object) -> bool:
    """Whether the page shows the message `msgid` in the active language (HTML-escaped)."""
    text = gettext(msgid) % params if params else gettext(msgid)
    body = response.content.decode()
    return escape(text) in body or text in body
