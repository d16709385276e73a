"""manage.py seed_academics: the demo the README's teacher and student logins see."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from academics.models import GradeRecord, Offering
from portal.demo import demo_accounts

pytestmark = pytest.mark.django_db


def test_seed_academics_gives_the_demo_teacher_a_gradebook_and_students_transcripts():
    with pytest.raises(CommandError):
        call_command("seed_academics", verbosity=0)  # needs seed_demo first
    call_command("seed_demo", verbosity=0)
    call_command("seed_academics", verbosity=0)
    accounts = {a.dashboard: a.user for a in demo_accounts()}
    teacher = Client()
    teacher.force_login(accounts["teacher"])
    offering = Offering.objects.filter(teachers=accounts["teacher"], statement__isnull=True).first()
    assert offering is not None
    assert f"/academics/offerings/{offering.pk}/gradebook/" in teacher.get("/dashboard/teacher/").content.decode()
    assert teacher.get(f"/academics/offerings/{offering.pk}/gradebook/").status_code == 200
    assert GradeRecord.objects.filter(signed_at__isnull=False).exists()
    assert (
        Offering.objects.filter(statement__isnull=False).count()
        == Offering.objects.filter(enrolments__grade__signed_at__isnull=False).distinct().count()
    )
    call_command("seed_academics", if_empty=True, verbosity=0)
