from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "appeals"
    verbose_name = _("Applications and appeals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from appeals import (
            panels_applicant,
            panels_channels,
            panels_commission,
            panels_grades,
            panels_reports,
            panels_triage,
        )

        for module in (
            panels_applicant,
            panels_triage,
            panels_commission,
            panels_grades,
            panels_channels,
            panels_reports,
        ):
            module.register()
        from appeals import triage_cache

        triage_cache.connect()
