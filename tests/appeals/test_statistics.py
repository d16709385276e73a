"""AP-16: statistics by kind, body, channel, status, outcome and timeliness, per institute and period, with
charts, tables and a CSV export; the headline figures on the leadership and dean boards."""

import csv
import io
import itertools
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from academics.models import AcademicYear
from appeals import rules
from appeals.models import Application, Body, Channel, Kind, Outcome, Status
from appeals.services import statistics
from appeals.services.statistics import Period
from portal import workdays
from portal.models import Role
from tests.appeals.factories import School, make_school
from tests.factories import PASSWORD, RoleAssignmentFactory, StaffProfileFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 10)  # a Thursday
YEAR = Period(date(2026, 9, 2), date(2027, 9, 1))
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def case(school: School, registered: date, **fields: object) -> Application:
    """A case as the journal holds it, written directly (the statistics only read the journal)."""
    values: dict[str, object] = {
        "kind": Kind.COMPLAINT,
        "channel": Channel.PORTAL,
        "status": Status.REGISTERED,
        **fields,
    }
    return Application.objects.create(
        number=f"{school.institute.code}-S/{next(_numbers):05d}",
        registered_on=registered,
        received_at=datetime.combine(registered, time(10), ZoneInfo("Asia/Almaty")),
        institute=school.institute,
        applicant_type="student",
        applicant=school.student.user,
        subject="Емтихан кестесі",
        text="Емтихан кестесі өзгертілді, бірақ топқа ешкім хабарламады.",
        due_on=rules.answer_due(registered),
        **values,
    )


def answered(school: School, registered: date, on: date, outcome: str, **fields: object) -> Application:
    return case(school, registered, status=Status.ANSWERED, answered_on=on, outcome=outcome, **fields)


def journal(school: School) -> None:
    """Five cases of the school in the period (three answered, two open), one before it; due 8 December
    for those registered on 17 November."""
    nov17 = date(2026, 11, 17)
    # 14 calendar days, 10 working days, on time.
    answered(school, nov17, date(2026, 12, 1), Outcome.EXPLAINED, body=Body.DEANS_COUNCIL)
    # 23 calendar days, 17 working days, late (due 8 December).
    answered(
        school,
        nov17,
        date(2026, 12, 10),
        Outcome.REFUSED,
        kind=Kind.APPLICATION,
        channel=Channel.PAPER,
        body=Body.PROGRAMME_COMMITTEE,
    )
    # 28 calendar days, 20 working days, on time by the extension to 29 December.
    answered(
        school,
        nov17,
        date(2026, 12, 15),
        Outcome.UPHELD,
        kind=Kind.PROPOSAL,
        channel=Channel.EMAIL,
        body=Body.QUALITY_COMMISSION,
        extended_to=date(2026, 12, 29),
    )
    case(school, nov17, kind=Kind.REQUEST, status=Status.IN_REVIEW)  # open, overdue since 8 December
    case(school, date(2026, 12, 1))  # open, due 23 December
    case(school, date(2026, 8, 20))  # before the period


def _rows(stats: statistics.Statistics, key: str) -> dict[str, int]:
    breakdown = next(b for b in stats.breakdowns if b.key == key)
    return {row.key: row.count for row in breakdown.rows if row.count}


def test_ap16_counts_by_kind_body_channel_status_and_outcome_for_the_deans_institute_and_period():
    school, other = make_school("IT"), make_school("EC")
    journal(school)
    journal(other)
    stats = statistics.compute([school.institute], YEAR, TODAY)
    assert stats.total == 5
    assert _rows(stats, "kind") == {"complaint": 2, "application": 1, "proposal": 1, "request": 1}
    assert _rows(stats, "channel") == {"portal": 3, "paper": 1, "email": 1}
    assert _rows(stats, "body") == {"none": 2, "deans_council": 1, "programme_committee": 1, "quality_commission": 1}
    assert _rows(stats, "status") == {"answered": 3, "in_review": 1, "registered": 1}
    assert _rows(stats, "outcome") == {"explained": 1, "refused": 1, "upheld": 1}
    kinds = next(b for b in stats.breakdowns if b.key == "kind")
    assert [r.share for r in kinds.rows if r.key == "complaint"] == [Decimal("40.0")]
    assert stats.by_institute == []  # one institute: no per-institute table


