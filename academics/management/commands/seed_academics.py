"""manage.py seed_academics [--if-empty]: demo years, disciplines, offerings and grades (after seed_demo)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from academics.demo import seed
from academics.models import AcademicYear


class Command(BaseCommand):
    help = "Create demo academics: last year's signed grades and this autumn's term in progress."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="do nothing if an academic year exists")

    def handle(self, *args: Any, **opts: Any) -> None:
        if AcademicYear.objects.exists():
            if opts["if_empty"]:
                self.stdout.write("Academic demo data already present; nothing to do.")
                return
            raise CommandError("Academic years already exist. Use a fresh database, or --if-empty.")
        started = time.monotonic()
        try:
            counts = seed()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        summary = ", ".join(f"{k}: {v}" for k, v in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Academic demo data created in {time.monotonic() - started:.1f} s ({summary}).")
        )
