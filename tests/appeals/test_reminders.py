"""AP-19: reminders 3 and 1 working days before the deadline and on the day, then escalation; a periodic
sweep over the stored due dates that sends each reminder once (ARCHITECTURE.md, "Reliability by design")."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from appeals import rules
from appeals.models import Application, Assignment, Body, Event, Level, Reminder, Status
from appeals.services import reminders
from appeals.services.filing import deans_of
from appeals.tasks import send_reminders
from portal.models import Notification, Role, WorkdayOverride
from tests.appeals.factories import School, at, file_case, make_school
from tests.factories import RoleAssignmentFactory, StaffProfileFactory

pytestmark = pytest.mark.django_db
DUE = date(2026, 12, 8)  # a case filed on Tuesday 17 November 2026 is due Tuesday 8 December


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _case(school: School, handlers: bool = True) -> Application:
    """A case due on 8 December; routed to the dean's council with the teacher as its handler. (Set up
    directly, not through workflow.route: the sweep is under test here.)"""
    case = file_case(school.student.user, at(2026, 11, 17))
    assert case.due_on == DUE
    if handlers:
        Assignment.objects.create(application=case, user=school.teacher, assigned_by=school.dean)
        Application.objects.filter(pk=case.pk).update(status=Status.IN_REVIEW, body=Body.DEANS_COUNCIL)
    return case


def _sweep(day: date, hour: int = 9) -> reminders.SweepResult:
    return reminders.send_reminders(at(day.year, day.month, day.day, hour))


def _reminders_of(user) -> list[str]:
    """The reminder and escalation messages the user got (not the filing and assignment notices)."""
    qs = Notification.objects.filter(recipient=user).order_by("created_at", "id")
    return [s for s in qs.values_list("subject", flat=True) if "due" in s or "overdue" in s.lower()]


@pytest.mark.parametrize("holiday_decree", [False, True])
def test_ap19_the_sweeps_date_ranges_agree_with_reminder_threshold_over_two_months(holiday_decree):
    """AP-19: the working days are counted once per sweep (ranges of deadlines per threshold) and give the
    same threshold as `rules.reminder_threshold` for every day and deadline, holidays and decrees included
    (16-17 December and New Year are public holidays in Kazakhstan)."""
    if holiday_decree:
        WorkdayOverride.objects.create(date=date(2026, 12, 5), kind=WorkdayOverride.Kind.WORKING_DAY, reason="т")
        WorkdayOverride.objects.create(date=date(2026, 12, 10), kind=WorkdayOverride.Kind.DAY_OFF, reason="т")
    checked = set()
    for offset in range(60):
        today = date(2026, 11, 25) + timedelta(days=offset)
        span = reminders.windows(today)
        for delta in range(-3, 14):
            deadline = today + timedelta(days=delta)
            expected = rules.reminder_threshold(deadline, today)
            assert span.threshold(deadline) == expected, (today, deadline)
            checked.add(expected)
    assert checked == {"d3", "d1", "d0", "overdue", None}


def test_ap19_the_handler_and_the_dean_are_reminded_3_and_1_working_days_before_and_on_the_day_once_each():
    """AP-19: deadline Tuesday 8 December: "d3" on Thursday 3 and Friday 4 (3 and 2 working days left) is
    sent once, "d1" on Monday 7, "d0" on Tuesday 8; every day swept twice, nothing is sent twice."""
    school = make_school()
    case = _case(school)
    sent = {}
    for day in (date(2026, 12, d) for d in range(1, 9)):
        first, second = _sweep(day, 9), _sweep(day, 10)
        assert second.reminders == 0 and second.notifications == 0
        sent[day.day] = first.reminders
    assert sent == {1: 0, 2: 0, 3: 1, 4: 0, 5: 0, 6: 0, 7: 1, 8: 1}
    rows = list(Reminder.objects.filter(application=case).order_by("id").values_list("threshold", "deadline"))
    assert rows == [("d3", DUE), ("d1", DUE), ("d0", DUE)]
    expected = [
        f"Reminder: the answer to {case.number} is due within 3 working days",
        f"Reminder: the answer to {case.number} is due in 1 working day",
        f"Reminder: the answer to {case.number} is due today",
    ]
    assert _reminders_of(school.teacher) == expected
    assert _reminders_of(school.dean) == expected
    assert _reminders_of(school.student.user) == []  # the applicant is not reminded of the office's deadline
    note = Notification.objects.filter(recipient=school.teacher, subject=expected[0]).get()
    assert note.url == f"/appeals/{case.pk}/" or note.url.endswith(f"/appeals/{case.pk}/")
    assert "08.12.2026" in note.body and case.subject in note.body
    events = case.events.filter(type=Event.Type.REMINDED)
    assert events.count() == 3 and not events.filter(public=True).exists()


def test_ap19_a_sweep_that_did_not_run_for_days_sends_only_the_current_threshold():
    """AP-19: the sweep first runs on the due day: only "d0" is sent, not "d3" and "d1" late all at once."""
    school = make_school()
    case = _case(school)
    result = _sweep(DUE)
    assert (result.reminders, result.escalated) == (1, 0)
    assert list(Reminder.objects.filter(application=case).values_list("threshold", flat=True)) == ["d0"]
    assert _reminders_of(school.teacher) == [f"Reminder: the answer to {case.number} is due today"]
    # ... and a sweep first run after the deadline sends only the escalation.
    other = make_school()
    late = _case(other)
    Reminder.objects.all().delete()
    _sweep(date(2026, 12, 11))
    assert list(Reminder.objects.filter(application=late).values_list("threshold", flat=True)) == ["overdue"]
    assert _reminders_of(other.teacher) == [f"The answer to {late.number} is overdue"]


def test_ap19_an_overdue_case_escalates_to_the_vice_rector_with_an_internal_event():
    """AP-19, AP-20: a case at the institute's level, overdue on Wednesday 9 December, is reported to the
    vice-rector for social development (the next level); the handler and the dean are told it is overdue;
    the escalation is on the case's internal timeline, not the applicant's."""
    school = make_school()
    case = _case(school)
    vice_rector = RoleAssignmentFactory.create(role=Role.VICE_RECTOR_SOCIAL).user
    result = _sweep(date(2026, 12, 9))
    assert (result.reminders, result.escalated, result.notifications) == (1, 1, 3)
    assert _reminders_of(vice_rector) == [f"Overdue application reported to you: {case.number}"]
    assert _reminders_of(school.teacher) == [f"The answer to {case.number} is overdue"]
    assert _reminders_of(school.dean) == [f"The answer to {case.number} is overdue"]
    event = case.events.get(type=Event.Type.ESCALATED)
    assert event.public is False and event.actor is None
    assert "08.12.2026" in event.note and "Vice-rector" in event.note and vice_rector.full_name in event.note
    assert case.events.filter(public=True, type=Event.Type.ESCALATED).count() == 0
    case.refresh_from_db()
    assert (case.status, case.level) == (Status.IN_REVIEW, Level.INSTITUTE)  # a notice, not a transition
    for day in range(10, 16):  # overdue is sent once per deadline, not every day
        assert _sweep(date(2026, 12, day)).reminders == 0
    assert len(_reminders_of(vice_rector)) == 1


@pytest.mark.parametrize(
    ("level", "official"),
    [
        (Level.ADVISOR, "head"),
        (Level.DEPARTMENT, "dean"),
        (Level.INSTITUTE, "vice_rector"),
        (Level.VICE_RECTOR, "rector"),
        (Level.RECTOR, "rector"),
    ],
)
def test_ap19_escalation_follows_the_ladder_of_levels(level, official):
    """AP-20 (002 8.2): advisor -> department -> institute -> vice-rector -> rector; a case at the rector's
    level is reported to the rector."""
    school = make_school()
    case = _case(school)
    department = school.teacher.staff.department
    Application.objects.filter(pk=case.pk).update(level=level, department=department)
    people = {
        "head": RoleAssignmentFactory.create(role=Role.HEAD_OF_DEPARTMENT, department=department).user,
        "dean": school.dean,
        "vice_rector": RoleAssignmentFactory.create(role=Role.VICE_RECTOR_SOCIAL).user,
        "rector": RoleAssignmentFactory.create(role=Role.RECTOR).user,
    }
    _sweep(date(2026, 12, 9))
    escalated = f"Overdue application reported to you: {case.number}"
    for name, person in people.items():
        assert (escalated in _reminders_of(person)) == (name == official), name
    # The official gets the escalation only, never also the plain overdue reminder.
    assert len(_reminders_of(people[official])) == 1


def test_ap19_escalation_skips_an_empty_post_to_the_next_level_up():
    """With no vice-rector in post, an institute-level case goes to the rector."""
    school = make_school()
    case = _case(school)
    rector = RoleAssignmentFactory.create(role=Role.RECTOR).user
    _sweep(date(2026, 12, 9))
    assert _reminders_of(rector) == [f"Overdue application reported to you: {case.number}"]
    assert "Rector" in case.events.get(type=Event.Type.ESCALATED).note


def test_ap19_an_extension_is_a_new_deadline_whose_thresholds_start_again():
    """AP-06, AP-19: after the extension the reminders count to the new date, once each."""
    school = make_school()
    case = _case(school)
    _sweep(date(2026, 12, 3))
    Application.objects.filter(pk=case.pk).update(extended_to=date(2026, 12, 22))
    assert _sweep(date(2026, 12, 4)).reminders == 0  # the old deadline's d3 was sent; the new one is far
    assert _sweep(date(2026, 12, 9)).reminders == 0  # not overdue: the deadline moved
    assert _sweep(date(2026, 12, 18)).reminders == 1  # 22 Dec: 2 working days left (21, 22)
    rows = set(Reminder.objects.filter(application=case).values_list("threshold", "deadline"))
    assert rows == {("d3", DUE), ("d3", date(2026, 12, 22))}


def test_ap19_closed_and_unopened_cases_are_not_reminded():
    school = make_school()
    answered = _case(school)
    Application.objects.filter(pk=answered.pk).update(
        status=Status.ANSWERED, outcome="explained", answered_on=date(2026, 12, 1)
    )
    anonymous_like = _case(school, handlers=False)
    Application.objects.filter(pk=anonymous_like.pk).update(status=Status.NOT_CONSIDERED)
    assert _sweep(DUE).reminders == 0
    assert not Reminder.objects.exists()


def test_ap19_a_registered_case_without_handlers_reminds_the_deans():
    school = make_school()
    case = _case(school, handlers=False)
    second_dean = StaffProfileFactory.create().user
    RoleAssignmentFactory.create(user=second_dean, role=Role.DEAN, institute=school.institute)
    assert set(deans_of(school.institute)) == {school.dean, second_dean}
    result = _sweep(DUE)
    assert (result.reminders, result.notifications) == (1, 2)
    assert _reminders_of(second_dean) == [f"Reminder: the answer to {case.number} is due today"]


def test_ap19_nothing_is_sent_on_a_day_off():
    """Saturday 5 December and the Independence Day holiday: no sweep; Monday's sweep sends Monday's."""
    school = make_school()
    _case(school)
    assert _sweep(date(2026, 12, 5)).reminders == 0
    assert _sweep(date(2026, 12, 16)).reminders == 0
    assert not Reminder.objects.exists()


def test_ap19_a_sweep_that_dies_half_way_sends_nothing_and_the_next_one_sends_each_once(monkeypatch):
    """The reminder rows and the notifications share a transaction: an error after the insert (here, while
    writing the timeline) rolls both back; the next sweep sends every reminder exactly once."""
    school = make_school()
    cases = [_case(school) for _ in range(3)]

    def boom(*args):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(reminders, "_record", boom)
    with pytest.raises(RuntimeError):
        _sweep(DUE)
    assert not Reminder.objects.exists()
    assert _reminders_of(school.teacher) == []
    monkeypatch.undo()
    assert _sweep(DUE, 10).reminders == 3
    assert _sweep(DUE, 11).reminders == 0
    assert _reminders_of(school.teacher) == ["Reminder: 3 answers are due today"]
    note = Notification.objects.get(recipient=school.dean, subject="Reminder: 3 answers are due today")
    assert all(c.number in note.body for c in cases) and note.url == ""


def test_ap19_one_digest_per_person_lists_at_most_20_cases_and_counts_the_rest():
    school = make_school()
    cases = [_case(school, handlers=False) for _ in range(23)]
    result = _sweep(DUE)
    assert (result.reminders, result.notifications) == (23, 1)
    note = Notification.objects.get(recipient=school.dean, subject="Reminder: 23 answers are due today")
    assert note.body.count("due 08.12.2026") == 20 and note.body.endswith("and 3 more applications")
    assert cases[0].number in note.body


def test_ap19_the_sweep_is_set_based_its_queries_do_not_grow_with_the_cases():
    """One INSERT ... SELECT for every case, then a fixed number of queries per 2,000 reminders and one
    notification insert per person and kind of reminder: 30 overdue cases cost what 2 do."""
    school = make_school()
    RoleAssignmentFactory.create(role=Role.VICE_RECTOR_SOCIAL)
    for _ in range(2):
        _case(school)
    with CaptureQueriesContext(connection) as few:
        assert _sweep(date(2026, 12, 9)).reminders == 2
    Reminder.objects.all().delete()
    for _ in range(28):
        _case(school)
    with CaptureQueriesContext(connection) as many:
        assert _sweep(date(2026, 12, 9)).reminders == 30
    assert len(many) == len(few) <= 20


def test_ap19_the_task_runs_the_sweep_and_beat_runs_it_hourly_every_day():
    """The beat entry; the service itself skips days off, so a decree's working Saturday is swept."""
    entry = settings.CELERY_BEAT_SCHEDULE["appeal-reminders"]
    assert entry["task"] == "appeals.tasks.send_reminders"
    assert entry["schedule"].hour == set(range(8, 19)) and len(entry["schedule"].day_of_week) == 7
    assert send_reminders.apply().get() == 0


def test_ap19_reminders_wait_on_no_broker(broker_down):
    """With the broker down the sweep still writes its reminders and notifications (the outbox); the
    notifications' own sweep e-mails them later."""
    school = make_school()
    _case(school)
    assert _sweep(DUE).reminders == 1
    pending = Notification.objects.filter(recipient=school.teacher, emailed_at__isnull=True, subject__contains="today")
    assert pending.count() == 1
    assert pending.get().send_email is True
    assert Reminder.objects.get().sent_at == at(2026, 12, 8, 9)
    assert not Notification.objects.filter(recipient=school.student.user, subject__contains="today").exists()
