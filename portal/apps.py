from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal import text  # noqa: F401  (registers the SQLite Kazakh collation)
