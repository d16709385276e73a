"""AP-04 on Postgres: a plain portal filing written by the single statement (appeals/services/registering.py)
stores what the ORM path stores: the case, its audit row, the "registered" step, the counter and the
notifications of the applicant and the dean's office, row by row."""

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.utils import translation

from appeals.models import Application, Event, RegistrationCounter
from appeals.services import registering
from portal.models import Notification, Role
from tests.appeals.factories import at, file_case, make_school
from tests.factories import RoleAssignmentFactory, StaffProfileFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the single statement is for Postgres"),
]
WHEN = at(2026, 11, 17, 19, 30)  # after hours: registered on Wednesday 18.11


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def school():
    school = make_school("IT")
    institute = school.institute
    # Told: the dean and a second dean without e-mail. Not told: a dean whose term ended, an inactive one.
    RoleAssignmentFactory.create(user=UserFactory.create(email=None), role=Role.DEAN, institute=institute)
    RoleAssignmentFactory.create(
        user=StaffProfileFactory.create().user, role=Role.DEAN, institute=institute, valid_until=date(2026, 1, 1)
    )
    RoleAssignmentFactory.create(user=UserFactory.create(is_active=False), role=Role.DEAN, institute=institute)
    return school


def _file(applicant: Any, fast: bool, monkeypatch: pytest.MonkeyPatch) -> Application:
    monkeypatch.setattr(registering, "supported", lambda: fast)
    calls: list[bool] = []
    original = registering.save_plain_filing

    def counted(*args: Any) -> int:
        calls.append(True)
        return original(*args)

    monkeypatch.setattr(registering, "save_plain_filing", counted)
    case = file_case(applicant, WHEN)
    assert calls == ([True] if fast else [])
    return case


def _case(case: Application) -> dict[str, Any]:
    row = model_to_dict(Application.objects.get(pk=case.pk))
    return {k: v for k, v in row.items() if k not in ("id", "number")}


def _audit(case: Application) -> list[dict[str, Any]]:
    skip = {"id", "number", "history_id", "history_date"}
    return [{k: v for k, v in row.items() if k not in skip} for row in case.history.values()]


def _told(case: Application) -> list[tuple[Any, ...]]:
    rows = Notification.objects.filter(url=f"/appeals/{case.pk}/").order_by("recipient_id")
    return [
        (n.recipient_id, n.subject.replace(case.number, "N"), n.body, n.send_email, n.read_at, n.emailed_at)
        for n in rows
    ]


def test_ap04_the_single_statement_stores_what_the_orm_stores(school, monkeypatch):
    """AP-04, AP-06: two filings of the same student at the same moment, one per path: the same columns (the
    number apart), the same audit row, the same timeline step and the same notifications; the numbers
    follow each other from one counter."""
    orm = _file(school.student.user, False, monkeypatch)
    fast = _file(school.student.user, True, monkeypatch)
    assert (orm.number, fast.number) == ("IT-2026/00001", "IT-2026/00002")
    assert RegistrationCounter.objects.get(institute=school.institute, year=2026).last == 2
    assert _case(fast) == _case(orm)
    assert _case(fast)["registered_on"] == date(2026, 11, 18) and _case(fast)["due_on"] == date(2026, 12, 9)
    assert _audit(fast) == _audit(orm) and len(_audit(fast)) == 1
    assert fast.history.get().history_type == "+" and fast.history.get().history_user == school.student.user
    events = [
        list(Event.objects.filter(application=c).values_list("type", "actor_id", "note", "public")) for c in (orm, fast)
    ]
    assert events == [
        [(Event.Type.REGISTERED, school.student.user.pk, orm.number, True)],
        [(Event.Type.REGISTERED, school.student.user.pk, fast.number, True)],
    ]
    assert _told(fast) == _told(orm)
    told = _told(fast)
    assert len(told) == 3  # the student and the two serving deans
    assert told[0][1] == "Your application is registered: N" and told[0][2] == "The answer is due by 09.12.2026."
    assert [t[3] for t in told] == [True, True, False]  # no e-mail address, no e-mail


def test_ap04_the_returned_case_is_the_stored_one(school, monkeypatch):
    """The caller gets the case with its key and number, as saved."""
    case = _file(school.student.user, True, monkeypatch)
    stored = Application.objects.get(pk=case.pk)
    assert (case.number, case.registered_on, case.due_on) == (stored.number, stored.registered_on, stored.due_on)
    assert not case._state.adding
