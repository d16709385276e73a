"""manage.py seed_appeals [--if-empty]: the demo's applications and complaints (after seed_demo)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from appeals.demo import seed
from appeals.models import Application


class Command(BaseCommand):
    help = "Create demo applications, complaints and proposals in every status, filed through the services."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="do nothing if an application exists")

    def handle(self, *args: Any, **opts: Any) -> None:
        if Application.objects.exists():
            if opts["if_empty"]:
                self.stdout.write("Appeals demo data already present; nothing to do.")
                return
            raise CommandError("Applications already exist. Use a fresh database, or --if-empty.")
        try:
            with translation.override(settings.LANGUAGE_CODE):  # the notifications and letters read in Kazakh
                counts = seed()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        summary = ", ".join(f"{k}: {v}" for k, v in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Appeals demo data created ({summary})."))
