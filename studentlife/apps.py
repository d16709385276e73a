from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudentlifeConfig(AppConfig):
    name = "studentlife"
    verbose_name = _("Student life")
    default_auto_field = "django.db.models.BigAutoField"
