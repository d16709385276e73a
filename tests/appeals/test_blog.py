"""AP-03, AP-04: the rector's blog, a moderated channel (posting, moderation, registration as an application)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from appeals.errors import AppealError
from appeals.models import ApplicantType, Application, BlogEntry, Channel, Kind, Status
from appeals.services import blog
from portal.models import Notification, Role
from tests.appeals.factories import TEXT, at, make_school
from tests.factories import RoleAssignmentFactory, StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
State = BlogEntry.State


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def holder(role: str):
    user = UserFactory.create()
    RoleAssignmentFactory.create(user=user, role=role)
    return user


@pytest.fixture
def rector():
    return holder(Role.RECTOR)


def entry_by(author, text: str = TEXT, **kwargs) -> BlogEntry:
    return BlogEntry.objects.create(author=author, text=text, **kwargs)


def test_ap03_a_student_writes_to_the_blog_and_the_moderators_are_told(rector):
    school = make_school()
    response = client_for(school.student.user).post(reverse("appeals:blog"), {"text": TEXT})
    assert response.status_code == 302
    entry = BlogEntry.objects.get()
    assert (entry.author, entry.state, entry.text) == (school.student.user, State.PENDING, TEXT)
    assert entry.history.get().history_user == school.student.user
    assert Notification.objects.filter(recipient=rector, url=reverse("appeals:blog_moderation")).exists()
    page = client_for(school.student.user).get(reverse("appeals:blog")).content.decode()
    assert "Awaiting moderation" in page and "No messages are published yet" in page


@pytest.mark.parametrize(("text", "status"), [("", 400), ("   ", 400), ("қысқа", 400), ("ә" * 10_001, 400)])
def test_an_empty_short_or_oversized_message_is_refused_and_nothing_is_stored(text, status):
    school = make_school()
    response = client_for(school.student.user).post(reverse("appeals:blog"), {"text": text})
    assert response.status_code == status and not BlogEntry.objects.exists()


def test_only_students_and_staff_write_but_every_signed_in_user_reads():
    outsider = UserFactory.create()
    response = client_for(outsider).post(reverse("appeals:blog"), {"text": TEXT})
    assert response.status_code == 400 and not BlogEntry.objects.exists()
    page = client_for(outsider).get(reverse("appeals:blog"))
    assert page.status_code == 200 and 'id="blog-form"' not in page.content.decode()
    assert Client().get(reverse("appeals:blog")).status_code == 302


def test_ap03_a_published_message_is_shown_to_signed_in_users_and_the_author_is_told(rector):
    school = make_school()
    entry = entry_by(school.student.user)
    hidden = entry_by(school.teacher, text="Әлі модерациядан өтпеген хабарлама мәтіні.")
    response = client_for(rector).post(reverse("appeals:blog_publish", args=[entry.pk]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.state, entry.moderated_by) == (State.PUBLISHED, rector)
    assert entry.history.latest().history_user == rector
    assert Notification.objects.filter(recipient=school.student.user, url=reverse("appeals:blog")).exists()
    page = client_for(UserFactory.create()).get(reverse("appeals:blog")).content.decode()
    assert TEXT in page and hidden.text not in page


def test_ap03_a_rejected_message_is_not_shown_and_the_author_reads_why(rector):
    school = make_school()
    entry = entry_by(school.student.user)
    client = client_for(rector)
    client.post(reverse("appeals:blog_reject", args=[entry.pk]), {"note": " "})
    entry.refresh_from_db()
    assert entry.state == State.PENDING
    client.post(reverse("appeals:blog_reject", args=[entry.pk]), {"note": "Жеке деректер бар"})
    entry.refresh_from_db()
    assert (entry.state, entry.moderation_note, entry.moderated_by) == (State.REJECTED, "Жеке деректер бар", rector)
    told = Notification.objects.get(recipient=school.student.user)
    assert told.body == "Жеке деректер бар"
    own = client_for(school.student.user).get(reverse("appeals:blog")).content.decode()
    assert "Жеке деректер бар" in own
    assert TEXT not in client_for(school.teacher).get(reverse("appeals:blog")).content.decode()


def test_ap03_ap04_a_message_naming_an_employee_is_registered_to_that_employee_s_institute(rector):
    """AP-03: the author is the applicant, channel rector's blog, the moderator's kind; the case goes to the
    dean's office of the employee's institute (not the author's), received when it was posted (AP-06)."""
    author_school = make_school("IT")
    employee_school = make_school("ENG")
    entry = entry_by(author_school.student.user)
    BlogEntry.objects.filter(pk=entry.pk).update(created_at=at(2026, 11, 21, 15))  # a Saturday
    url = reverse("appeals:blog_register", args=[entry.pk])
    client = client_for(rector)
    page = client.get(url, {"q": employee_school.teacher.last_name, "employee": employee_school.teacher.id_code})
    assert employee_school.teacher.id_code in page.content.decode()
    data = {"employee_code": employee_school.teacher.id_code, "kind": Kind.PROPOSAL, "subject": "Кесте"}
    response = client.post(url, data)
    assert response.status_code == 302
    case = Application.objects.get()
    entry.refresh_from_db()
    assert (entry.state, entry.application, entry.named_employee) == (
        State.REGISTERED,
        case,
        employee_school.teacher,
    )
    assert (case.channel, case.kind, case.subject, case.text) == (Channel.RECTOR_BLOG, Kind.PROPOSAL, "Кесте", TEXT)
    assert (case.applicant, case.applicant_type, case.filed_by) == (
        author_school.student.user,
        ApplicantType.STUDENT,
        rector,
    )
    assert (case.institute, case.status) == (employee_school.institute, Status.REGISTERED)
    assert case.registered_on == date(2026, 11, 23)
    assert Notification.objects.filter(recipient=employee_school.dean, subject__contains=case.number).exists()
    assert employee_school.teacher.full_name in case.events.get().note
    assert entry.history.latest().history_user == rector
    assert client.post(reverse("appeals:blog_publish", args=[entry.pk])).status_code == 302
    entry.refresh_from_db()
    assert entry.state == State.REGISTERED  # decided once


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"employee_code": "NOBODY"}, "NOBODY"),
        ({"kind": Kind.REQUEST}, "Select a valid choice"),
        ({"subject": ""}, "This field is required"),
    ],
)
def test_registering_a_blog_message_with_bad_input_changes_nothing(rector, data, message):
    school = make_school()
    entry = entry_by(school.student.user)
    full = {"employee_code": school.teacher.id_code, "kind": Kind.COMPLAINT, "subject": "S"} | data
    response = client_for(rector).post(reverse("appeals:blog_register", args=[entry.pk]), full)
    assert response.status_code == 400 and message in response.content.decode()
    entry.refresh_from_db()
    assert entry.state == State.PENDING and not Application.objects.exists()


