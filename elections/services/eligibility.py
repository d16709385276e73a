"""EL-03, EL-04: whether a student may stand, read from the academic record and the role history.

The rule itself is `rules.ineligibility_reasons` (pure); this module gathers its inputs: the year of
study, academic debts and valid sanctions through academics' public `standing` service, leadership
experience from every portal role assignment the person ever held (expired ones count) or an earlier
mandate, and the consecutive terms already served in the same office.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from academics.services.standing import standing
from elections import rules
from elections.models import Election, Mandate
from portal.models import Role, RoleAssignment, StudentProfile

# EL-03: leadership experience ("group head, student council member, student dean, ...", 8.2.1).
LEADERSHIP_ROLES = (Role.GROUP_HEAD, Role.SG_OFFICER, Role.SG_PRESIDENT, Role.CLUB_LEADER)


@dataclass(frozen=True)
class Eligibility:
    """The record EL-03/EL-04 looked at, the reason codes, and what to tell the person."""

    record: rules.CandidateRecord
    reasons: tuple[str, ...]
    explanations: tuple[str, ...]
    leadership: tuple[str, ...]

    @property
    def eligible(self) -> bool:
        return not self.reasons


def leadership(student: StudentProfile, election: Election, today: date) -> tuple[list[str], list[str]]:
    """Role codes (and mandate markers) of past or current leadership, and a readable line for each."""
    assignments = (
        RoleAssignment.objects.filter(user_id=student.user_id, role__in=LEADERSHIP_ROLES)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .select_related("group", "institute", "department")
        .order_by("valid_from", "pk")
    )
    codes: list[str] = []
    lines: list[str] = []
    for a in assignments:
        codes.append(a.role)
        scope = a.group or a.department or a.institute
        period = ""
        if a.valid_from or a.valid_until:
            start = f"{a.valid_from:%d.%m.%Y}" if a.valid_from else "…"
            end = f"{a.valid_until:%d.%m.%Y}" if a.valid_until else "…"
            period = f"{start}–{end}"
        lines.append(", ".join(str(p) for p in (Role(a.role).label, scope, period) if p))
    mandates = Mandate.objects.filter(
        holder=student, academic_year__start_year__lt=election.academic_year.start_year
    ).select_related("academic_year")
    for m in mandates:
        codes.append(f"mandate:{m.position}")
        lines.append(f"{m.get_position_display()}, {m.academic_year}")
    return codes, lines


def leadership_lines(student: StudentProfile, election: Election) -> list[str]:
    """Readable lines of the student's leadership experience (Appendix 1: membership in active bodies)."""
    return leadership(student, election, timezone.localdate())[1]


def held_terms(student: StudentProfile, election: Election) -> list[int]:
    """EL-04: the academic years (by start year) the student held this election's office."""
    return list(
        Mandate.objects.filter(holder=student, position=election.position).values_list(
            "academic_year__start_year", flat=True
        )
    )


def check(student: StudentProfile, election: Election, today: date | None = None) -> Eligibility:
    """EL-03, EL-04: the student's eligibility for `election` as of `today`, with the reasons explained."""
    today = today or timezone.localdate()
    record_now = standing(student, today=today)
    codes, lines = leadership(student, election, today)
    years = held_terms(student, election)
    record = rules.CandidateRecord(
        year_of_study=record_now.year_of_study,
        enrolled=student.status == StudentProfile.Status.ENROLLED,
        valid_sanctions=len(record_now.sanctions),
        academic_debts=len(record_now.debts),
        leadership_roles=tuple(codes),
        consecutive_terms_held=rules.consecutive_terms(years, election.academic_year.start_year),
    )
    reasons = tuple(rules.ineligibility_reasons(record))
    details = {
        "status": student.get_status_display(),
        "sanctions": "; ".join(record_now.sanctions),
        "debts": "; ".join(f"{d.discipline} ({d.term}{', ' + d.letter if d.letter else ''})" for d in record_now.debts),
    }
    return Eligibility(
        record=record,
        reasons=reasons,
        explanations=tuple(explain(code, record, details) for code in reasons),
        leadership=tuple(lines),
    )


def _years() -> str:
    *first, last = rules.CANDIDATE_YEARS
    return _("%(first)s or %(last)s") % {"first": ", ".join(str(y) for y in first), "last": last}


def explain(code: str, record: rules.CandidateRecord, details: dict[str, str] | None = None) -> str:
    """A translated sentence for one reason code, with the numbers that decided it. The sentences are
    neutral, so the student and the commission read the same text."""
    details = details or {}
    if code == "not_enrolled":
        return _("Status “%(status)s”: only enrolled students can stand.") % {"status": details.get("status", "")}
    if code == "year_of_study":
        return _("Year of study %(year)d: candidates are in year %(years)s.") % {
            "year": record.year_of_study,
            "years": _years(),
        }
    if code == "sanction":
        text = ngettext(
            "%(count)d valid disciplinary sanction: a candidate must have none.",
            "%(count)d valid disciplinary sanctions: a candidate must have none.",
            record.valid_sanctions,
        ) % {"count": record.valid_sanctions}
        return f"{text} {details['sanctions']}" if details.get("sanctions") else text
    if code == "academic_debt":
        text = ngettext(
            "%(count)d academic debt: a candidate must have none.",
            "%(count)d academic debts: a candidate must have none.",
            record.academic_debts,
        ) % {"count": record.academic_debts}
        return f"{text} {details['debts']}" if details.get("debts") else text
    if code == "no_leadership":
        return _(
            "No leadership experience in the role history: a candidate has been a group head, a Student "
            "Government officer or president, a club leader, or held an elected office before."
        )
    if code == "term_limit":
        return _(
            "%(count)d consecutive terms in this office already: nobody holds it for more than %(max)d terms in a row."
        ) % {"count": record.consecutive_terms_held, "max": rules.MAX_CONSECUTIVE_TERMS}
    return code


def reason_label(code: str) -> str:
    """A short translated label for a stored reason code (lists and badges)."""
    labels = {
        "not_enrolled": _("not enrolled"),
        "year_of_study": _("year of study"),
        "sanction": _("disciplinary sanction"),
        "academic_debt": _("academic debt"),
        "no_leadership": _("no leadership experience"),
        "term_limit": _("two consecutive terms"),
    }
    return labels.get(code, code)
