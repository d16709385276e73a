"""PT-08: every state change is recorded: who, when, from what to what."""

import pytest
from django.test import Client

from portal.audit import history_of
from portal.models import Role, StudentProfile
from tests.factories import RoleAssignmentFactory, UserFactory, make_student

pytestmark = pytest.mark.django_db


def test_pt08_a_change_records_who_when_and_from_what_to_what():
    """PT-08: changing a student's status through the admin records the user and both values."""
    profile = make_student()
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    url = f"/admin/portal/studentprofile/{profile.pk}/change/"
    form = {
        "user": profile.user_id,
        "group": profile.group_id,
        "year_of_study": 2,
        "study_language": "kk",
        "funding": "grant",
        "study_form": "full_time",
        "status": "leave",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = profile.history.first()
    assert latest.history_user == admin
    assert latest.history_date is not None
    entry = history_of(StudentProfile.objects.get(pk=profile.pk))[0]
    changes = {c.field: (c.old, c.new) for c in entry.changes}
    assert list(changes.values()) == [("enrolled", "leave")]
    assert entry.user == admin


def test_pt08_every_state_bearing_model_has_history():
    """PT-08: people, organisation, roles and the calendar are audited by one mechanism."""
    from django.apps import apps

    audited = {m.__name__ for m in apps.get_app_config("portal").get_models() if m.__name__.startswith("Historical")}
    for name in [
        "User",
        "StudentProfile",
        "StaffProfile",
        "RoleAssignment",
        "University",
        "Institute",
        "Department",
        "Programme",
        "StudyGroup",
        "WorkdayOverride",
    ]:
        assert f"Historical{name}" in audited


def test_pt08_history_panel_is_shown_to_staff_not_to_students():
    """PT-08: the group page shows the history panel to an advisor (staff); a group head does not see it."""
    profile = make_student()
    group = profile.group
    group.name = "ЖАҢА-1"
    group.save()
    advisor = UserFactory.create()
    RoleAssignmentFactory.create(user=advisor, role=Role.ADVISOR, group=group)
    head = make_student(group=group).user
    RoleAssignmentFactory.create(user=head, role=Role.GROUP_HEAD, group=group)
    client = Client()
    client.force_login(advisor)
    body = client.get(f"/groups/{group.pk}/").content.decode()
    assert 'id="history-panel"' in body
    assert "ЖАҢА-1" in body
    client.force_login(head)
    body = client.get(f"/groups/{group.pk}/").content.decode()
    assert 'id="history-panel"' not in body


def test_pt08_passwords_are_not_copied_into_history():
    """PT-08: the audit trail never stores password hashes."""
    user = UserFactory.create()
    assert not hasattr(user.history.first(), "password")
