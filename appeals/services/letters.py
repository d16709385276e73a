"""AP-15, AP-17: the documents of a case as PDFs, rendered by the portal's one PDF service."""

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appeals.models import ApplicantType, Application
from appeals.services.filing import deans_of
from portal.documents import issue_document, render_pdf
from portal.models import Document, StudentProfile, User
from portal.models.organisation import StudyLanguage


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


STUDY_LEVELS = (
    # The form's words: higher education, internship, residency, master's, doctoral studies.
    (("bachelor",), gettext_lazy("higher education")),
    (("internship",), gettext_lazy("internship")),
    (("residency",), gettext_lazy("residency")),
    (("master",), gettext_lazy("master's studies")),
    (("doctorate",), gettext_lazy("doctoral studies")),
)


def _options(choices: Iterable[tuple[str, object]], chosen: str) -> list[tuple[str, bool]]:
    """The form's "underline what applies": every option, the applicant's marked."""
    return [(str(label), value == chosen) for value, label in choices]


def application_form_context(application: Application) -> dict[str, object]:
    """AP-17: what Appendix 1 (student) or Appendix 2 (staff) is filled with, from the case and the profile."""
    applicant = application.applicant
    student = getattr(applicant, "student", None) if applicant else None
    staff = getattr(applicant, "staff", None) if applicant else None
    context: dict[str, object] = {
        "application": application,
        "applicant": applicant,
        "appendix": 1 if application.applicant_type == ApplicantType.STUDENT else 2,
        "dean": next(iter(deans_of(application.institute)), None),
        "student": student,
        "staff": staff,
        "co_applicants": list(application.co_applicants.order_by("last_name", "first_name")),
        # Paper and e-mail applications are received by staff; the portal's are received by the portal.
        "received_by": application.filed_by if application.filed_by_id != application.applicant_id else None,
    }
    if student is not None:
        level = student.group.programme.level
        context["levels"] = [(str(label), level in values) for values, label in STUDY_LEVELS]
        context["languages"] = _options(StudyLanguage.choices, student.study_language)
        context["fundings"] = _options(StudentProfile.Funding.choices, student.funding)
    return context


def application_form_pdf(application: Application, language: str | None = None) -> bytes:
    """AP-17: the application form (Appendix 1 or 2 of the SOP) with the registration number and date."""
    context = application_form_context(application)
    # The number and date go in the form's own "Reg. No." line, not in the common header as well.
    return render_pdf(f"appeals/pdf/appendix_{context['appendix']}.html", context, language=language)
