"""AP-03 to AP-05: paper applications registered by the dean's office, and finding the people they name."""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.errors import AppealError
from appeals.models import ApplicantType, Application, Channel
from appeals.permissions import require_dean
from appeals.services.filing import Filing, applicant_type_of, register
from portal.models import Institute, User
from portal.text import kazakh_order

SEARCH_LIMIT = 20


def _word_q(word: str) -> Q:
    """One search word against the ID code and the name parts; SQLite compares only ASCII letters without
    case, so the usual spellings of a Cyrillic word are tried too."""
    q = Q(id_code__iexact=word)
    for form in {word, word.lower(), word.capitalize(), word.upper()}:
        q |= Q(last_name__icontains=form) | Q(first_name__icontains=form) | Q(patronymic__icontains=form)
    return q


def search_people(query: str, *, staff_only: bool = False) -> QuerySet[User]:
    """Students and staff of any institute by the university ID code or by name (every word must match)."""
    words = query.split()
    people = User.objects.filter(is_active=True).filter(
        Q(staff__isnull=False) if staff_only else Q(student__isnull=False) | Q(staff__isnull=False)
    )
    if not words:
        return people.none()
    for word in words:
        people = people.filter(_word_q(word))
    return people.select_related(
        "student__group__programme__department__institute", "staff__department__institute"
    ).order_by(*kazakh_order("last_name", "first_name"), "pk")[:SEARCH_LIMIT]


def person_institute(user: User) -> Institute | None:
    """The institute a person belongs to (shown next to a search result), if known."""
    student = getattr(user, "student", None)
    if student is not None:
        return student.group.programme.department.institute
    staff = getattr(user, "staff", None)
    if staff is not None and staff.department_id:
        return staff.department.institute
    return None


def find_person(id_code: str, *, staff_only: bool = False) -> User:
    """A student or staff member by the university ID code (case-insensitive)."""
    code = id_code.strip()
    user = User.objects.filter(id_code__iexact=code, is_active=True).select_related("student", "staff").first()
    if not code or user is None:
        raise AppealError(_("No one has the university ID code %(code)s.") % {"code": code})
    if staff_only and not hasattr(user, "staff"):
        raise AppealError(_("%(name)s is not a staff member.") % {"name": user.full_name})
    if not (hasattr(user, "student") or hasattr(user, "staff")):
        raise AppealError(_("%(name)s is neither a student nor a staff member.") % {"name": user.full_name})
    return user


def register_paper(
    *,
    actor: User,
    institute: Institute,
    applicant: User | None,
    filing: Filing,
    received_at: datetime | None = None,
    reports_offence: bool = False,
    forwarded_to: str = "",
) -> Application:
    """AP-03, AP-04: the dean's office registers a paper application it received, to its own institute, at
    once. AP-05: an anonymous one is registered and not considered, unless it reports a crime or a threat to
    security: then it is forwarded to the named state body at once, and the forwarding is recorded."""
    require_dean(actor, institute)
    now = timezone.now()
    received_at = received_at or now
    if received_at > now:
        raise AppealError(_("The date received cannot be in the future."))
    if applicant is None:
        applicant_type: str = ApplicantType.ANONYMOUS
    else:
        applicant_type = applicant_type_of(applicant)
        reports_offence, forwarded_to = False, ""
    return register(
        filing=filing,
        institute=institute,
        channel=Channel.PAPER,
        applicant=applicant,
        applicant_type=applicant_type,
        filed_by=actor,
        received_at=received_at,
        reports_offence=reports_offence,
        forwarded_to=forwarded_to,
    )
