"""Kazakh alphabetical order for people lists (the alphabet of EL-13), in Python and in the database."""

import pytest
from django.test import Client

from portal.models import Role, User
from portal.text import kazakh_order, kazakh_sort_key
from tests.factories import RoleAssignmentFactory, StudyGroupFactory, UserFactory, make_student

SURNAMES = ["Ілиясов", "Ұзақов", "Қасымов", "Әбілов", "Абаев", "Кузнецов", "Иванов", "Smith", "Бекмұхамбетов"]
KAZAKH_ORDER = ["Абаев", "Әбілов", "Бекмұхамбетов", "Иванов", "Кузнецов", "Қасымов", "Ұзақов", "Ілиясов", "Smith"]


def test_kazakh_sort_key_follows_the_kazakh_alphabet_not_code_points():
    assert sorted(SURNAMES, key=kazakh_sort_key) == KAZAKH_ORDER
    assert sorted(SURNAMES) != KAZAKH_ORDER  # code-point order would be wrong


def test_kazakh_sort_key_ignores_case_and_puts_shorter_names_first():
    assert sorted(["қасымов", "Қ", "Қасым"], key=kazakh_sort_key) == ["Қ", "Қасым", "қасымов"]


@pytest.mark.django_db
def test_database_orders_in_kazakh_on_this_backend():
    for i, name in enumerate(SURNAMES):
        UserFactory.create(last_name=name, id_code=f"K{i}")
    ordered = list(User.objects.order_by(*kazakh_order("last_name")).values_list("last_name", flat=True))
    assert ordered == KAZAKH_ORDER


@pytest.mark.django_db
def test_group_page_lists_students_in_kazakh_order():
    group = StudyGroupFactory.create()
    for i, name in enumerate(SURNAMES):
        make_student(group=group, user=UserFactory.create(last_name=name, id_code=f"S{i}"))
    advisor = UserFactory.create()
    RoleAssignmentFactory.create(user=advisor, role=Role.ADVISOR, group=group)
    client = Client()
    client.force_login(advisor)
    body = client.get(f"/groups/{group.pk}/").content.decode()
    body = body[body.index("<tbody>") :]  # the table, not the navigation bar's own name
    positions = [body.index(name) for name in KAZAKH_ORDER]
    assert positions == sorted(positions)
