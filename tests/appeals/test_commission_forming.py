"""AP-10: referring a case to an expanded commission formed by the dean's order (and AP-21 for its members)."""

import pytest
from django.core.exceptions import PermissionDenied

from appeals.errors import AppealError
from appeals.models import Body, Commission, CommissionSeat, Event, Status
from appeals.permissions import visible_applications
from appeals.services import commission
from portal.models import Notification
from tests.appeals.commission_support import (
    ORDER_DAY,
    Seat,
    make_commissioners,
    referred,
    staff,
    tmp_media,  # noqa: F401 (a fixture)
)
from tests.appeals.factories import file_case
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tmp_media")]


def test_ap10_required_seats_for_a_student_and_for_a_staff_member():
    """AP-10: students' cases need the youth policy office and the student dean's office, staff cases the
    ethics council and the staff union; every case the programme committee, the quality commission and a lawyer."""
    assert commission.required_roles("student") == (
        Seat.YOUTH_POLICY,
        Seat.STUDENT_DEAN,
        Seat.PROGRAMME_COMMITTEE,
        Seat.QUALITY_COMMISSION,
        Seat.LAWYER,
    )
    assert commission.required_roles("staff") == (
        Seat.ETHICS_COUNCIL,
        Seat.STAFF_UNION,
        Seat.PROGRAMME_COMMITTEE,
        Seat.QUALITY_COMMISSION,
        Seat.LAWYER,
    )
    assert commission.missing_roles("student", [Seat.LAWYER, Seat.INVITED, Seat.YOUTH_POLICY]) == [
        Seat.STUDENT_DEAN,
        Seat.PROGRAMME_COMMITTEE,
        Seat.QUALITY_COMMISSION,
    ]


def test_ap10_the_dean_forms_the_commission_by_order_and_chairs_it():
    c = make_commissioners()
    case = referred(c)
    assert (case.status, case.body) == (Status.COMMISSION, Body.EXPANDED_COMMISSION)
    formed = Commission.objects.get(application=case)
    assert (formed.order_number, formed.order_date, formed.formed_by) == ("15-к", ORDER_DAY, c.school.dean)
    seats = dict(CommissionSeat.objects.filter(commission=formed).values_list("role", "user_id"))
    assert seats[Seat.CHAIR] == c.school.dean.pk
    assert set(seats) == {Seat.CHAIR, *commission.required_roles("student")}
    events = list(case.events.filter(type=Event.Type.COMMISSION).values_list("public", "note"))
    assert events[0] == (True, "Dean's order No. 15-к of 18.11.2026")
    assert events[1][0] is False and "Заңгерова" in events[1][1]
    assert case.history.filter(status=Status.COMMISSION, history_user=c.school.dean).exists()
    assert formed.history.get().history_user == c.school.dean


def test_ap10_members_and_the_applicant_are_told():
    c = make_commissioners()
    case = referred(c)
    for role in commission.required_roles("student"):
        told = Notification.objects.get(recipient=c.people[role])
        assert case.number in told.subject and told.url == f"/appeals/{case.pk}/commission/"
    assert Notification.objects.filter(
        recipient=c.school.student.user, subject__contains="expanded commission"
    ).exists()


def test_ap10_a_staff_members_complaint_needs_the_ethics_council_and_the_union():
    c = make_commissioners()
    case = file_case(c.school.teacher)
    with pytest.raises(AppealError, match="Ethics council, Staff union"):
        commission.form_commission(
            c.school.dean, case, order_number="16", order_date=ORDER_DAY, seats=c.student_seats(), today=ORDER_DAY
        )
    case = referred(c, applicant=c.school.teacher)
    assert case.status == Status.COMMISSION


def test_ap10_forming_without_required_members_names_the_missing_roles_and_changes_nothing():
    c = make_commissioners()
    case = file_case(c.school.student.user)
    seats = c.seats(Seat.YOUTH_POLICY, Seat.PROGRAMME_COMMITTEE, Seat.INVITED)
    with pytest.raises(AppealError) as error:
        commission.form_commission(c.school.dean, case, order_number="17", order_date=ORDER_DAY, seats=seats)
    assert str(error.value) == (
        "The commission must include: Student dean's office, Quality assurance commission, Lawyer."
    )
    case.refresh_from_db()
    assert case.status == Status.REGISTERED and not Commission.objects.exists()
    assert not case.events.filter(type=Event.Type.COMMISSION).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"order_number": "  "}, "number of the dean's order"),
        ({"order_date": ORDER_DAY.replace(day=30)}, "cannot be in the future"),
        ({"order_date": ORDER_DAY.replace(day=10)}, "before the application was registered"),
    ],
)
def test_ap10_the_order_must_have_a_number_and_a_possible_date(change, message):
    c = make_commissioners()
    case = file_case(c.school.student.user)
    values = {"order_number": "18", "order_date": ORDER_DAY, "seats": c.student_seats(), "today": ORDER_DAY, **change}
    with pytest.raises(AppealError, match=message):
        commission.form_commission(c.school.dean, case, **values)
    assert not Commission.objects.exists()


