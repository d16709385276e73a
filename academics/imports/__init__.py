"""The registrar's import of study groups, students and enrolments from CSV or XLSX (issue 3).

Built on django-import-export: `resources` maps rows to models, `reading` turns a file into rows with
the spreadsheet's numbers, `service` runs the import in one transaction and reports by row.
"""

from academics.imports.reading import EXTENSIONS, MAX_BYTES, MAX_ROWS
from academics.imports.scope import can_import
from academics.imports.service import KINDS, ImportReport, Outcome, Problem, preview_import, run_import, template_file

__all__ = [
    "EXTENSIONS",
    "KINDS",
    "MAX_BYTES",
    "MAX_ROWS",
    "ImportReport",
    "Outcome",
    "Problem",
    "can_import",
    "preview_import",
    "run_import",
    "template_file",
]
