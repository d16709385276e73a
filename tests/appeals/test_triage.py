"""AP-09: the dean's triage dashboard of open cases, and its panel on the dean's board."""

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from appeals import rules, selectors
from appeals.models import Application, Channel, Kind, Status
from appeals.panels_triage import dean_triage
from appeals.services import workflow
from portal import workdays
from portal.models import Role, WorkdayOverride
from tests.appeals.factories import School, at, file_case, make_school
from tests.factories import RoleAssignmentFactory, StaffProfileFactory, make_student

pytestmark = pytest.mark.django_db
URL = reverse("appeals:triage")


def client_for(user, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def due(case: Application, on: date, extended_to: date | None = None) -> Application:
    """Put the case's stored deadline where the test needs it (relative to the real today)."""
    Application.objects.filter(pk=case.pk).update(due_on=on, extended_to=extended_to)
    case.refresh_from_db()
    return case


def numbers(html: str) -> list[str]:
    return re.findall(r'data-number="([^"]+)"', html)


def row(html: str, number: str) -> str:
    match = re.search(rf'<tr class="([^"]*)" data-number="{re.escape(number)}">(.*?)</tr>', html, re.S)
    assert match, number
    return match.group(1) + " " + " ".join(re.sub(r"<[^>]+>", " ", match.group(2)).split())


@pytest.fixture
def school() -> School:
    return make_school("IT")


def test_ap09_only_the_dean_sees_the_triage_page(school):
    """AP-09, AP-21: students, teachers and deans of nothing get 403; signed out, the login page."""
    for user in (school.student.user, school.teacher, StaffProfileFactory.create().user):
        assert client_for(user).get(URL).status_code == 403
    assert Client().get(URL).status_code == 302
    assert client_for(school.dean).get(URL).status_code == 200


def test_ap09_open_cases_of_the_deans_institutes_soonest_deadline_first(school):
    """AP-09: registered, in review and commission cases, by the current deadline (extended_to or due_on);
    closed cases and other institutes' cases are not listed."""
    today = timezone.localdate()
    user = school.student.user
    later = due(file_case(user), today + timedelta(days=20))
    extended = due(file_case(user), today - timedelta(days=30), extended_to=today + timedelta(days=10))
    soonest = due(file_case(user), today + timedelta(days=2))
    routed = due(file_case(user), today + timedelta(days=15))
    workflow.route(school.dean, routed, "deans_council", [school.teacher])
    commission = due(file_case(user), today + timedelta(days=16))
    Application.objects.filter(pk=commission.pk).update(status=Status.COMMISSION)
    answered = file_case(user)
    Application.objects.filter(pk=answered.pk).update(status=Status.ANSWERED, outcome="upheld")
    returned = file_case(user)
    Application.objects.filter(pk=returned.pk).update(status=Status.RETURNED)
    other = make_school("EL")
    foreign = file_case(other.student.user)

    html = client_for(school.dean).get(URL).content.decode()
    shown = numbers(html)
    assert shown == [soonest.number, extended.number, routed.number, commission.number, later.number]
    assert answered.number not in shown and returned.number not in shown and foreign.number not in shown
    assert f'href="{reverse("appeals:case", args=[soonest.pk])}"' in html
    assert "Dean&#x27;s council" in row(html, routed.number) or "Dean's council" in row(html, routed.number)
    assert school.teacher.full_name in row(html, routed.number)  # the assigned handler


def test_ap09_overdue_and_due_soon_rows_are_highlighted_with_working_days(school):
    """AP-09: overdue rows say by how many working days; 3 working days or fewer left is due soon."""
    today = timezone.localdate()
    user = school.student.user
    overdue = due(file_case(user), today - timedelta(days=9))
    soon = due(file_case(user), workdays.add_working_days(today, 3))
    not_soon = due(file_case(user), workdays.add_working_days(today, 4))
    today_case = due(file_case(user), today)

    html = client_for(school.dean).get(URL).content.decode()
    late_by = workdays.working_days_between(today - timedelta(days=9), today)
    assert late_by >= 5
    assert row(html, overdue.number).startswith("table-danger")
    assert f"Overdue by {late_by} working days" in row(html, overdue.number)
    assert row(html, soon.number).startswith("table-warning") and "3 working days left" in row(html, soon.number)
    assert row(html, not_soon.number).startswith(" ") and "4 working days left" in row(html, not_soon.number)
    assert row(html, today_case.number).startswith("table-warning") and "Due today" in row(html, today_case.number)
    counts = re.findall(r'id="count-(open|overdue|due-soon)">(\d+)<', html)
    assert dict(counts) == {"open": "4", "overdue": "1", "due-soon": "2"}


def test_ap09_working_days_left_agree_with_the_rule_and_the_decree_overrides(school):
    """AP-09: the page's preloaded calendar gives what rules.deadline_state gives, decree days included."""
    today = timezone.localdate()
    WorkdayOverride.objects.create(date=today + timedelta(days=2), kind="day_off", reason="Decree")
    WorkdayOverride.objects.create(date=today - timedelta(days=3), kind="working_day", reason="Decree")
    cases = [due(file_case(school.student.user), today + timedelta(days=d)) for d in range(-12, 13)]
    rows = selectors.deadline_states(cases, today)
    for r in rows:
        assert r.state == rules.deadline_state(r.deadline, today), r.deadline


def test_ap09_filters_and_search(school):
    """AP-09: by kind, body, status, channel, applicant type; search by number, subject, name, ID code."""
    user = school.student.user
    school.teacher.last_name = "Жұмабекова"
    school.teacher.save()
    complaint = file_case(user, kind=Kind.COMPLAINT, subject="Жатақхана жылуы")
    proposal = file_case(school.teacher, kind=Kind.PROPOSAL, subject="Кітапхана жұмыс уақыты")
    routed = file_case(user, kind=Kind.REQUEST, subject="Анықтама беру")
    workflow.route(school.dean, routed, "quality_commission", [school.teacher])
    Application.objects.filter(pk=proposal.pk).update(channel=Channel.PAPER)
    client = client_for(school.dean)

    def shown(**params: str) -> set[str]:
        return set(numbers(client.get(URL, params).content.decode()))

    everything = {complaint.number, proposal.number, routed.number}
    assert shown() == everything
    assert shown(kind="complaint") == {complaint.number}
    assert shown(body="quality_commission") == {routed.number}
    assert shown(status="registered") == {complaint.number, proposal.number}
    assert shown(status="in_review") == {routed.number}
    assert shown(channel="paper") == {proposal.number}
    assert shown(applicant_type="staff") == {proposal.number}
    assert shown(q=proposal.number) == {proposal.number}
    assert shown(q="Жатақхана") == {complaint.number}
    assert shown(q=user.id_code) == {complaint.number, routed.number}
    assert shown(q=school.teacher.last_name) == {proposal.number}
    assert shown(kind="complaint", q="Кітапхана") == set()
    # A value that is no choice is reported and not applied.
    response = client.get(URL, {"kind": "bribe"})
    assert response.status_code == 200 and set(numbers(response.content.decode())) == everything
    assert "Select a valid choice" in response.content.decode()


def test_ap09_pagination_50_per_page(school):
    today = timezone.localdate()
    first = file_case(school.student.user)
    Application.objects.filter(institute=school.institute).update(due_on=today + timedelta(days=40))
    bulk_open(school, 54, today)
    due(first, today + timedelta(days=40))
    client = client_for(school.dean)
    page1, page2 = (numbers(client.get(URL, {"page": p}).content.decode()) for p in (1, 2))
    assert len(page1) == 50 and len(page2) == 5 and not set(page1) & set(page2)
    assert page2[-1] == first.number


def bulk_open(school: School, n: int, today: date, start: int = 0) -> None:
    """n open cases of n different students, each with a handler, straight into the table (the query
    budget test needs many rows, not the services' notifications)."""
    rows = []
    for i in range(start, start + n):
        student = make_student(group=school.student.group)
        rows.append(
            Application(
                number=f"{school.institute.code}-BULK/{i:05d}",
                registered_on=today - timedelta(days=20),
                received_at=at(today.year, today.month, today.day),
                institute=school.institute,
                kind=Kind.COMPLAINT,
                applicant_type="student",
                applicant=student.user,
                subject=f"Шағым {i}",
                text="Мәтін " * 10,
                due_on=today + timedelta(days=i % 30 - 10),
                status=Status.IN_REVIEW,
                body="deans_council",
            )
        )
    created = Application.objects.bulk_create(rows)
    handlers = Application.handlers.through
    handlers.objects.bulk_create(handlers(application=a, user=school.teacher, assigned_by=school.dean) for a in created)


def test_ap09_query_count_does_not_grow_with_rows(school, django_assert_max_num_queries):
    """AP-09: the same number of queries for 5 and for 60 open cases (working days read once a page), the
    list rendered afresh each time (bulk inserts raise no version: the kept list is dropped by hand)."""
    today = timezone.localdate()
    client = client_for(school.dean)
    bulk_open(school, 5, today)
    client.get(URL)  # the session and the language settle
    caches["pages"].clear()
    with django_assert_max_num_queries(13) as few:
        assert client.get(URL).status_code == 200
    bulk_open(school, 55, today, start=5)
    caches["pages"].clear()
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        html = client.get(URL).content.decode()
    assert len(numbers(html)) == 50
    assert len(many.captured_queries) == len(few.captured_queries)


def test_ap09_the_dean_board_panel_counts_and_links(school):
    """AP-09: the dean's board shows open / overdue / due soon with links to triage and the journal."""
    today = timezone.localdate()
    due(file_case(school.student.user), today - timedelta(days=3))
    due(file_case(school.student.user), today)
    due(file_case(school.student.user), today + timedelta(days=30))
    panel = dean_triage(school.dean)
    assert panel is not None
    assert panel.context["counts"] == selectors.TriageCounts(open=3, overdue=1, due_soon=1)
    assert dean_triage(school.teacher) is None and dean_triage(school.student.user) is None
    html = client_for(school.dean).get(reverse("dashboard", args=["dean"])).content.decode()
    assert 'id="panel-appeals-triage"' in html
    assert reverse("appeals:triage") in html and reverse("appeals:journal") in html
    assert re.search(r'id="panel-overdue">1<', html)


def test_ap09_a_dean_of_two_institutes_sees_both_and_a_student_dean_sees_none(school):
    other = make_school("EL")
    RoleAssignmentFactory.create(user=school.dean, role=Role.DEAN, institute=other.institute)
    mine, theirs = file_case(school.student.user), file_case(other.student.user)
    html = client_for(school.dean).get(URL).content.decode()
    assert set(numbers(html)) == {mine.number, theirs.number}
    student_dean = StaffProfileFactory.create().user
    RoleAssignmentFactory.create(user=student_dean, role=Role.STUDENT_DEAN, institute=school.institute)
    assert client_for(student_dean).get(URL).status_code == 403


def test_pt04_the_page_calendar_counts_as_portal_workdays_does(django_assert_num_queries):
    """PT-04, AP-09: `WorkdaySpan` reads the decree overrides once and then counts working days, holidays and
    decree days included, exactly as the public functions of portal.workdays do."""
    WorkdayOverride.objects.create(date=date(2026, 12, 26), kind="working_day", reason="Decree: a working Saturday")
    WorkdayOverride.objects.create(date=date(2026, 12, 28), kind="day_off", reason="Decree: moved day off")
    WorkdayOverride.objects.create(date=date(2027, 1, 9), kind="working_day", reason="Decree")
    start, end = date(2026, 12, 1), date(2027, 3, 31)
    with django_assert_num_queries(1):
        span = workdays.WorkdaySpan(start, end)
        days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
        counted = {(a, b): span.working_days_between(a, b) for a in days[::3] for b in days[::4]}
        added = {(a, n): span.add_working_days(a, n) for a in days[:90:5] for n in (0, 1, 3, 15)}
    for (a, b), n in counted.items():
        assert n == workdays.working_days_between(a, b), (a, b)
    for (a, n), day in added.items():
        assert day == workdays.add_working_days(a, n), (a, n)
    assert span.working_days_between(date(2026, 12, 25), date(2026, 12, 28)) == 1  # Sat worked, Mon off
    with pytest.raises(ValueError):
        span.working_days_between(start, end + timedelta(days=1))