def test_ap10_a_seat_for_a_body_goes_to_its_member_and_an_office_seat_to_its_staff():
    c = make_commissioners()
    case = file_case(c.school.student.user)
    outsider = staff(c.department, "Бөгдеев")
    for role, message in [
        (Seat.PROGRAMME_COMMITTEE, "not a member of the Education programme committee"),
        (Seat.YOUTH_POLICY, "does not work in the Youth policy office"),
    ]:
        seats = [(r, outsider if r == role else u) for r, u in c.student_seats()]
        with pytest.raises(AppealError, match=message):
            commission.form_commission(c.school.dean, case, order_number="19", order_date=ORDER_DAY, seats=seats)
    assert not Commission.objects.exists()


def test_ap10_the_applicant_the_dean_and_a_double_seat_are_refused():
    c = make_commissioners()
    case = file_case(c.school.student.user)
    for extra, message in [
        ((Seat.INVITED, c.school.student.user), "is an applicant"),
        ((Seat.INVITED, c.school.dean), "The dean chairs the commission"),
        ((Seat.INVITED, c.people[Seat.LAWYER]), "named twice"),
        ((Seat.CHAIR, c.people[Seat.INVITED]), "Choose the role"),
    ]:
        with pytest.raises(AppealError, match=message):
            commission.form_commission(
                c.school.dean, case, order_number="20", order_date=ORDER_DAY, seats=[*c.student_seats(), extra]
            )
    assert not Commission.objects.exists()


def test_ap10_only_the_dean_of_the_institute_forms_it():
    c = make_commissioners()
    other = make_commissioners()
    case = file_case(c.school.student.user)
    with pytest.raises(PermissionDenied):
        commission.form_commission(
            other.school.dean, case, order_number="1", order_date=ORDER_DAY, seats=c.student_seats()
        )
    assert not Commission.objects.exists()


def test_ap10_a_case_already_answered_or_referred_cannot_be_referred():
    c = make_commissioners()
    case = referred(c)
    with pytest.raises(AppealError, match="not possible now"):
        commission.form_commission(
            c.school.dean, case, order_number="2", order_date=ORDER_DAY, seats=c.student_seats(), today=ORDER_DAY
        )
    assert Commission.objects.count() == 1


def test_ap10_the_chair_invites_a_member_and_takes_off_one_not_required():
    c = make_commissioners()
    case = referred(c)
    seat = commission.invite_member(c.school.dean, case, Seat.INVITED, c.people[Seat.INVITED])
    assert seat.role == Seat.INVITED
    assert case.events.filter(note__startswith="Seated: Invited").exists()
    assert Notification.objects.filter(recipient=c.people[Seat.INVITED], url__contains="/commission/").exists()
    with pytest.raises(AppealError, match="already sits"):
        commission.invite_member(c.school.dean, case, Seat.LAWYER, c.people[Seat.INVITED])
    lawyer = CommissionSeat.objects.get(commission__application=case, role=Seat.LAWYER)
    with pytest.raises(AppealError, match="must include: Lawyer"):
        commission.unseat_member(c.school.dean, lawyer)
    commission.unseat_member(c.school.dean, seat)
    assert not CommissionSeat.objects.filter(pk=seat.pk).exists()
    with pytest.raises(PermissionDenied):
        commission.invite_member(c.people[Seat.LAWYER], case, Seat.INVITED, UserFactory.create())


def test_ap21_commission_members_see_the_case_and_others_do_not():
    """AP-21: the members of the expanded commission see the case; a standing body's member no longer does."""
    c = make_commissioners()
    case = referred(c)
    assert case in visible_applications(c.people[Seat.LAWYER])
    assert case not in visible_applications(c.people[Seat.INVITED])
    assert commission.can_see_commission(c.people[Seat.LAWYER], case)
    assert commission.can_see_commission(c.school.dean, case)
    assert not commission.can_see_commission(c.school.student.user, case)
    assert not commission.can_see_commission(c.people[Seat.INVITED], case)
