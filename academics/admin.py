"""Registrar's editing of the academic calendar and catalogue (pages of their own come later)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from academics.models import (
    AcademicDifference,
    AcademicYear,
    ClassSession,
    Discipline,
    Enrolment,
    GradeAmendment,
    GradeRecord,
    MidtermRetakePermission,
    NonformalRecognition,
    Offering,
    ProgrammeCredits,
    Sanction,
    SummerApplication,
    Term,
    TransferDecision,
    TransferRun,
)


class TermInline(admin.TabularInline):
    model = Term
    extra = 0


@admin.register(AcademicYear)
class AcademicYearAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "starts_on", "ends_on", "policy_version"]
    inlines = [TermInline]


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "starts_on", "ends_on", "exams_start", "exams_end"]
    list_filter = ["kind", "academic_year"]


@admin.register(Discipline)
class DisciplineAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_kk", "credits"]
    search_fields = ["code", "name_kk", "name_ru", "name_en"]


@admin.register(Offering)
class OfferingAdmin(SimpleHistoryAdmin):
    list_display = ["discipline", "term"]
    list_filter = ["term"]
    search_fields = ["discipline__code", "discipline__name_kk"]
    filter_horizontal = ["teachers", "groups"]
    autocomplete_fields = ["discipline"]


@admin.register(Enrolment)
class EnrolmentAdmin(SimpleHistoryAdmin):
    list_display = ["student", "offering"]
    raw_id_fields = ["student", "offering"]


@admin.register(GradeRecord)
class GradeRecordAdmin(SimpleHistoryAdmin):
    """Read-only here: grades change only through the gradebook services (AC-23)."""

    list_display = ["enrolment", "final_percent", "letter", "points", "policy_version", "signed_at"]
    list_select_related = ["enrolment__student__user", "enrolment__offering__discipline"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(GradeAmendment)
class GradeAmendmentAdmin(admin.ModelAdmin):
    list_display = ["grade", "kind", "letter", "created_by", "created_at"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ClassSession)
class ClassSessionAdmin(SimpleHistoryAdmin):
    list_display = ["offering", "held_on", "number"]
    list_select_related = ["offering__discipline", "offering__term"]


@admin.register(MidtermRetakePermission)
class MidtermRetakePermissionAdmin(SimpleHistoryAdmin):
    list_display = ["enrolment", "document_reference", "granted_by", "granted_at"]
    raw_id_fields = ["enrolment"]


@admin.register(Sanction)
class SanctionAdmin(SimpleHistoryAdmin):
    list_display = ["student", "kind", "imposed_on", "valid_until", "lifted_on", "decision_reference"]
    list_filter = ["kind"]
    raw_id_fields = ["student"]
    search_fields = ["student__user__last_name", "student__user__id_code", "decision_reference"]


class WorkflowAdmin(SimpleHistoryAdmin):
    """Read-only here: these change only through their services and pages (AC-15, AC-16, AC-20)."""

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(SummerApplication)
class SummerApplicationAdmin(WorkflowAdmin):
    list_display = ["student", "discipline", "term", "applied_on", "paid_on", "status"]
    list_filter = ["status", "term"]
    list_select_related = ["student__user", "student__group", "discipline", "term__academic_year"]


@admin.register(NonformalRecognition)
class NonformalRecognitionAdmin(WorkflowAdmin):
    list_display = ["student", "title", "discipline", "credits", "status"]
    list_filter = ["status"]
    list_select_related = ["student__user", "student__group", "discipline"]


@admin.register(ProgrammeCredits)
class ProgrammeCreditsAdmin(SimpleHistoryAdmin):
    """AC-16: a programme's credit total where it differs from its level's usual one (bachelor 240)."""

    list_display = ["programme", "total_credits"]


@admin.register(AcademicDifference)
class AcademicDifferenceAdmin(WorkflowAdmin):
    list_display = ["student", "discipline", "reason", "due_term", "due_on", "cleared_at"]
    list_filter = ["reason"]
    list_select_related = ["student__user", "student__group", "discipline", "due_term__academic_year"]


@admin.register(TransferRun)
class TransferRunAdmin(admin.ModelAdmin):
    list_display = ["academic_year", "policy_version", "run_by", "run_at", "students", "repeats", "changed"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(TransferDecision)
class TransferDecisionAdmin(WorkflowAdmin):
    """Read-only here: decisions are computed by the registrar's run (AC-12), never edited by hand."""

    list_display = ["student", "academic_year", "gpa_deciding", "threshold", "outcome", "policy_version"]
    list_filter = ["academic_year", "outcome", "state_grant_lost"]
    list_select_related = ["student__user", "student__group", "academic_year"]
    search_fields = ["student__user__last_name", "student__user__id_code"]
