"""AC-15 the paid summer semester: applications 10 days ahead, payment, a course opens with 8 paid."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone, translation

from academics import rules
from academics.errors import AcademicsError
from academics.models import Enrolment, Offering, SummerApplication, Term
from academics.services.summer import (
    apply_for_summer_course,
    close_unopened_summer_course,
    open_summer_course,
    record_summer_payment,
    summer_courses,
)
from portal.models import Notification, Role
from tests.academics.factories import DisciplineFactory, OfferingFactory, TermFactory, make_staff, summer_term
from tests.factories import make_student

pytestmark = pytest.mark.django_db
Status = SummerApplication.Status


@pytest.fixture(autouse=True)
def _in_english():
    """Messages are checked in English (pages by the language cookie); no language leaks to other tests."""
    with translation.override("en"):
        yield
    translation.activate(settings.LANGUAGE_CODE)


def _client(user, language="en"):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def registrar():
    return make_staff(Role.REGISTRAR)


@pytest.fixture
def term():
    """A summer term a month away: applications are open."""
    return summer_term(timezone.localdate() + timedelta(days=30))


def _applicants(term, discipline, count, paid, registrar):
    applications = [apply_for_summer_course(make_student().user, term, discipline) for _ in range(count)]
    for application in applications[:paid]:
        record_summer_payment(registrar, application)
    return applications


def test_ac15_rule_application_at_least_10_days_before():
    """AC-15: 10 days before the start is in time, 9 days is late."""
    starts = date(2027, 6, 21)
    assert rules.summer_application_in_time(date(2027, 6, 11), starts)
    assert not rules.summer_application_in_time(date(2027, 6, 12), starts)
    assert not rules.summer_course_opens(7) and rules.summer_course_opens(8)


def test_ac15_day_10_before_is_accepted_day_9_is_refused_and_changes_nothing():
    """AC-15: the student's application on day 10 before the summer term is registered; on day 9 refused."""
    term = summer_term(date(2027, 6, 21))
    discipline = DisciplineFactory.create()
    late, on_time = make_student(), make_student()
    with pytest.raises(AcademicsError, match="close 10 days before it starts"):
        apply_for_summer_course(late.user, term, discipline, today=date(2027, 6, 12))
    assert not SummerApplication.objects.filter(student=late).exists()
    application = apply_for_summer_course(on_time.user, term, discipline, today=date(2027, 6, 11))
    assert (application.applied_on, application.status, application.is_paid) == (date(2027, 6, 11), "applied", False)
    assert application.history.get().history_user == on_time.user


def test_ac15_student_applies_on_their_page(term):
    """AC-15: the page registers the application once; a second one for the same course is refused."""
    student = make_student()
    discipline = DisciplineFactory.create()
    client = _client(student.user)
    page = client.get("/academics/summer/")
    assert (
        page.status_code == 200 and (term.starts_on - timedelta(days=10)).strftime("%d.%m.%Y") in page.content.decode()
    )
    response = client.post("/academics/summer/", {"discipline": discipline.pk}, follow=True)
    assert "Your application for" in response.content.decode()
    again = client.post("/academics/summer/", {"discipline": discipline.pk}, follow=True)
    assert "already applied" in again.content.decode()
    assert SummerApplication.objects.filter(student=student, term=term, discipline=discipline).count() == 1
    assert client.post("/academics/summer/", {"discipline": "nonsense"}).status_code == 200
    assert SummerApplication.objects.count() == 1


def test_ac15_page_refuses_an_application_9_days_before():
    """AC-15: 9 days before the start, the page shows why and registers nothing."""
    summer_term(timezone.localdate() + timedelta(days=9))
    client = _client(make_student().user)
    body = client.get("/academics/summer/").content.decode()
    assert "Applications closed on" in body
    response = client.post("/academics/summer/", {"discipline": DisciplineFactory.create().pk}, follow=True)
    assert "close 10 days before it starts" in response.content.decode()
    assert not SummerApplication.objects.exists()


def test_ac15_only_a_summer_term_takes_applications(term):
    autumn = TermFactory.create(academic_year=term.academic_year, kind=Term.Kind.AUTUMN)
    with pytest.raises(AcademicsError):
        apply_for_summer_course(make_student().user, autumn, DisciplineFactory.create(), today=date(2026, 1, 1))


