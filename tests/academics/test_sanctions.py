"""AC-21: the dean's office register of disciplinary sanctions with validity periods."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from academics.models import Sanction
from academics.services.standing import standing
from portal.models import Role
from tests.factories import RoleAssignmentFactory, UserFactory, make_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def dean_and_student():
    student = make_student()
    dean = UserFactory.create()
    RoleAssignmentFactory.create(user=dean, role=Role.DEAN, institute=student.group.programme.department.institute)
    client = Client()
    client.force_login(dean)
    return dean, student, client


def _form(profile, **override):
    today = timezone.localdate()
    data = {
        "student": profile.user.id_code,
        "kind": "reprimand",
        "reason": "Missed classes without reason",
        "decision_reference": "DC-3, 01.11.2026",
        "imposed_on": today.isoformat(),
        "valid_until": (today + timedelta(days=365)).isoformat(),
    }
    return data | override


def test_ac21_dean_records_a_sanction_valid_for_its_period_and_standing_reads_it(dean_and_student):
    dean, student, client = dean_and_student
    response = client.post("/academics/sanctions/", _form(student), follow=True)
    sanction = Sanction.objects.get()
    assert sanction.history.first().history_user == dean
    assert student.user.id_code in response.content.decode()
    assert len(standing(student).sanctions) == 1
    today = timezone.localdate()
    assert Sanction.objects.valid_on(today + timedelta(days=365)).exists()
    assert not Sanction.objects.valid_on(today + timedelta(days=366)).exists()


def test_ac21_lifting_early_ends_validity_and_keeps_the_record(dean_and_student):
    _dean, student, client = dean_and_student
    client.post("/academics/sanctions/", _form(student))
    sanction = Sanction.objects.get()
    today = timezone.localdate()
    client.post(f"/academics/sanctions/{sanction.pk}/lift/", {"lifted_on": today.isoformat()})
    sanction.refresh_from_db()
    assert sanction.lifted_on == today and standing(student).sanctions == ()
    again = client.post(f"/academics/sanctions/{sanction.pk}/lift/", {"lifted_on": today.isoformat()}, follow=True)
    assert "Бұл жаза бұрын алынған." in again.content.decode()
    all_rows = client.get("/academics/sanctions/?state=all").content.decode()
    assert student.user.id_code in all_rows


def test_bad_sanction_input_is_refused_and_nothing_is_recorded(dean_and_student):
    _dean, student, client = dean_and_student
    today = timezone.localdate()
    backwards = _form(student, valid_until=(today - timedelta(days=1)).isoformat())
    body = client.post("/academics/sanctions/", backwards, follow=True).content.decode()
    assert "Жаза тағайындалғанға дейін аяқтала алмайды." in body
    unknown = client.post("/academics/sanctions/", _form(student, student="999999999")).content.decode()
    assert "Бұл ID коды бар студент жоқ." in unknown
    assert client.post("/academics/sanctions/", _form(student, decision_reference="")).status_code == 200
    assert not Sanction.objects.exists()


def test_sanctions_outside_scope_are_403_and_invisible(dean_and_student):
    _dean, student, client = dean_and_student
    other = make_student()  # another institute
    assert client.post("/academics/sanctions/", _form(other)).status_code == 403
    teacher = UserFactory.create()
    RoleAssignmentFactory.create(user=teacher, role=Role.TEACHER)
    outsider = Client()
    outsider.force_login(teacher)
    assert outsider.get("/academics/sanctions/").status_code == 403
    assert outsider.post("/academics/sanctions/", _form(student)).status_code == 403
    Sanction.objects.create(
        student=other,
        kind="remark",
        reason="x",
        decision_reference="y",
        imposed_on=date(2026, 1, 1),
        valid_until=date(2099, 1, 1),
    )
    sanction = Sanction.objects.get()
    assert client.post(f"/academics/sanctions/{sanction.pk}/lift/", {"lifted_on": "2026-06-01"}).status_code == 403
    assert other.user.id_code not in client.get("/academics/sanctions/?state=all").content.decode()


def test_sanctions_register_query_count_is_fixed(dean_and_student, django_assert_max_num_queries):
    _dean, student, client = dean_and_student
    for _ in range(20):
        s = make_student(group=student.group)
        Sanction.objects.create(
            student=s,
            kind="remark",
            reason="x",
            decision_reference="y",
            imposed_on=date(2026, 1, 1),
            valid_until=date(2099, 1, 1),
        )
    with django_assert_max_num_queries(15):
        body = client.get("/academics/sanctions/").content.decode()
    assert body.count("<tr>") >= 21
