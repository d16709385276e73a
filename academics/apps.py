from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcademicsConfig(AppConfig):
    name = "academics"
    verbose_name = _("Academics")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from academics import panels
        from portal.dashboards import register_panel

        register_panel("teacher", panels.teacher_offerings)
        register_panel("student", panels.student_standing)
        register_panel("student", panels.student_grades)
        register_panel("registrar", panels.registrar_calendar)
        register_panel("dean", panels.dean_sanctions)
        register_panel("registrar", panels.registrar_import)
        register_panel("student", panels.student_differences)
        register_panel("student", panels.student_summer)
        register_panel("registrar", panels.registrar_summer)
        register_panel("registrar", panels.staff_differences)
        register_panel("dean", panels.staff_differences)
        register_panel("head", panels.recognitions_to_agree)
        register_panel("teacher", panels.recognitions_to_agree)
        register_panel("student", panels.student_tuition)
        register_panel("registrar", panels.registrar_tuition)
        register_panel("dean", panels.dean_tuition)
        register_panel("registrar", panels.registrar_decisions)
        register_panel("dean", panels.dean_scholarship)