def test_ac15_seven_paid_do_not_open_eight_paid_open(term, registrar):
    """AC-15: 7 paid applicants (of 9) do not open the course; the 8th payment opens it and the 8 are enrolled."""
    discipline = DisciplineFactory.create()
    applications = _applicants(term, discipline, 9, 7, registrar)
    with pytest.raises(AcademicsError, match="at least 8"):
        open_summer_course(registrar, term, discipline)
    assert not Offering.objects.filter(term=term).exists()
    assert SummerApplication.objects.filter(status=Status.APPLIED).count() == 9
    [course] = summer_courses(term)
    assert (course.applicants, course.paid, course.can_open, course.missing) == (9, 7, False, 1)

    record_summer_payment(registrar, applications[7])
    result = open_summer_course(registrar, term, discipline)
    assert (result.enrolled, result.refused) == (8, 0)
    assert result.offering.term == term and result.offering.discipline == discipline
    assert Enrolment.objects.filter(offering=result.offering).count() == 8
    assert SummerApplication.objects.filter(status=Status.ENROLLED, enrolment__isnull=False).count() == 8
    assert SummerApplication.objects.get(pk=applications[8].pk).status == Status.APPLIED  # unpaid: not enrolled
    assert Notification.objects.filter(recipient__student__summer_applications__status="enrolled").count() == 8
    with pytest.raises(AcademicsError, match="already open"):
        open_summer_course(registrar, term, discipline)
    # Paid after the course opened: enrolled at once.
    record_summer_payment(registrar, applications[8])
    assert SummerApplication.objects.get(pk=applications[8].pk).status == Status.ENROLLED
    assert summer_courses(term)[0].is_open


def test_ac15_opening_keeps_the_ac13_retake_limit(term, registrar):
    """AC-15 with AC-13: a paid applicant who has used both retakes is not enrolled, and is told why."""
    discipline = DisciplineFactory.create()
    applications = _applicants(term, discipline, 8, 8, registrar)
    exhausted = applications[0].student
    for kind in (Term.Kind.AUTUMN, Term.Kind.SPRING):
        Enrolment.objects.create(
            offering=OfferingFactory.create(
                discipline=discipline, term=TermFactory.create(academic_year=term.academic_year, kind=kind)
            ),
            student=exhausted,
        )
    Enrolment.objects.create(offering=OfferingFactory.create(discipline=discipline, section="old"), student=exhausted)
    result = open_summer_course(registrar, term, discipline)
    assert (result.enrolled, result.refused) == (7, 1)
    refused = SummerApplication.objects.get(pk=applications[0].pk)
    assert refused.status == Status.REFUSED and "retaken twice" in refused.note
    assert Notification.objects.filter(recipient=exhausted.user).count() == 1
    # ...and a fourth attempt is refused already at application.
    other = DisciplineFactory.create()
    for _ in range(3):
        Enrolment.objects.create(offering=OfferingFactory.create(discipline=other, section=str(_)), student=exhausted)
    with pytest.raises(AcademicsError, match="retaken twice"):
        apply_for_summer_course(exhausted.user, term, other)


def test_ac15_applicants_of_a_course_that_does_not_open_are_notified(registrar):
    """AC-15: after applications close, a course with fewer than 8 paid does not open; its applicants are told."""
    term = summer_term(timezone.localdate() + timedelta(days=5))
    discipline = DisciplineFactory.create()
    apply_day = term.starts_on - timedelta(days=20)
    applications = [apply_for_summer_course(make_student().user, term, discipline, today=apply_day) for _ in range(3)]
    record_summer_payment(registrar, applications[0])
    before = term.starts_on - timedelta(days=10)
    with pytest.raises(AcademicsError, match="can be closed after that"):
        close_unopened_summer_course(registrar, term, discipline, today=before)
    assert close_unopened_summer_course(registrar, term, discipline) == 3
    assert set(SummerApplication.objects.values_list("status", flat=True)) == {Status.NOT_OPENED}
    assert Notification.objects.filter(recipient__in=[a.student.user for a in applications]).count() == 3
    assert not Offering.objects.exists()


def test_ac15_a_course_with_8_paid_is_not_closed(registrar):
    term = summer_term(timezone.localdate() + timedelta(days=5))
    discipline = DisciplineFactory.create()
    day = term.starts_on - timedelta(days=20)
    for _ in range(8):
        record_summer_payment(registrar, apply_for_summer_course(make_student().user, term, discipline, today=day))
    with pytest.raises(AcademicsError, match="opens"):
        close_unopened_summer_course(registrar, term, discipline)
    assert SummerApplication.objects.filter(status=Status.APPLIED).count() == 8


