"""manage.py import_appeal_emails [FILE.eml ...] [--mailbox] [--institute CODE]: AP-03 corporate e-mail.

Registers each message once (by its Message-ID) to the sender's home institute; a message from an
unknown sender waits in the dean's offices' list of unmatched e-mails. Run it from cron or a beat
schedule with --mailbox to read the unseen messages of APPEALS_IMAP_FOLDER.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from appeals.errors import AppealError
from appeals.services.mail_import import ImportResult, Outcome, import_message, read_mailbox
from portal.models import Institute


class Command(BaseCommand):
    help = "Register applications received by corporate e-mail, from .eml files or the IMAP mailbox."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", help=".eml files to import")
        parser.add_argument("--mailbox", action="store_true", help="read the unseen messages over IMAP")
        parser.add_argument(
            "--institute", help="the institute code whose dean's office sees the unmatched messages of the files"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        paths: list[str] = opts["paths"]
        if not paths and not opts["mailbox"]:
            raise CommandError("Give .eml files to import, or --mailbox.")
        institute = None
        if opts["institute"]:
            institute = Institute.objects.filter(code__iexact=opts["institute"]).first()
            if institute is None:
                raise CommandError(f"No institute has the code {opts['institute']}.")
        results: list[ImportResult] = []
        with translation.override(settings.LANGUAGE_CODE):  # notes and notifications read in Kazakh
            for name in paths:
                path = Path(name)
                if not path.is_file():
                    raise CommandError(f"{name}: no such file.")
                results.append(import_message(path.read_bytes(), name=path.name, institute=institute))
                self._report(results[-1])
            if opts["mailbox"]:
                try:
                    for result in read_mailbox():
                        results.append(result)
                        self._report(result)
                except (AppealError, OSError) as error:
                    raise CommandError(f"Mailbox: {error}") from error
        self.stdout.write(", ".join(f"{o}: {sum(r.outcome == o for r in results)}" for o in Outcome.ALL))

    def _report(self, result: ImportResult) -> None:
        line = f"{result.name}: {result.outcome}. {result.message}"
        if result.refused:
            line += " Not accepted: " + "; ".join(result.refused)
        style = self.style.SUCCESS if result.outcome == Outcome.REGISTERED else self.style.WARNING
        self.stdout.write(style(line))
