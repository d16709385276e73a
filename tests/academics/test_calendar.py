"""AC-01 the academic calendar's defaults; AC-02 credits."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from academics.errors import AcademicsError
from academics.models import Discipline
from academics.rules import contact_hours, default_calendar
from academics.services.calendar import create_academic_year
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