def test_ac15_payment_is_recorded_once_with_a_sensible_date(term, registrar):
    """Bad input changes nothing: a future date, a second payment."""
    application = apply_for_summer_course(make_student().user, term, DisciplineFactory.create())
    with pytest.raises(AcademicsError):
        record_summer_payment(registrar, application, paid_on=timezone.localdate() + timedelta(days=1))
    application.refresh_from_db()
    assert application.paid_on is None
    record_summer_payment(registrar, application, reference="ПП-17")
    with pytest.raises(AcademicsError, match="already recorded"):
        record_summer_payment(registrar, application)
    application.refresh_from_db()
    assert (application.paid_on, application.payment_reference, application.payment_recorded_by) == (
        timezone.localdate(),
        "ПП-17",
        registrar,
    )
    assert application.history.first().history_user == registrar


def test_ac15_registrar_pages_record_payment_and_open(term, registrar):
    discipline = DisciplineFactory.create()
    applications = _applicants(term, discipline, 8, 7, registrar)
    client = _client(registrar)
    courses = client.get("/academics/summer/courses/")
    assert courses.status_code == 200 and discipline.code in courses.content.decode()
    url = f"/academics/summer/courses/{term.pk}/{discipline.pk}/"
    assert "Record payment" in client.get(url).content.decode()
    bad = client.post(f"/academics/summer/applications/{applications[7].pk}/payment/", {"paid_on": "32.13.2026"})
    assert bad.status_code == 302
    assert not SummerApplication.objects.get(pk=applications[7].pk).is_paid
    refused = client.post(f"{url}open/", follow=True)
    assert "at least 8" in refused.content.decode() and not Offering.objects.exists()
    today = timezone.localdate().isoformat()
    client.post(f"/academics/summer/applications/{applications[7].pk}/payment/", {"paid_on": today})
    assert SummerApplication.objects.get(pk=applications[7].pk).is_paid
    opened = client.post(f"{url}open/", follow=True)
    assert "8 students enrolled" in opened.content.decode()
    assert Offering.objects.get(term=term, discipline=discipline).enrolments.count() == 8


def test_ac15_only_the_registrar_records_payments_and_opens_courses(term, registrar):
    """403 for a student or a teacher, and nothing changes."""
    discipline = DisciplineFactory.create()
    applications = _applicants(term, discipline, 8, 7, registrar)
    student = applications[7].student
    teacher = make_staff(Role.TEACHER)
    for user in (student.user, teacher):
        client = _client(user)
        assert client.get("/academics/summer/courses/").status_code == 403
        assert client.get(f"/academics/summer/courses/{term.pk}/{discipline.pk}/").status_code == 403
        payment = client.post(
            f"/academics/summer/applications/{applications[7].pk}/payment/", {"paid_on": "01.01.2026"}
        )
        assert payment.status_code == 403
        assert client.post(f"/academics/summer/courses/{term.pk}/{discipline.pk}/open/").status_code == 403
        with pytest.raises(PermissionDenied):
            record_summer_payment(user, applications[7])
    assert not SummerApplication.objects.get(pk=applications[7].pk).is_paid
    assert not Offering.objects.exists()
    assert _client(teacher).get("/academics/summer/").status_code == 403  # not a student


def test_summer_pages_queries_do_not_grow(term, registrar, django_assert_max_num_queries):
    """Query budgets: the registrar's course list, a course's applicants, the student's page."""
    disciplines = DisciplineFactory.create_batch(12)
    students = [make_student() for _ in range(30)]
    for i, student in enumerate(students):
        for d in disciplines[i % 4 :: 3]:
            application = apply_for_summer_course(student.user, term, d)
            if i % 2:
                record_summer_payment(registrar, application)
    client = _client(registrar)
    with django_assert_max_num_queries(10):
        response = client.get("/academics/summer/courses/")
    assert response.content.decode().count("/academics/summer/courses/") >= 12
    busiest = max(summer_courses(term), key=lambda c: c.applicants)
    with django_assert_max_num_queries(12):
        response = client.get(f"/academics/summer/courses/{term.pk}/{busiest.discipline.pk}/")
    assert response.content.decode().count("<tr>") > 10
    student_client = _client(students[0].user)
    with django_assert_max_num_queries(10):
        assert student_client.get("/academics/summer/").status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get("/dashboard/registrar/").status_code == 200
    with django_assert_max_num_queries(40):
        body = student_client.get("/dashboard/student/").content.decode()
    assert 'id="panel-summer"' in body
