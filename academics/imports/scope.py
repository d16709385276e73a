"""Who may import, and over which groups and programmes (PT-01: the registrar's scoped assignments)."""

from dataclasses import dataclass

from django.db.models import Q

from portal.models import Programme, Role, RoleAssignment, StudyGroup, User
from portal.permissions import groups_in_scope, is_registrar


def can_import(user: User) -> bool:
    """The registrar office and superusers import; nobody else."""
    return bool(user.is_authenticated) and is_registrar(user)


@dataclass(frozen=True)
class Scope:
    """The groups and programmes a registrar's assignments cover; `everything` for the whole university."""

    everything: bool
    group_ids: frozenset[int] = frozenset()
    programme_ids: frozenset[int] = frozenset()

    def has_group(self, group: StudyGroup) -> bool:
        return self.everything or group.pk in self.group_ids

    def has_programme(self, programme: Programme) -> bool:
        return self.everything or programme.pk in self.programme_ids


def registrar_scope(user: User) -> Scope:
    """Read once per import, so a file of thousands of rows costs no query per row for the scope."""
    if user.is_superuser:
        return Scope(everything=True)
    assignments = list(RoleAssignment.objects.active().filter(user=user, role=Role.REGISTRAR))
    if any(a.university_id or not (a.institute_id or a.department_id or a.group_id) for a in assignments):
        return Scope(everything=True)
    programmes = Programme.objects.filter(
        Q(department_id__in=[a.department_id for a in assignments if a.department_id])
        | Q(department__institute_id__in=[a.institute_id for a in assignments if a.institute_id])
    )
    return Scope(
        everything=False,
        group_ids=frozenset(groups_in_scope(user, (Role.REGISTRAR,)).values_list("pk", flat=True)),
        programme_ids=frozenset(programmes.values_list("pk", flat=True)),
    )
