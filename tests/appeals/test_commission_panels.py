"""Dashboard panels of the commission area: commissions, document requests (head), recommendations (the
person responsible on the teacher, head, dean and DESW boards), standing bodies."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from appeals import panels_commission as panels
from appeals.models import DocumentRequest
from appeals.services import commission
from portal.dashboards import Panel
from portal.models import Role
from tests.appeals.commission_support import (
    ORDER_DAY,
    Seat,
    client_for,
    decide,
    head_of,
    make_commissioners,
    referred,
    tmp_media,  # noqa: F401 (a fixture)
)
from tests.factories import RoleAssignmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tmp_media")]


def rows(panel: Panel | None) -> list[Any]:
    assert panel is not None
    return list(panel.context["rows"])  # type: ignore[call-overload]


def test_ap11_the_head_board_shows_open_requests_overdue_highlighted(django_assert_max_num_queries):
    c = make_commissioners()
    case = referred(c)
    head = head_of(c.department)
    assert panels.document_requests(head) is None
    today = timezone.localdate()
    for i in range(15):
        DocumentRequest.objects.create(
            application=case,
            department=c.department,
            what=f"Құжат {i}",
            due_on=today + timedelta(days=i - 5),
            requested_by=c.school.dean,
        )
    with django_assert_max_num_queries(2):
        panel = panels.document_requests(head)
    assert panel is not None and panel.context["more"] is True
    assert [overdue for _r, overdue in rows(panel)] == [True] * 5 + [False] * 5
    page = client_for(head).get("/dashboard/head/")
    body = page.content.decode()
    assert 'id="document-requests-panel"' in body and body.count("list-group-item-danger") == 5


def test_ap13_the_responsible_sees_open_recommendations_on_each_board(django_assert_max_num_queries):
    c = make_commissioners()
    case = referred(c)
    rec = commission.add_recommendation(
        c.school.dean, case, "Хабарлау", c.school.teacher, date(2026, 11, 20), ORDER_DAY
    )
    assert panels.recommendations(c.school.teacher) is None
    decide(c, case)
    with django_assert_max_num_queries(1):
        panel = panels.recommendations(c.school.teacher)
    assert rows(panel) == [(rec, True)]
    body = client_for(c.school.teacher).get("/dashboard/teacher/").content.decode()
    assert 'id="recommendations-panel"' in body and "list-group-item-danger" in body
    for role, board in [
        (Role.HEAD_OF_DEPARTMENT, "head"),
        (Role.DEAN, "dean"),
        (Role.DESW_DIRECTOR, "desw"),
    ]:
        RoleAssignmentFactory.create(user=c.school.teacher, role=role)
        page = client_for(c.school.teacher).get(f"/dashboard/{board}/")
        assert 'id="recommendations-panel"' in page.content.decode(), board
    commission.complete_recommendation(c.school.teacher, rec, "Орындалды")
    assert panels.recommendations(c.school.teacher) is None


def test_ap10_members_and_the_dean_see_the_commissions_in_progress(django_assert_max_num_queries):
    c = make_commissioners()
    cases = [referred(c) for _ in range(4)]
    RoleAssignmentFactory.create(user=c.people[Seat.LAWYER], role=Role.TEACHER)
    with django_assert_max_num_queries(3):
        panel = panels.commissions(c.people[Seat.LAWYER])
    assert [row[0] for row in rows(panel)] == cases
    assert rows(panel)[0][1] == "Lawyer"
    body = client_for(c.people[Seat.LAWYER]).get("/dashboard/teacher/").content.decode()
    assert 'id="appeal-commissions-panel"' in body and f"/appeals/{cases[0].pk}/commission/" in body
    assert len(rows(panels.commissions(c.school.dean))) == 4
    assert panels.commissions(c.people[Seat.INVITED]) is None
    assert panels.commissions(make_commissioners().school.dean) is None


def test_ap09_the_dean_and_the_rector_find_the_standing_bodies():
    c = make_commissioners()
    assert panels.standing_bodies(c.school.dean) is not None
    assert panels.standing_bodies(c.school.teacher) is None
    rector = RoleAssignmentFactory.create(role=Role.RECTOR).user
    body = client_for(rector).get("/dashboard/leadership/").content.decode()
    assert 'id="standing-bodies-panel"' in body


def test_the_dean_board_with_every_panel_costs_the_same_for_more_rows(django_assert_max_num_queries):
    """Commissions, recommendations and bodies panels together: the same queries for 1 or 5 cases."""
    c = make_commissioners()
    client = client_for(c.school.dean)

    def decided_case_with_a_recommendation_for_the_dean():
        case = referred(c)
        commission.add_recommendation(c.school.dean, case, "Бақылау", c.school.dean, date(2026, 12, 1), ORDER_DAY)
        decide(c, case)
        referred(c)  # and one still sitting

    decided_case_with_a_recommendation_for_the_dean()
    client.get("/dashboard/dean/")
    with django_assert_max_num_queries(60) as few:
        first = client.get("/dashboard/dean/")
    assert 'id="recommendations-panel"' in first.content.decode()
    for _ in range(4):
        decided_case_with_a_recommendation_for_the_dean()
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/dashboard/dean/")
    body = page.content.decode()
    assert body.count("/appeals/commission/recommendations/") >= 5
    assert 'id="appeal-commissions-panel"' in body and 'id="standing-bodies-panel"' in body
