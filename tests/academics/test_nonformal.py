"""AC-16 non-formal learning: recognised up to 10 % of the programme, at most 24 credits, with the
lecturer's and the head of department's agreement."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import translation

from academics import rules
from academics.errors import AcademicsError
from academics.models import NonformalRecognition, ProgrammeCredits
from academics.services.nonformal import (
    agree_recognition,
    credit_limit,
    programme_total_credits,
    refusal_labels,
    refuse_recognition,
    request_recognition,
)
from portal.models import Notification, Programme, Role
from tests.academics.factories import OfferingFactory, make_staff
from tests.factories import DepartmentFactory, ProgrammeFactory, StudyGroupFactory, make_student

pytestmark = pytest.mark.django_db
Status = NonformalRecognition.Status


@pytest.fixture(autouse=True)
def _in_english():
    """Messages are checked in English (pages by the language cookie); no language leaks to other tests."""
    with translation.override("en"):
        yield
    translation.activate(settings.LANGUAGE_CODE)


def _client(user):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _discipline_with_lecturer(credits=5):
    """A discipline and its lecturer: a teacher of one of its offerings."""
    offering = OfferingFactory.create(discipline__credits=credits)
    lecturer = make_staff(Role.TEACHER)
    offering.teachers.add(lecturer)
    return offering.discipline, lecturer


def _head_of(student):
    return make_staff(Role.HEAD_OF_DEPARTMENT, department=student.group.programme.department)


def _request(student, discipline, title="Machine Learning"):
    return request_recognition(student.user, discipline, title, "Coursera", "https://coursera.org/verify/ABC")


def _recognise(student, credits=5):
    discipline, lecturer = _discipline_with_lecturer(credits)
    recognition = _request(student, discipline)
    agree_recognition(lecturer, recognition, "lecturer")
    return agree_recognition(_head_of(student), recognition, "head")


def test_ac16_cap_is_10_percent_of_the_programme_at_most_24_credits():
    """AC-16: 240 credits -> 24, 180 -> 18, 300 -> still 24, 120 -> 12."""
    assert rules.nonformal_credit_limit(240) == 24
    assert rules.nonformal_credit_limit(180) == 18
    assert rules.nonformal_credit_limit(300) == 24
    assert rules.nonformal_credit_limit(120) == 12


def test_ac16_programme_credits_default_by_level_and_can_be_set():
    """AC-16: a bachelor programme counts 240 credits unless set otherwise; a master's 120."""
    bachelor = ProgrammeFactory.create()
    master = ProgrammeFactory.create(level=Programme.Level.MASTER)
    assert programme_total_credits(bachelor) == 240 and programme_total_credits(master) == 120
    ProgrammeCredits.objects.create(programme=bachelor, total_credits=180)
    assert programme_total_credits(bachelor) == 180
    assert credit_limit(make_student(group=StudyGroupFactory.create(programme=bachelor))) == 18
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeCredits.objects.create(programme=master, total_credits=0)


def test_ac16_both_agreements_are_needed():
    """AC-16: the lecturer's agreement alone does not recognise; with the head's it does."""
    student = make_student()
    discipline, lecturer = _discipline_with_lecturer()
    recognition = _request(student, discipline)
    assert (recognition.status, recognition.credits) == (Status.REQUESTED, 5)
    recognition = agree_recognition(lecturer, recognition, "lecturer")
    assert recognition.status == Status.REQUESTED and recognition.lecturer_agreed_by == lecturer
    head = _head_of(student)
    recognition = agree_recognition(head, recognition, "head")
    assert recognition.status == Status.RECOGNISED
    assert (recognition.head_agreed_by, recognition.refusal_reasons) == (head, [])
    assert recognition.history.first().history_user == head
    assert Notification.objects.filter(recipient=student.user).count() == 1
    with pytest.raises(AcademicsError):
        agree_recognition(lecturer, recognition, "lecturer")


def test_ac16_the_database_refuses_a_recognition_without_both_agreements():
    """AC-16 held by the database: status recognised needs both agreements."""
    student = make_student()
    discipline, lecturer = _discipline_with_lecturer()
    recognition = agree_recognition(lecturer, _request(student, discipline), "lecturer")
    recognition.status = Status.RECOGNISED
    with pytest.raises(IntegrityError), transaction.atomic():
        recognition.save()


def test_ac16_head_agreeing_first_then_lecturer_also_recognises():
    student = make_student()
    discipline, lecturer = _discipline_with_lecturer()
    recognition = agree_recognition(_head_of(student), _request(student, discipline), "head")
    assert recognition.status == Status.REQUESTED
    assert agree_recognition(lecturer, recognition, "lecturer").status == Status.RECOGNISED


def test_ac16_over_the_cap_is_refused_with_the_reason():
    """AC-16: with 180 programme credits (cap 18) and 15 recognised, another 5 is refused; the reason shown."""
    programme = ProgrammeFactory.create()
    ProgrammeCredits.objects.create(programme=programme, total_credits=180)
    student = make_student(group=StudyGroupFactory.create(programme=programme))
    # Requested while nothing was recognised yet; three recognitions then take the total to 15.
    pending = [_request(student, _discipline_with_lecturer()[0], title=f"MOOC {i}") for i in range(2)]
    for _ in range(3):
        assert _recognise(student).status == Status.RECOGNISED
    # A new request beyond the cap is refused at once, and nothing is created.
    with pytest.raises(AcademicsError, match="limit of 18 credits"):
        _request(student, _discipline_with_lecturer()[0], title="Too much")
    assert not NonformalRecognition.objects.filter(title="Too much").exists()
    # A pending one reaching its second agreement past the cap is refused, with the reason kept.
    first = pending[0]
    lecturer = first.discipline.offerings.get().teachers.get()
    agree_recognition(lecturer, first, "lecturer")
    refused = agree_recognition(_head_of(student), first, "head")
    assert refused.status == Status.REFUSED and refused.refusal_reasons == ["over_limit"]
    with translation.override("en"):
        assert refusal_labels(refused) == [
            "the recognised credits would exceed the limit of 18 credits (10% of the programme, at most 24)"
        ]
        body = _client(student.user).get("/academics/nonformal/").content.decode()
    assert "the recognised credits would exceed the limit of 18 credits" in body


