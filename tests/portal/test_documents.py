"""PT-07: documents render to PDF with Cyrillic/Kazakh fonts, the shared layout and registration data."""

import hashlib
import io
import shutil
import subprocess
from datetime import date

import pytest
from django.utils import translation
from pypdf import PdfReader

from portal.documents import issue_document, render_pdf
from tests.factories import UniversityFactory, make_student

pytestmark = pytest.mark.django_db
KAZAKH_WORDS = ["Әбілов", "Ерлан", "Серікұлы", "Сынақ", "университеті"]


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_pt07_pdf_keeps_kazakh_words_intact():
    """PT-07: the PDF's extracted text holds Kazakh words (ә, ұ, қ, і) intact, with header and registration."""
    UniversityFactory.create()
    student = make_student()
    pdf = render_pdf(
        "portal/pdf/sample.html",
        {"student": student, "extra_lines": ["Ғылыми кеңес Өскемен Үміт Һ Іңкәр"]},
        registration_number="01-12/345",
        registration_date=date(2026, 11, 23),
        language="kk",
    )
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)[0]
    for word in [*KAZAKH_WORDS, "Ғылыми", "Өскемен", "Үміт", "Іңкәр", "Оқу анықтамасы"]:
        assert word in text, word
    assert "01-12/345" in text
    assert "23.11.2026" in text
    assert "Бет 1 / 1" in text


def test_pt07_page_x_of_y_on_every_page():
    """PT-07: a long document numbers its pages 'page x of y'."""
    UniversityFactory.create()
    student = make_student()
    pdf = render_pdf("portal/pdf/sample.html", {"student": student, "extra_lines": ["Жол"] * 120}, language="ru")
    pages = _text(pdf)
    assert len(pages) >= 2
    for i, text in enumerate(pages, start=1):
        assert f"Страница {i} из {len(pages)}" in text


def test_pt07_document_language_follows_the_request():
    """PT-07/PT-02: the same template in English."""
    UniversityFactory.create()
    with translation.override("en"):
        text = _text(render_pdf("portal/pdf/sample.html", {"student": make_student()}))[0]
    assert "Certificate of study" in text
    assert "Test University" in text


def test_pt07_issued_document_is_stored_with_number_and_checksum():
    """PT-07: an issued document keeps its registration number and a SHA-256 of its bytes."""
    UniversityFactory.create()
    pdf = render_pdf("portal/pdf/sample.html", {"student": make_student()}, registration_number="7")
    doc = issue_document(kind="certificate", title="Анықтама", pdf=pdf, registration_number="7")
    assert doc.sha256 == hashlib.sha256(pdf).hexdigest()
    with doc.file.open("rb") as fh:
        assert fh.read() == pdf


def test_pt07_pdf_rasterises(tmp_path):
    """PT-07: the PDF is a real document that poppler (installed by make test) renders to an image."""
    assert shutil.which("pdftoppm"), "poppler-utils missing: run make test, which installs it"
    UniversityFactory.create()
    pdf = render_pdf("portal/pdf/sample.html", {"student": make_student()}, registration_number="01-12/345")
    (tmp_path / "doc.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(tmp_path / "doc.pdf"), str(tmp_path / "page")], check=True)
    assert list(tmp_path.glob("page*.png"))
