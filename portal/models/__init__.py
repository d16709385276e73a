"""The shared core: people, organisation, roles, calendar, notifications, documents."""

from portal.models.documents import Document
from portal.models.health import BenchWrite, WorkerHeartbeat
from portal.models.notifications import Notification
from portal.models.organisation import (
    Department,
    Institute,
    Programme,
    StudyGroup,
    University,
)
from portal.models.people import StaffProfile, StudentProfile, User
from portal.models.roles import Role, RoleAssignment
from portal.models.workdays import WorkdayOverride

__all__ = [
    "BenchWrite",
    "Department",
    "Document",
    "Institute",
    "Notification",
    "Programme",
    "Role",
    "RoleAssignment",
    "StaffProfile",
    "StudentProfile",
    "StudyGroup",
    "University",
    "User",
    "WorkdayOverride",
    "WorkerHeartbeat",
]
