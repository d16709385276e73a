"""Every navigation link works, and page query counts do not grow with the data."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.models import Role
from tests.factories import RoleAssignmentFactory, StudyGroupFactory, UserFactory, make_student

pytestmark = pytest.mark.django_db


def test_every_navigation_link_of_a_student_answers(student_client):
    body = student_client.get("/dashboard/student/").content.decode()
    for url in ["/", "/notifications/", "/profile/", "/accounts/password/change/"]:
        assert f'href="{url}"' in body
        response = student_client.get(url, follow=True)
        assert response.status_code == 200, url


def test_admin_dashboard_links_answer():
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    RoleAssignmentFactory.create(user=admin, role=Role.ADMINISTRATOR)
    client = Client()
    client.force_login(admin)
    body = client.get("/dashboard/admin/").content.decode()
    for url in ["/admin/portal/user/", "/admin/portal/institute/", "/admin/portal/workdayoverride/", "/healthz"]:
        assert url in body
        assert client.get(url).status_code == 200, url


def test_student_dashboard_shows_the_record(student_client, student):
    body = student_client.get("/dashboard/student/").content.decode()
    assert student.group.name in body
    assert "Мемлекеттік грант" in body


def test_dean_dashboard_queries_do_not_grow_with_groups():
    """The dean's board: the same number of queries for 1 group as for 31, within a fixed budget (each
    app's panel costs one or two queries, whatever the data)."""
    group = StudyGroupFactory.create()
    institute = group.programme.department.institute
    dean = UserFactory.create()
    RoleAssignmentFactory.create(user=dean, role=Role.DEAN, institute=institute)
    client = Client()
    client.force_login(dean)
    client.get("/dashboard/dean/")
    with CaptureQueriesContext(connection) as few:
        client.get("/dashboard/dean/")
    for _ in range(30):
        make_student(group=StudyGroupFactory.create(programme=group.programme))
    with CaptureQueriesContext(connection) as many:
        response = client.get("/dashboard/dean/")
    assert response.status_code == 200
    assert response.content.decode().count("/groups/") == 31
    assert len(many) == len(few) <= 30


def test_group_page_queries_do_not_grow_with_students(django_assert_max_num_queries):
    group = StudyGroupFactory.create()
    for _ in range(60):
        make_student(group=group)
    advisor = UserFactory.create()
    RoleAssignmentFactory.create(user=advisor, role=Role.ADVISOR, group=group)
    client = Client()
    client.force_login(advisor)
    with django_assert_max_num_queries(15):
        response = client.get(f"/groups/{group.pk}/")
    assert response.status_code == 200
    assert "Бет 1 / 2" in response.content.decode()
