from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = _("Elections")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from elections import panels_campaign
        from portal.dashboards import register_panel

        register_panel("student", panels_campaign.student_campaign)
        register_panel("group_head", panels_campaign.student_campaign)
        register_panel("desw", panels_campaign.administration_campaign)
        register_panel("leadership", panels_campaign.administration_campaign)
