"""manage.py seed_demo [--students N] [--if-empty]: the deterministic demo university."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.demo import seed
from portal.models import University


class Command(BaseCommand):
    help = "Create a demo university: 3 institutes, 6 departments, 20 groups, students and staff in every role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--students", type=int, default=600, help="number of students (default 600)")
        parser.add_argument("--staff", type=int, default=60, help="number of staff (default 60, at least 40)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if a university already exists")

    def handle(self, *args: Any, **opts: Any) -> None:
        if University.objects.exists():
            if opts["if_empty"]:
                self.stdout.write("Demo data already present; nothing to do.")
                return
            raise CommandError("The database already holds a university. Use a fresh database, or --if-empty.")
        if opts["staff"] < 40:
            raise CommandError("--staff must be at least 40 so that every role has a holder.")
        started = time.monotonic()
        counts = seed(students=opts["students"], staff=opts["staff"])
        took = time.monotonic() - started
        summary = ", ".join(f"{k}: {v}" for k, v in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data created in {took:.1f} s ({summary})."))
