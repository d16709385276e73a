"""AC-01 the academic calendar's defaults; AC-02 credits."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from academics.errors import AcademicsError
from academics.models import Discipline
from academics.rules import contact_hours, default_calendar
from academics.services.calendar import create_academic_year, save_calendar
from portal.models import Role
from tests.factories import RoleAssignmentFactory, UserFactory


def test_ac01_default_calendar_2026():
    """AC-01: starts 2 September; two 15-week semesters with sessions; a 6-week summer semester."""
    autumn, spring, summer = default_calendar(2026)
    assert autumn.starts_on == date(2026, 9, 2)
    assert (autumn.ends_on - autumn.starts_on).days + 1 == 15 * 7
    assert autumn.exams_start == date(2026, 12, 16)
    assert (spring.ends_on - spring.starts_on).days + 1 == 15 * 7
    assert spring.starts_on.weekday() == 0 and spring.starts_on > autumn.exams_end
    assert (summer.ends_on - summer.starts_on).days + 1 == 6 * 7
    assert summer.exams_end < date(2027, 9, 2)


def test_ac02_credits_default_to_5_and_mean_15_contact_hours_each():
    """AC-02: a discipline is usually 5 credits; one credit = one contact hour a week for 15 weeks."""
    assert Discipline._meta.get_field("credits").default == 5
    assert contact_hours(5) == 75


@pytest.mark.django_db
def test_ac01_registrar_creates_a_year_with_its_terms_once():
    registrar = UserFactory.create()
    RoleAssignmentFactory.create(user=registrar, role=Role.REGISTRAR)
    year = create_academic_year(registrar, 2026)
    assert [t.kind for t in year.terms.order_by("starts_on")] == ["autumn", "spring", "summer"]
    assert year.policy().transfer_thresholds[4] == Decimal("2.20")
    assert year.history.first().history_user == registrar
    with pytest.raises(AcademicsError):
        create_academic_year(registrar, 2026)
    with pytest.raises(PermissionDenied):
        create_academic_year(UserFactory.create(), 2027)


def test_ac01_default_entry_windows_follow_the_midterm_weeks():
    """AC-01: R1 in week 7 (or 8 when the year says so), R2 in week 15; each window is that week and the next."""
    autumn, _spring, summer = default_calendar(2026)
    assert autumn.windows.r1_opens == date(2026, 10, 14)  # week 7 starts 6 weeks after 2 September
    assert autumn.windows.r1_closes == date(2026, 10, 27)
    assert autumn.windows.r2_opens == date(2026, 12, 9)
    assert autumn.windows.exam_opens == autumn.exams_start and autumn.windows.exam_closes == autumn.exams_end
    assert autumn.windows.fx_opens == autumn.exams_end + timedelta(days=1)
    week8, *_ = default_calendar(2026, midterm_weeks=(8, 15))
    assert week8.windows.r1_opens == date(2026, 10, 21)
    assert summer.windows.r2_opens == summer.starts_on + timedelta(weeks=5)


@pytest.mark.django_db
def test_ac12_a_year_stores_its_own_parameters_with_the_handbook_defaults(registrar):
    """AC-12 and issue 3 item 1: thresholds, admission minimums, scholarship letter, tuition dates, penalty."""
    year = create_academic_year(registrar, 2026)
    policy = year.policy()
    assert policy.transfer_thresholds == {2: Decimal("1.67"), 3: Decimal("2.00"), 4: Decimal("2.20")}
    assert policy.transfer_basis == "year"
    assert policy.midterm_weeks == (7, 15)
    assert (policy.midterm_minimum, policy.attendance_minimum) == (Decimal(50), Decimal(80))
    assert policy.scholarship_minimum_letter == "C+"
    assert policy.penalty_rate_per_day == Decimal("0.001")
    assert year.tuition_schedule() == [
        (date(2026, 8, 25), Decimal("0.50")),
        (date(2026, 11, 30), Decimal("0.25")),
        (date(2027, 3, 31), Decimal("0.25")),
    ]
    autumn = year.terms.get(kind="autumn")
    assert (autumn.r1_entry_opens, autumn.r2_entry_opens) == (date(2026, 10, 14), date(2026, 12, 9))


@pytest.fixture
def registrar():
    user = UserFactory.create()
    RoleAssignmentFactory.create(user=user, role=Role.REGISTRAR)
    return user


@pytest.mark.django_db
def test_ac12_changing_a_rule_parameter_gives_the_year_a_new_rules_version(registrar):
    """AC-12/AC-23: a revised threshold is a new rules version, audited; a date change alone is not."""
    year = create_academic_year(registrar, 2026)
    autumn = year.terms.get(kind="autumn")
    assert not save_calendar(registrar, year, {}, {autumn.pk: {"r1_entry_closes": date(2026, 10, 30)}})
    year.refresh_from_db()
    assert year.policy_version == "handbook"
    assert save_calendar(registrar, year, {"transfer_to_year_2": Decimal("1.80")}, {})
    year.refresh_from_db()
    assert year.policy_version == "2026-2027 r2"
    assert year.policy().transfer_thresholds[2] == Decimal("1.80")
    assert year.history.first().history_user == registrar
    assert save_calendar(registrar, year, {"midterm_minimum": Decimal(55)}, {})
    year.refresh_from_db()
    assert year.policy_version == "2026-2027 r3"


@pytest.mark.django_db
def test_ac01_bad_calendar_changes_nothing(registrar):
    year = create_academic_year(registrar, 2026)
    autumn = year.terms.get(kind="autumn")
    with pytest.raises(AcademicsError, match="қосындысы 1"):
        save_calendar(registrar, year, {"tranche_1_share": Decimal("0.60")}, {})
    with pytest.raises(AcademicsError, match="басталмай тұрып аяқталады"):
        save_calendar(registrar, year, {}, {autumn.pk: {"r1_entry_closes": date(2026, 10, 1)}})
    with pytest.raises(PermissionDenied):
        save_calendar(UserFactory.create(), year, {"transfer_to_year_2": Decimal("1.00")}, {})
    year.refresh_from_db()
    autumn.refresh_from_db()
    assert year.tranche_1_share == Decimal("0.50") and year.transfer_to_year_2 == Decimal("1.67")
    assert autumn.r1_entry_closes == date(2026, 10, 27) and year.policy_version == "handbook"
