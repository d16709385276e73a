"""manage.py seed_elections [--if-empty]: this year's demo election (after seed_demo and seed_academics)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from elections.demo import seed
from elections.models import Election


class Command(BaseCommand):
    help = "Create the demo SG President election: commission, three candidates, voting today."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="do nothing if an election exists")

    def handle(self, *args: Any, **opts: Any) -> None:
        if Election.objects.exists():
            if opts["if_empty"]:
                self.stdout.write("Election demo data already present; nothing to do.")
                return
            raise CommandError("Elections already exist. Use a fresh database, or --if-empty.")
        try:
            with translation.override(settings.LANGUAGE_CODE):  # the notifications it sends read in Kazakh
                counts = seed()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                "Election demo data created (" + ", ".join(f"{k}: {v}" for k, v in counts.items()) + ")."
            )
        )