def test_only_an_employee_of_an_institute_can_be_named(rector):
    school = make_school()
    entry = entry_by(school.student.user)
    url = reverse("appeals:blog_register", args=[entry.pk])
    response = client_for(rector).post(
        url, {"employee_code": school.student.user.id_code, "kind": "complaint", "subject": "S"}
    )
    assert response.status_code == 400 and not Application.objects.exists()
    nowhere = StaffProfileFactory.create(department=None).user
    with pytest.raises(AppealError):
        blog.register_entry(entry, rector, employee=nowhere, kind=Kind.COMPLAINT, subject="S")
    assert not Application.objects.exists()


@pytest.mark.parametrize("role", [Role.RECTOR, Role.VICE_RECTOR_SOCIAL, Role.ADMINISTRATOR])
def test_the_moderators_see_the_queue_oldest_first(role, django_assert_max_num_queries):
    school = make_school()
    for n in range(25):
        entry_by(school.student.user if n % 2 else school.teacher, text=f"{TEXT} №{n}")
    entry_by(school.student.user, text="Жарияланған хабарлама, кезекте жоқ.", state=State.PUBLISHED)
    client = client_for(holder(role))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("appeals:blog_moderation")).content.decode()
    assert "№0" in page and "№24" not in page and "Page 1 of 2" in page and "кезекте жоқ" not in page


def test_ap21_everyone_else_gets_403_and_nothing_changes():
    school = make_school()
    entry = entry_by(school.student.user)
    for user in (school.student.user, school.teacher, school.dean, holder(Role.DESW_DIRECTOR)):
        client = client_for(user)
        assert client.get(reverse("appeals:blog_moderation")).status_code == 403
        assert client.post(reverse("appeals:blog_publish", args=[entry.pk])).status_code == 403
        assert client.post(reverse("appeals:blog_reject", args=[entry.pk]), {"note": "x"}).status_code == 403
        data = {"employee_code": school.teacher.id_code, "kind": "complaint", "subject": "S"}
        assert client.post(reverse("appeals:blog_register", args=[entry.pk]), data).status_code == 403
    entry.refresh_from_db()
    assert entry.state == State.PENDING and not Application.objects.exists()
    with pytest.raises(PermissionDenied):
        blog.publish(entry, school.dean)


def test_blog_page_queries_do_not_grow_with_the_messages(django_assert_max_num_queries):
    school = make_school()
    for n in range(30):
        entry_by(school.teacher if n % 2 else school.student.user, text=f"{TEXT} {n}", state=State.PUBLISHED)
    client = client_for(school.student.user)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("appeals:blog")).content.decode()
    assert page.count('class="card mb-3" id="entry-') == 20
