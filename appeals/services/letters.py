"""AP-15, AP-17: the documents of a case as PDFs, rendered by the portal's one PDF service."""

from django.utils.translation import gettext as _

from appeals.models import Application
from portal.documents import issue_document, render_pdf
from portal.models import Document, User


def answer_letter_pdf(application: Application, language: str | None = None) -> bytes:
    """AP-15: the answer letter, with the case's registration number and date."""
    return render_pdf(
        "appeals/pdf/answer.html",
        {"application": application},
        registration_number=application.number,
        registration_date=application.answered_on,
        language=language,
    )


def store_answer_letter(application: Application, actor: User) -> Document:
    """The answer letter as issued, stored with its checksum (PT-07)."""
    return issue_document(
        kind="appeal-answer",
        title=_("Answer to application %(number)s") % {"number": application.number},
        pdf=answer_letter_pdf(application),
        registration_number=application.number,
        registration_date=application.answered_on,
        created_by=actor,
    )
