"""Reading an uploaded CSV or XLSX file into plain text cells, keeping the spreadsheet's row numbers."""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath

from django.utils.translation import gettext as _

EXTENSIONS = (".csv", ".xlsx")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


class UnreadableFile(Exception):
    """The file as a whole cannot be imported; the message is translated and shown to the user."""


@dataclass(frozen=True)
class Table:
    """The header (normalised names) and the non-blank data rows, each with its spreadsheet row number."""

    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    # Rows with a filled cell to the right of the last header: reported, never silently dropped.
    overflowing: tuple[int, ...] = ()


def read_table(name: str, content: bytes) -> Table:
    """The file's first sheet (XLSX) or its text (CSV, UTF-8) as a table; UnreadableFile if it cannot be."""
    extension = PurePath(name or "").suffix.lower()
    if extension not in EXTENSIONS:
        raise UnreadableFile(_("Only .csv and .xlsx files can be imported."))
    if not content:
        raise UnreadableFile(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise UnreadableFile(
            _("The file is larger than %(size)d MB: split it into smaller files.") % {"size": MAX_BYTES // 2**20}
        )
    lines = _csv_lines(content) if extension == ".csv" else _xlsx_lines(content)
    return _table(lines)


def header_name(value: str) -> str:
    """A column name as we compare it: `Last name ` and `last_name` are the same column."""
    return "_".join(value.strip().lower().split())


def _csv_lines(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(
            _("The CSV file is not in UTF-8: in Excel choose “Save as” → “CSV UTF-8 (comma delimited)”.")
        ) from None
    first_line = text.split("\n", 1)[0]
    # Excel with Kazakh or Russian regional settings writes semicolons.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise UnreadableFile(_("The file could not be read as CSV.")) from None


def _xlsx_lines(content: bytes) -> list[list[object]]:
    import openpyxl

    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise UnreadableFile(_("The file could not be read as an Excel workbook (.xlsx)."))
    lines: list[list[object]] = []
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            for values in book.worksheets[0].iter_rows(values_only=True):
                lines.append(list(values))
                # A sheet formatted far down is cut short here; _table counts the filled rows.
                if len(lines) > 10 * MAX_ROWS:
                    break
        finally:
            book.close()
    except Exception:  # openpyxl raises many kinds (zip, XML, key errors) for a damaged workbook
        raise UnreadableFile(_("The file could not be read as an Excel workbook (.xlsx).")) from None
    if len(lines) > 10 * MAX_ROWS:
        raise _too_long()
    return lines


def _too_long() -> UnreadableFile:
    return UnreadableFile(
        _("The file has more than %(count)d rows: split it into smaller files.") % {"count": MAX_ROWS}
    )


def _cell(value: object) -> str:
    """A cell as text: Excel stores whole numbers (ID codes, years) as floats, dates as datetimes."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _table(lines: list[list[str]] | list[list[object]]) -> Table:
    cells = [[_cell(v) for v in line] for line in lines]
    header_at = next((i for i, line in enumerate(cells) if any(line)), None)
    if header_at is None:
        raise UnreadableFile(_("The file is empty."))
    if header_at:
        raise UnreadableFile(_("The first row must be the header row with the column names."))
    raw_headers = cells[0]
    while raw_headers and not raw_headers[-1]:
        raw_headers = raw_headers[:-1]
    headers = tuple(header_name(h) for h in raw_headers)
    for position, header in enumerate(headers, 1):
        if not header:
            raise UnreadableFile(_("Column %(number)d has no name in the header row.") % {"number": position})
    repeated = sorted({h for h in headers if headers.count(h) > 1})
    if repeated:
        raise UnreadableFile(_("These columns appear more than once: %(columns)s.") % {"columns": ", ".join(repeated)})
    rows: list[tuple[int, tuple[str, ...]]] = []
    overflowing: list[int] = []
    for number, line in enumerate(cells[1:], 2):
        if not any(line):
            continue
        if any(line[len(headers) :]):
            overflowing.append(number)
        rows.append((number, tuple((line + [""] * len(headers))[: len(headers)])))
        if len(rows) > MAX_ROWS:
            raise _too_long()
    if not rows:
        raise UnreadableFile(_("The file has a header row but no data rows."))
    return Table(headers, tuple(rows), tuple(overflowing))
