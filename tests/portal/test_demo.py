"""manage.py seed_demo: the demo university, deterministic, every role held."""

import pytest
from django.core.management import CommandError, call_command

from portal.demo import demo_accounts
from portal.models import Department, Institute, Role, RoleAssignment, StaffProfile, StudentProfile, StudyGroup, User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_described_university():
    call_command("seed_demo", verbosity=0)
    assert Institute.objects.count() == 3
    assert Department.objects.count() == 6
    assert StudyGroup.objects.count() == 20
    assert StudyGroup.history.filter(history_type="+").count() == 20  # PT-08: audited from creation
    assert StudentProfile.objects.count() == 600
    assert StaffProfile.objects.count() == 60
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    # Kazakh and Russian names (Kazakh letters and Russian patronymics are both present).
    names = " ".join(User.objects.values_list("patronymic", flat=True))
    assert "ұлы" in names and "қызы" in names and "вич" in names and "вна" in names
    # Years of study match the groups' admission years.
    for p in StudentProfile.objects.select_related("group")[:50]:
        assert 1 <= p.year_of_study <= 4


def test_seed_demo_is_deterministic():
    call_command("seed_demo", verbosity=0)
    first = list(User.objects.order_by("id_code").values_list("id_code", "last_name", "first_name")[:100])
    StudentProfile.objects.all().delete()
    RoleAssignment.objects.all().delete()
    StaffProfile.objects.all().delete()
    User.objects.all().delete()
    StudyGroup.objects.all().delete()
    from portal.models import Programme, University

    Programme.objects.all().delete()
    Department.objects.all().delete()
    Institute.objects.all().delete()
    University.objects.all().delete()
    call_command("seed_demo", verbosity=0)
    assert list(User.objects.order_by("id_code").values_list("id_code", "last_name", "first_name")[:100]) == first


def test_seed_demo_scales_with_students_option():
    call_command("seed_demo", students=2500, verbosity=0)
    assert StudentProfile.objects.count() == 2500
    assert StudyGroup.objects.count() == 20


def test_seed_demo_refuses_a_second_run_and_if_empty_skips():
    call_command("seed_demo", verbosity=0)
    with pytest.raises(CommandError):
        call_command("seed_demo", verbosity=0)
    call_command("seed_demo", if_empty=True, verbosity=0)
    assert StudentProfile.objects.count() == 600


def test_every_dashboard_has_a_demo_login_that_lands_there():
    """PT-01: the README's demo logins reach each role's dashboard."""
    from django.test import Client

    call_command("seed_demo", verbosity=0)
    accounts = demo_accounts()
    assert {a.dashboard for a in accounts} == {
        "admin",
        "leadership",
        "dean",
        "head",
        "registrar",
        "desw",
        "commission",
        "advisor",
        "teacher",
        "sg",
        "group_head",
        "student",
    }
    for acc in accounts:
        client = Client()
        client.force_login(acc.user)
        response = client.get(f"/dashboard/{acc.dashboard}/")
        assert response.status_code == 200, acc.dashboard


def test_readme_demo_logins_match_the_seeded_accounts():
    """The README's table of demo logins is what seed_demo really creates."""
    import re
    from pathlib import Path

    from django.conf import settings

    call_command("seed_demo", verbosity=0)
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    listed = set(re.findall(r"^\| [^|]+ \| (\w+) \| (\S+@demo\.edu\.kz) \|", readme, flags=re.MULTILINE))
    seeded = {(a.user.id_code, a.user.email) for a in demo_accounts()}
    assert listed == seeded