def test_ap16_timeliness_on_time_share_medians_in_calendar_and_working_days_and_open_overdue():
    """Answered 3, on time 2 (66.7 %: the extension counts); medians of (14, 23, 28) calendar days and
    (10, 17, 20) working days; 2 open, 1 of them overdue on 10 December."""
    school = make_school()
    journal(school)
    t = statistics.compute([school.institute], YEAR, TODAY).timeliness
    assert (t.answered, t.on_time, t.late, t.on_time_percent) == (3, 2, 1, Decimal("66.7"))
    assert (t.median_days, t.median_working_days) == (Decimal(23), Decimal(17))
    assert (t.open, t.open_overdue) == (2, 1)
    assert workdays.working_days_between(date(2026, 11, 17), date(2026, 12, 10)) == 17
    assert statistics.compute([school.institute], YEAR, date(2026, 12, 8)).timeliness.open_overdue == 0


def test_ap16_medians_of_an_even_count_are_the_mean_of_the_middle_two():
    assert statistics.median({10: 1, 17: 1, 20: 1, 30: 1}) == Decimal("18.5")
    assert statistics.median({3: 5, 9: 1}) == Decimal(3)
    assert str(statistics.median({3: 1, 9: 1})) == "6"
    assert statistics.median({}) is None


def test_ap16_working_days_in_a_range_match_the_calendar_service():
    days = workdays.working_days_in(date(2026, 12, 1), date(2026, 12, 31))
    assert date(2026, 12, 16) not in days and date(2026, 12, 12) not in days
    assert len(days) == workdays.working_days_between(date(2026, 11, 30), date(2026, 12, 31))
    assert workdays.working_days_in(date(2026, 12, 2), date(2026, 12, 1)) == []


def test_ap16_the_period_filters_by_registration_date_and_the_default_is_the_academic_year():
    school = make_school()
    journal(school)
    autumn = statistics.compute([school.institute], Period(date(2026, 11, 1), date(2026, 11, 30)), TODAY)
    assert autumn.total == 4
    assert statistics.default_period(TODAY) == YEAR
    AcademicYear.objects.create(start_year=2026, starts_on=date(2026, 9, 1), ends_on=date(2027, 6, 30))
    assert statistics.default_period(TODAY) == Period(date(2026, 9, 1), date(2027, 6, 30))
    assert statistics.default_period(date(2027, 8, 1)) == Period(date(2026, 9, 2), date(2027, 9, 1))


def test_ap16_an_empty_period_has_no_percentages_or_medians():
    school = make_school()
    stats = statistics.compute([school.institute], YEAR, TODAY)
    assert stats.total == 0
    assert (stats.timeliness.on_time_percent, stats.timeliness.median_days) == (None, None)


def test_ap16_statistics_are_computed_in_a_fixed_number_of_queries(django_assert_num_queries):
    school, other = make_school(), make_school()
    for _ in range(3):
        journal(school)
        journal(other)
    institutes = [school.institute, other.institute]
    with django_assert_num_queries(4):  # aggregate, per institute, date pairs, the working-day calendar
        stats = statistics.compute(institutes, YEAR, TODAY)
    assert stats.total == 30 and len(stats.by_institute) == 2
    assert [row.total for row in stats.by_institute] == [15, 15]
    assert stats.by_institute[0].on_time_percent == Decimal("66.7")
    assert stats.by_institute[0].open_overdue == 3


