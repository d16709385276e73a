from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = _("Elections")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from elections import panels, panels_campaign, panels_candidates, panels_counting, panels_voting
        from portal.dashboards import register_panel

        register_panel("commission", panels.commission_elections)
        register_panel("desw", panels.commission_elections)
        register_panel("student", panels_candidates.student_candidacy)
        register_panel("group_head", panels_candidates.student_candidacy)
        register_panel("sg", panels_candidates.student_candidacy)
        register_panel("commission", panels_candidates.commission_applications)
        register_panel("dean", panels_candidates.dean_recommendations)
        register_panel("commission", panels_counting.commission_counting)
        register_panel("student", panels_campaign.student_campaign)
        register_panel("group_head", panels_campaign.student_campaign)
        register_panel("desw", panels_campaign.administration_campaign)
        register_panel("leadership", panels_campaign.administration_campaign)
        register_panel("student", panels_voting.student_voting)
        register_panel("commission", panels_voting.commission_voting)
