"""PT-09: in-portal notifications with an unread badge, and e-mail through an outbox."""

import pytest
from django.core import mail
from django.db import transaction

from portal import notifications
from portal.models import Notification
from tests.factories import UserFactory, make_student

pytestmark = pytest.mark.django_db


def test_pt09_notify_writes_rows_and_the_sweep_emails_each_once():
    """PT-09: a notification is a row; the sweep e-mails it exactly once, even when run twice."""
    users = [UserFactory.create(), UserFactory.create()]
    notifications.notify(users, "Өтінішіңіз тіркелді", "Нөмірі 01-12/7")
    assert Notification.objects.count() == 2
    assert notifications.send_pending() == 2
    assert notifications.send_pending() == 0
    assert len(mail.outbox) == 2
    assert mail.outbox[0].subject == "Өтінішіңіз тіркелді"
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_pt09_people_without_email_get_the_portal_notification_only():
    user = UserFactory.create(email=None)
    notifications.notify([user], "Хабарлама")
    assert notifications.send_pending() == 0
    assert Notification.objects.get().send_email is False


def test_pt09_a_rolled_back_transaction_sends_nothing():
    """PT-09: the outbox is written in the caller's transaction: a rollback leaves no message."""
    user = UserFactory.create()
    with pytest.raises(RuntimeError), transaction.atomic():
        notifications.notify([user], "Болмайды")
        raise RuntimeError
    assert Notification.objects.count() == 0


def test_pt09_broker_down_does_not_fail_the_request(broker_down, django_capture_on_commit_callbacks, caplog):
    """Reliability: with the broker unreachable, notify() still commits; the sweep sends later."""
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify([UserFactory.create()], "Кейін жіберіледі")
    assert "Broker unavailable" in caplog.text  # the on-commit publish really failed
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 1
    assert notifications.send_pending() == 1


def test_pt09_unread_badge_and_mark_read(student_client, student):
    """PT-09: the navigation shows the unread count; marking read clears it."""
    notifications.notify([student.user], "Жаңа хабарлама", email=False)
    notifications.notify([student.user], "Екінші хабарлама", email=False)
    body = student_client.get("/notifications/").content.decode()
    assert 'id="unread-badge"' in body
    assert "Жаңа хабарлама" in body
    first = Notification.objects.filter(recipient=student.user).order_by("id").first()
    assert first is not None
    student_client.post("/notifications/read/", {"notification": first.pk})
    assert Notification.objects.filter(recipient=student.user, read_at__isnull=True).count() == 1
    student_client.post("/notifications/read/", {})
    assert Notification.objects.filter(recipient=student.user, read_at__isnull=True).count() == 0
    assert 'id="unread-badge"' not in student_client.get("/notifications/").content.decode()


def test_pt09_one_cannot_mark_someone_elses_notification(student_client):
    other = make_student()
    [n] = notifications.notify([other.user], "Бөтен", email=False)
    student_client.post("/notifications/read/", {"notification": n.pk})
    n.refresh_from_db()
    assert n.read_at is None


def test_pt09_bad_input_is_refused_with_a_message(student_client):
    response = student_client.post("/notifications/read/", {"notification": "abc"}, follow=True)
    assert "Белгісіз хабарлама." in response.content.decode()


def test_pt09_notification_list_query_count_does_not_grow(student_client, student, django_assert_max_num_queries):
    """The notification page runs a fixed number of queries however many notifications exist."""
    notifications.notify([student.user] * 1, "1", email=False)
    for i in range(60):
        Notification.objects.create(recipient=student.user, subject=f"N{i}", send_email=False)
    with django_assert_max_num_queries(8):
        assert student_client.get("/notifications/").status_code == 200


def test_pt09_one_send_task_per_second_however_many_requests_notify(monkeypatch, django_capture_on_commit_callbacks):
    """PT-09: the task is queued to run a second after the first commit and sends every row committed before
    it runs, so the next commits within that second queue nothing; after it, the next commit queues again."""
    from portal.tasks import send_pending_notifications

    queued: list[dict[str, object]] = []
    monkeypatch.setattr(send_pending_notifications, "apply_async", lambda **options: queued.append(options))
    clock = [1000.0]
    monkeypatch.setattr(notifications.time, "monotonic", lambda: clock[0])
    people = UserFactory.create_batch(3)
    for person in people:
        with django_capture_on_commit_callbacks(execute=True):
            notifications.notify([person], "Хабарлама")
        clock[0] += 0.4
    assert queued == [{"countdown": notifications.KICK_DELAY, "retry": False}]  # at 1000.0; 1000.4 and 1000.8 covered
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify([people[0]], "Тағы бір")  # at 1001.2: the queued task may already have run
    assert len(queued) == 2
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 4  # all still in the outbox for it


def test_pt09_a_failed_publish_does_not_hold_back_the_next(broker_down, django_capture_on_commit_callbacks):
    """PT-09: with the broker down nothing counts as queued: the next commit tries again at once."""
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            notifications.notify([UserFactory.create()], "Кейін")
    assert notifications.kicks.covered_until == 0.0
