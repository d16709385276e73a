"""Preview and run an import: one transaction, every row or none, problems named by spreadsheet row."""

import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.formats import base_formats
from import_export.results import Result, RowResult

from academics.imports.reading import MAX_BYTES, Table, UnreadableFile, read_table
from academics.imports.resources import Column, EnrolmentResource, GroupResource, ImportResource, StudentResource
from academics.imports.scope import can_import, registrar_scope
from portal.models import User

logger = logging.getLogger(__name__)


class Upload(Protocol):
    """An uploaded file, or a ContentFile rebuilt from the session for the confirming step."""

    name: str | None

    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    resource: type[ImportResource]
    # The cells that name a row in the preview.
    summary: tuple[str, ...]

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.resource.columns


KINDS = {
    kind.key: kind
    for kind in (
        Kind("groups", gettext_lazy("Study groups"), GroupResource, ("name", "programme")),
        Kind("students", gettext_lazy("Students"), StudentResource, ("id_code", "last_name", "first_name", "group")),
        Kind(
            "enrolments",
            gettext_lazy("Enrolments"),
            EnrolmentResource,
            ("id_code", "discipline", "year", "term", "section"),
        ),
    )
}


@dataclass(frozen=True)
class Problem:
    """Why the file cannot be imported: a row's problem, or the file's (row None)."""

    row: int | None
    message: str


@dataclass(frozen=True)
class Outcome:
    """What a good row does: `new`, `update` or `skip` (unchanged)."""

    row: int
    action: str
    summary: str


@dataclass(frozen=True)
class ImportReport:
    kind: str
    file_name: str
    problems: tuple[Problem, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def created(self) -> int:
        return sum(o.action == RowResult.IMPORT_TYPE_NEW for o in self.outcomes)

    @property
    def updated(self) -> int:
        return sum(o.action == RowResult.IMPORT_TYPE_UPDATE for o in self.outcomes)

    @property
    def unchanged(self) -> int:
        return sum(o.action == RowResult.IMPORT_TYPE_SKIP for o in self.outcomes)


def preview_import(kind: str, upload: Upload, by: User) -> ImportReport:
    """What the file would create and update, or its problems; nothing is kept (a rolled-back dry run)."""
    return _import(kind, upload, by, dry_run=True)


@transaction.atomic
def run_import(kind: str, upload: Upload, by: User) -> ImportReport:
    """Import every row of the file, or none if any row has a problem."""
    return _import(kind, upload, by, dry_run=False)


def template_file(kind: str, extension: str) -> tuple[bytes, str]:
    """An empty file with the kind's header row, and its content type."""
    dataset = tablib.Dataset(headers=[c.name for c in KINDS[kind].columns])
    if extension == "csv":
        # The byte-order mark makes Excel open the file as UTF-8 (Kazakh letters intact).
        return ("\ufeff" + base_formats.CSV().export_data(dataset)).encode(), "text/csv; charset=utf-8"
    if extension == "xlsx":
        xlsx = base_formats.XLSX()
        return xlsx.export_data(dataset), xlsx.get_content_type()
    raise KeyError(extension)


def _import(kind_key: str, upload: Upload, by: User, *, dry_run: bool) -> ImportReport:
    if not can_import(by):
        raise PermissionDenied
    kind = KINDS[kind_key]
    name = upload.name or ""
    try:
        table = read_table(name, upload.read(MAX_BYTES + 1))
    except UnreadableFile as exc:
        return ImportReport(kind.key, name, (Problem(None, str(exc)),))
    header_problems = _header_problems(kind, table.headers)
    if header_problems:
        return ImportReport(kind.key, name, header_problems)
    dataset = tablib.Dataset(*(list(values) for _n, values in table.rows), headers=list(table.headers))
    resource = kind.resource(by=by, scope=registrar_scope(by), prechecked=_problems_in_file(kind, table))
    with transaction.atomic():
        result = resource.import_data(
            dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
        )
        problems = _result_problems(result, [n for n, _v in table.rows])
        if problems or dry_run:
            transaction.set_rollback(True)
    outcomes = () if problems else _outcomes(kind, table, result)
    return ImportReport(kind.key, name, problems, outcomes, committed=not (problems or dry_run))


def _header_problems(kind: Kind, headers: tuple[str, ...]) -> tuple[Problem, ...]:
    known = [c.name for c in kind.columns]
    unknown = [h for h in headers if h not in known]
    missing = [c.name for c in kind.columns if c.required and c.name not in headers]
    problems = []
    if unknown:
        problems.append(
            _("Unknown columns: %(columns)s. The columns of this import are: %(known)s.")
            % {"columns": ", ".join(unknown), "known": ", ".join(known)}
        )
    if missing:
        problems.append(_("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)})
    return tuple(Problem(None, message) for message in problems)


def _problems_in_file(kind: Kind, table: Table) -> dict[int, list[str]]:
    """Problems seen only across rows (the same key twice) or in the raw cells, by dataset index."""
    problems: dict[int, list[str]] = defaultdict(list)
    for index, (number, _values) in enumerate(table.rows, 1):
        if number in table.overflowing:
            problems[index].append(_("The row has more cells than the header row has columns."))
    for key in kind.resource.file_keys:
        defaults = dict(key.defaults)
        first_seen: dict[tuple[str, ...], int] = {}
        for index, (number, values) in enumerate(table.rows, 1):
            row = dict(zip(table.headers, values, strict=True))
            parts = tuple(row.get(column, "") or defaults.get(column, "") for column in key.columns)
            if not all(parts):
                continue  # an empty key is the row's own problem, reported by the import
            folded = tuple(part.casefold() for part in parts)
            if folded in first_seen:
                problems[index].append(str(key.message) % {"value": " / ".join(parts), "first": first_seen[folded]})
            else:
                first_seen[folded] = number
    return problems


def _result_problems(result: Result, numbers: list[int]) -> tuple[Problem, ...]:
    """django-import-export's findings, with its dataset index turned into the spreadsheet's row number."""
    problems = [Problem(None, _("The import failed: %(error)s") % {"error": e.error}) for e in result.base_errors]
    by_row: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for invalid in result.invalid_rows:
        for key, messages in invalid.error_dict.items():
            by_row[invalid.number].extend((key, message) for message in messages)
    for error_row in result.error_rows:
        for error in error_row.errors:
            logger.error("Import row %s failed", error_row.number, exc_info=error.error)
            by_row[error_row.number].append(
                (NON_FIELD_ERRORS, _("Unexpected error: %(error)s") % {"error": error.error})
            )
    for index in sorted(by_row):
        row = numbers[index - 1]
        problems.extend(Problem(row, _row_message(row, key, message)) for key, message in by_row[index])
    return tuple(problems)


def _row_message(row: int, column: str, reason: str) -> str:
    if column == NON_FIELD_ERRORS:
        return _("Row %(row)d: %(reason)s") % {"row": row, "reason": reason}
    return _("Row %(row)d, column %(column)s: %(reason)s") % {"row": row, "column": column, "reason": reason}


def _outcomes(kind: Kind, table: Table, result: Result) -> tuple[Outcome, ...]:
    outcomes = []
    for (number, values), row_result in zip(table.rows, result.rows, strict=True):
        row = dict(zip(table.headers, values, strict=True))
        summary = " · ".join(row[c] for c in kind.summary if row.get(c))
        outcomes.append(Outcome(number, row_result.import_type, summary))
    return tuple(outcomes)
