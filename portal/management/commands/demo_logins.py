"""manage.py demo_logins: print the portal URL and one demo login per dashboard."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from portal.demo import DEMO_PASSWORD, demo_accounts


class Command(BaseCommand):
    help = "Print the URL and the demo logins for each role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **opts: Any) -> None:
        self.stdout.write(self.style.SUCCESS(f"\nThe portal: http://127.0.0.1:{opts['port']}/"))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}); sign in with the ID or the e-mail:")
        for acc in demo_accounts():
            self.stdout.write(f"  {acc.dashboard:<11} {acc.user.id_code:<10} {acc.user.email:<26} {acc.user.full_name}")
        self.stdout.write("")