def test_ac16_a_bachelor_programme_caps_at_24_credits():
    """AC-16: 240-credit programme: 4 x 5 + 4 = 24 recognised, then nothing more."""
    student = make_student()
    for _ in range(4):
        _recognise(student)
    assert _recognise(student, credits=4).status == Status.RECOGNISED
    with pytest.raises(AcademicsError):
        _request(student, _discipline_with_lecturer(credits=1)[0])


def test_ac16_lecturer_or_head_refuses_with_a_reason():
    student = make_student()
    discipline, lecturer = _discipline_with_lecturer()
    recognition = _request(student, discipline)
    with pytest.raises(AcademicsError):
        refuse_recognition(lecturer, recognition, "lecturer", "  ")
    recognition.refresh_from_db()
    assert recognition.status == Status.REQUESTED
    refused = refuse_recognition(lecturer, recognition, "lecturer", "The syllabus does not match.")
    assert (refused.status, refused.refusal_reasons, refused.decided_by) == (
        Status.REFUSED,
        ["lecturer_not_agreed"],
        lecturer,
    )
    with translation.override("en"):
        assert refusal_labels(refused) == ["the discipline's lecturer did not agree"]
    # Refused: the student may ask again (e.g. with another certificate).
    assert _request(student, discipline).status == Status.REQUESTED


def test_ac16_only_the_disciplines_lecturer_and_the_students_head_agree():
    """Scope: another teacher, a head of another department, the student: PermissionDenied / 403, nothing changes."""
    student = make_student()
    discipline, lecturer = _discipline_with_lecturer()
    recognition = _request(student, discipline)
    other_teacher = make_staff(Role.TEACHER, department=student.group.programme.department)
    other_head = make_staff(Role.HEAD_OF_DEPARTMENT, department=DepartmentFactory.create())
    with pytest.raises(PermissionDenied):
        agree_recognition(other_teacher, recognition, "lecturer")
    with pytest.raises(PermissionDenied):
        agree_recognition(other_head, recognition, "head")
    with pytest.raises(PermissionDenied):
        agree_recognition(lecturer, recognition, "head")
    url = f"/academics/nonformal/{recognition.pk}/"
    assert _client(other_teacher).post(f"{url}agree/", {"capacity": "lecturer"}).status_code == 403
    assert _client(other_head).post(f"{url}agree/", {"capacity": "head"}).status_code == 403
    assert _client(other_head).post(f"{url}refuse/", {"capacity": "head", "comment": "No"}).status_code == 403
    assert _client(student.user).post(f"{url}agree/", {"capacity": "lecturer"}).status_code == 403
    assert _client(student.user).get("/academics/nonformal/review/").status_code == 403
    recognition.refresh_from_db()
    assert (recognition.status, recognition.lecturer_agreed_at, recognition.head_agreed_at) == (
        Status.REQUESTED,
        None,
        None,
    )


def test_ac16_pages_request_and_agree():
    student = make_student()
    discipline, lecturer = _discipline_with_lecturer()
    head = _head_of(student)
    client = _client(student.user)
    empty = client.post("/academics/nonformal/", {"title": "", "provider": "edX", "discipline": discipline.pk})
    assert empty.status_code == 200 and not NonformalRecognition.objects.exists()
    data = {"title": "CS50", "provider": "edX", "discipline": discipline.pk, "certificate_reference": "edx/123"}
    response = client.post("/academics/nonformal/", data, follow=True)
    assert "Your request is registered" in response.content.decode()
    recognition = NonformalRecognition.objects.get()
    assert "CS50" in _client(lecturer).get("/academics/nonformal/review/").content.decode()
    assert "CS50" in _client(head).get("/dashboard/head/").content.decode()
    _client(lecturer).post(f"/academics/nonformal/{recognition.pk}/agree/", {"capacity": "lecturer"})
    response = _client(head).post(f"/academics/nonformal/{recognition.pk}/agree/", {"capacity": "head"}, follow=True)
    assert "the course is recognised" in response.content.decode()
    recognition.refresh_from_db()
    assert recognition.status == Status.RECOGNISED
    assert "CS50" not in _client(head).get("/academics/nonformal/review/").content.decode()


def test_ac16_review_page_queries_do_not_grow(django_assert_max_num_queries):
    """Query budget: 40 requests from students of many groups, for many disciplines."""
    department = DepartmentFactory.create()
    head = make_staff(Role.HEAD_OF_DEPARTMENT, department=department)
    programme = ProgrammeFactory.create(department=department)
    for i in range(40):
        student = make_student(group=StudyGroupFactory.create(programme=programme))
        discipline, lecturer = _discipline_with_lecturer()
        recognition = _request(student, discipline, title=f"MOOC {i}")
        if i % 2:
            agree_recognition(lecturer, recognition, "lecturer")
    client = _client(head)
    with django_assert_max_num_queries(10):
        response = client.get("/academics/nonformal/review/")
    assert response.content.decode().count("MOOC ") == 40
    with django_assert_max_num_queries(22):
        assert client.get("/dashboard/head/").status_code == 200
    student_client = _client(student.user)
    with django_assert_max_num_queries(12):
        assert student_client.get("/academics/nonformal/").status_code == 200
