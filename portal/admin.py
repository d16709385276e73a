"""Django admin for people, organisation, roles and the calendar; history on every audited model."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.models import (
    Department,
    Document,
    Institute,
    Notification,
    Programme,
    RoleAssignment,
    StaffProfile,
    StudentProfile,
    StudyGroup,
    University,
    User,
    WorkdayOverride,
)

admin.site.site_header = _("University portal administration")
admin.site.site_title = _("University portal")


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["institute", "department", "group"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["id_code", "last_name", "first_name", "patronymic", "email", "is_active", "is_staff"]
    search_fields = ["id_code", "last_name", "first_name", "email"]
    list_filter = ["is_active", "is_staff", "role_assignments__role"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("id_code", "email", "password")}),
        (_("Name"), {"fields": ("last_name", "first_name", "patronymic")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined", "password_changed_at")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("id_code", "email", "last_name", "first_name", "password1", "password2")},
        ),
    )


@admin.register(University)
class UniversityAdmin(SimpleHistoryAdmin):
    list_display = ["name_kk", "short_name", "unit_label"]


@admin.register(Institute)
class InstituteAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_kk", "name_ru", "university"]
    search_fields = ["code", "name_kk", "name_ru", "name_en"]


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_kk", "institute"]
    list_filter = ["institute"]
    search_fields = ["code", "name_kk", "name_ru", "name_en"]


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_kk", "level", "department"]
    list_filter = ["level", "department__institute"]
    search_fields = ["code", "name_kk", "name_ru", "name_en"]


@admin.register(StudyGroup)
class StudyGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "programme", "admission_year", "language"]
    list_filter = ["language", "admission_year", "programme__department__institute"]
    search_fields = ["name"]


@admin.register(StudentProfile)
class StudentProfileAdmin(SimpleHistoryAdmin):
    list_display = ["user", "group", "year_of_study", "funding", "study_form", "status"]
    list_filter = ["status", "funding", "study_form", "year_of_study", "study_language"]
    search_fields = ["user__id_code", "user__last_name", "user__first_name", "group__name"]
    list_select_related = ["user", "group"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["group"]


@admin.register(StaffProfile)
class StaffProfileAdmin(SimpleHistoryAdmin):
    list_display = ["user", "position", "department"]
    search_fields = ["user__id_code", "user__last_name", "position"]
    list_select_related = ["user", "department"]
    raw_id_fields = ["user"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "institute", "department", "group", "valid_from", "valid_until"]
    list_filter = ["role"]
    search_fields = ["user__id_code", "user__last_name"]
    list_select_related = ["user", "institute", "department", "group"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["institute", "department", "group"]


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["date", "kind", "reason"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "subject", "created_at", "read_at", "emailed_at"]
    raw_id_fields = ["recipient"]
    list_select_related = ["recipient"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "registration_number", "registration_date", "sha256", "created_at"]
    search_fields = ["registration_number", "title"]
