"""The text of a generated PDF as poppler reads it, for tests that check what a document says."""

import shutil
import subprocess
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "pdf"


def pdf_text(data: bytes, name: str = "", *, raw: bool = False, collapse: bool = False) -> str:
    """The PDF's text by `pdftotext -layout` (or `-raw`: the order the text was drawn in).

    With a name, `<name>.pdf` and a PNG of its first page are kept under test-artifacts/pdf to look at;
    `collapse` turns every run of whitespace into one space, for phrases that the layout may break.
    """
    assert data.startswith(b"%PDF"), data[:40]
    assert shutil.which("pdftotext"), "poppler-utils missing"
    if name:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.pdf"
        path.write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(ARTIFACTS / name)], check=True
        )
    mode = "-raw" if raw else "-layout"
    text = subprocess.run(["pdftotext", mode, "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return " ".join(text.split()) if collapse else text
