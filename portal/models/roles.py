"""PT-01: roles, each assignment scoped to the university, an institute, a department or a group."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models.organisation import Department, Institute, StudyGroup, University
from portal.models.people import User


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    GROUP_HEAD = "group_head", _("Group head")
    ADVISOR = "advisor", _("Advisor (curator)")
    TEACHER = "teacher", _("Teacher")
    STAFF_APPLICANT = "staff_applicant", _("Teaching staff (own applications)")
    HEAD_OF_DEPARTMENT = "head_of_department", _("Head of department")
    DEAN = "dean", _("Dean / institute director")
    STUDENT_DEAN = "student_dean", _("Student dean")
    REGISTRAR = "registrar", _("Registrar office")
    DESW_DIRECTOR = "desw_director", _("Director of the Department of Educational and Social Work")
    YOUTH_POLICY_HEAD = "youth_policy_head", _("Head of the youth policy office")
    YOUTH_POLICY_SPECIALIST = "youth_policy_specialist", _("Youth policy specialist")
    VICE_RECTOR_SOCIAL = "vice_rector_social", _("Vice-rector for corporate and social development")
    RECTOR = "rector", _("Rector")
    COMMISSION_CHAIR = "commission_chair", _("Election commission chair")
    COMMISSION_SECRETARY = "commission_secretary", _("Election commission secretary")
    COMMISSION_MEMBER = "commission_member", _("Election commission member")
    SG_OFFICER = "sg_officer", _("Student Government officer")
    SG_PRESIDENT = "sg_president", _("Student Government President")
    CLUB_LEADER = "club_leader", _("Club leader")
    ADMINISTRATOR = "administrator", _("Administrator")


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def active(self) -> "RoleAssignmentQuerySet":
        from django.utils import timezone

        today = timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )


class RoleAssignment(models.Model):
    """A person holds a role within a scope; no scope set means the whole university."""

    user = models.ForeignKey(User, models.CASCADE, related_name="role_assignments", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    university = models.ForeignKey(University, models.CASCADE, null=True, blank=True, verbose_name=_("university"))
    institute = models.ForeignKey(Institute, models.CASCADE, null=True, blank=True, verbose_name=_("institute"))
    department = models.ForeignKey(Department, models.CASCADE, null=True, blank=True, verbose_name=_("department"))
    group = models.ForeignKey(StudyGroup, models.CASCADE, null=True, blank=True, verbose_name=_("study group"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    history = HistoricalRecords()

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        indexes = [models.Index(fields=["user", "role"])]
        constraints = [
            # At most one scope per assignment: a role is held at one level of the structure.
            models.CheckConstraint(
                condition=(
                    Q(institute__isnull=True, department__isnull=True, group__isnull=True)
                    | Q(university__isnull=True, department__isnull=True, group__isnull=True)
                    | Q(university__isnull=True, institute__isnull=True, group__isnull=True)
                    | Q(university__isnull=True, institute__isnull=True, department__isnull=True)
                ),
                name="role_assignment_single_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.scope_label})"

    @property
    def scope(self) -> University | Institute | Department | StudyGroup | None:
        return self.group or self.department or self.institute or self.university

    @property
    def scope_label(self) -> str:
        scope = self.scope
        return str(scope) if scope is not None else str(_("whole university"))
