from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = _("Elections")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from elections import panels_voting
        from portal.dashboards import register_panel

        register_panel("student", panels_voting.student_voting)
        register_panel("commission", panels_voting.commission_voting)
