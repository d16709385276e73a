"""PT-07: render a Django template to PDF bytes with WeasyPrint, and store issued documents.

Every document extends `pdf/base.html`: the university header, the registration number and date
where given, and "page x of y" in the footer. Fonts are DejaVu (Debian's fonts-dejavu-core),
which cover Kazakh Cyrillic (Ә Ғ Қ Ң Ө Ұ Ү Һ І).
"""

import hashlib
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from portal.models import Document, University, User


def render_pdf(
    template_name: str,
    context: dict[str, Any] | None = None,
    *,
    registration_number: str = "",
    registration_date: date | None = None,
    language: str | None = None,
) -> bytes:
    """Render `template_name` (which extends pdf/base.html) to PDF bytes."""
    ctx = {
        "university": University.objects.first(),
        "registration_number": registration_number,
        "registration_date": registration_date,
        **(context or {}),
    }
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        html = render_to_string(template_name, ctx)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def issue_document(
    *,
    kind: str,
    title: str,
    pdf: bytes,
    registration_number: str = "",
    registration_date: date | None = None,
    created_by: User | None = None,
) -> Document:
    """Store a rendered document with its registration number and SHA-256 checksum."""
    digest = hashlib.sha256(pdf).hexdigest()
    doc = Document(
        kind=kind,
        title=title,
        registration_number=registration_number,
        registration_date=registration_date,
        sha256=digest,
        created_by=created_by,
    )
    doc.file.save(f"{kind}-{digest[:12]}.pdf", ContentFile(pdf), save=False)
    doc.save()
    return doc
