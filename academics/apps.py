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
        register_panel("student", panels.student_transfer_decision)
        register_panel("student", panels.student_grades)
        register_panel("registrar", panels.registrar_decisions)
        register_panel("dean", panels.dean_scholarship)