# The pages ------------------------------------------------------------------------------------------


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def client_for(user) -> Client:
    """Signed in, reading the pages in English (the assertions' language)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.login(username=user.id_code, password=PASSWORD)
    return client


def _leader(role: str = Role.RECTOR):
    return RoleAssignmentFactory.create(user=StaffProfileFactory.create().user, role=role).user


def test_ap16_the_dean_sees_the_figures_of_their_own_institute_as_charts_and_tables(today):
    school, other = make_school(), make_school()
    journal(school)
    journal(other)
    response = client_for(school.dean).get(reverse("appeals:statistics"))
    assert response.status_code == 200
    html = response.content.decode()
    stats = response.context["stats"]
    assert stats.institutes == [school.institute] and stats.total == 5 and stats.period == YEAR
    assert '<div class="fs-4 fw-semibold" id="figure-total">5</div>' in html
    assert "66.7%" in html or "66,7%" in html
    assert html.count("<svg") == 6  # timeliness and one chart per breakdown, drawn on the server
    assert "<script" not in html.split('id="statistics-filter"')[1].split("</main>")[0]
    assert 'id="by-institute"' not in html and 'name="institute"' not in html
    assert other.institute.name not in html


def test_ap16_the_rector_sees_every_institute_with_a_filter(today):
    school, other = make_school(), make_school()
    journal(school)
    journal(other)
    client = client_for(_leader())
    everything = client.get(reverse("appeals:statistics"))
    assert everything.context["stats"].total == 10
    assert 'id="by-institute"' in everything.content.decode()
    one = client.get(reverse("appeals:statistics"), {"institute": other.institute.pk})
    assert one.context["stats"].institutes == [other.institute] and one.context["stats"].total == 5
    for role in (Role.VICE_RECTOR_SOCIAL, Role.ADMINISTRATOR):
        assert client_for(_leader(role)).get(reverse("appeals:statistics")).context["stats"].total == 10


@pytest.mark.parametrize("who", ["student", "teacher", "student_dean"])
def test_ap16_others_get_403(today, who):
    school = make_school()
    journal(school)
    if who == "student_dean":
        user = StaffProfileFactory.create().user
        RoleAssignmentFactory.create(user=user, role=Role.STUDENT_DEAN, institute=school.institute)
    else:
        user = school.student.user if who == "student" else school.teacher
    client = client_for(user)
    assert client.get(reverse("appeals:statistics")).status_code == 403
    assert client.get(reverse("appeals:statistics_csv")).status_code == 403


def test_ap16_a_dean_asking_for_another_institute_gets_403(today):
    school, other = make_school(), make_school()
    client = client_for(school.dean)
    assert client.get(reverse("appeals:statistics"), {"institute": other.institute.pk}).status_code == 403
    assert client.get(reverse("appeals:statistics_csv"), {"institute": other.institute.pk}).status_code == 403


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2027-01-01", "end": "2026-09-01"}, "__all__"),
        ({"start": "01.13.2026", "end": "2027-01-01"}, "start"),
        ({"start": "", "end": "2027-01-01"}, "start"),
    ],
)
def test_ap16_a_bad_period_shows_a_clear_error_and_no_figures(today, params, field):
    school = make_school()
    response = client_for(school.dean).get(reverse("appeals:statistics"), params)
    assert response.status_code == 200 and response.context["stats"] is None
    errors = response.context["form"].errors[field]
    html = response.content.decode()
    assert 'id="statistics-errors"' in html and escape(str(errors[0])) in html and 'id="headline"' not in html
    if field == "__all__":
        assert errors == ["The period's first day is after its last day."]
    csv_response = client_for(school.dean).get(reverse("appeals:statistics_csv"), params)
    assert csv_response.status_code == 400


def test_ap16_the_csv_export_has_the_same_figures(today):
    school = make_school()
    journal(school)
    response = client_for(school.dean).get(
        reverse("appeals:statistics_csv"), {"start": "2026-09-02", "end": "2027-09-01"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "appeals-statistics-20260902-20270901.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Section", "Item", "Count", "Share, %"]
    figures = {(r[0], r[1]): r[2:] for r in rows[1:]}
    assert figures[("Total", "Applications registered")] == ["5", ""]
    assert figures[("By kind", "Complaint")] == ["2", "40.0"]
    assert figures[("By channel", "Paper, at the dean's office")] == ["1", "20.0"]
    assert figures[("By body considering it", "Not sent to a body yet")] == ["2", "40.0"]
    assert figures[("By outcome of the answered", "Refused")] == ["1", "33.3"]  # of the answered
    assert figures[("By kind", "Appeal to a higher official")] == ["0", "0.0"]
    assert figures[("Timeliness", "Answered on time")] == ["2", "66.7"]
    assert figures[("Timeliness", "Median days to answer")] == ["23", ""]
    assert figures[("Timeliness", "Median working days to answer")] == ["17", ""]
    assert figures[("Timeliness", "Open and overdue today")] == ["1", ""]
    assert figures[("Period", "Registered from")] == ["02.09.2026", ""]


def test_ap16_the_page_makes_a_fixed_number_of_queries_whatever_the_cases(today, django_assert_max_num_queries):
    school, other = make_school(), make_school()
    client = client_for(_leader())
    client.get(reverse("appeals:statistics"))  # warm the session
    for _ in range(10):
        journal(school)
        journal(other)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("appeals:statistics"))
    assert response.context["stats"].total == 100


def test_ap16_the_dean_and_leadership_boards_show_the_headline_with_a_link(today):
    school, other = make_school(), make_school()
    journal(school)
    journal(other)
    dean_board = client_for(school.dean).get(reverse("dashboard", args=["dean"])).content.decode()
    assert 'id="appeals-statistics-panel"' in dean_board and reverse("appeals:statistics") in dean_board
    assert '<div class="fs-5 fw-semibold" id="panel-total">5</div>' in dean_board
    assert 'id="panel-overdue">1</div>' in dean_board
    rector_board = client_for(_leader()).get(reverse("dashboard", args=["leadership"])).content.decode()
    assert '<div class="fs-5 fw-semibold" id="panel-total">10</div>' in rector_board
    assert "all institutes" in rector_board


def test_ap16_a_student_dean_has_no_statistics_panel(today):
    school = make_school()
    user = StaffProfileFactory.create().user
    RoleAssignmentFactory.create(user=user, role=Role.STUDENT_DEAN, institute=school.institute)
    response = client_for(user).get(reverse("dashboard", args=["dean"]))
    assert response.status_code == 200
    assert 'id="appeals-statistics-panel"' not in response.content.decode()


def test_ap16_the_boards_headline_is_one_query_over_the_deans_institutes_and_the_academic_year(
    django_assert_num_queries,
):
    school, other = make_school(), make_school()
    journal(school)
    journal(other)
    AcademicYear.objects.create(start_year=2026, starts_on=date(2026, 11, 20), ends_on=date(2027, 6, 30))
    statistics.user_roles(school.dean)  # the dashboard has read the roles already
    with django_assert_num_queries(1):
        figures = statistics.headline(school.dean, TODAY)
    assert figures is not None and not figures.everything
    assert figures.total == 1  # registered from 20 November: only the case of 1 December
    assert (figures.timeliness.open, figures.timeliness.open_overdue) == (1, 0)
    AcademicYear.objects.all().delete()
    everything = statistics.headline(_leader(Role.VICE_RECTOR_SOCIAL), TODAY)
    assert everything is not None and everything.everything and everything.total == 10
    assert everything.timeliness.on_time_percent == Decimal("66.7")
    assert statistics.headline(school.teacher, TODAY) is None
    wide = StaffProfileFactory.create().user
    RoleAssignmentFactory.create(user=wide, role=Role.DEAN)  # a university-wide dean's office
    assert statistics.headline(wide, TODAY).total == 10  # type: ignore[union-attr]
