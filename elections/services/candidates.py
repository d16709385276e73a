"""EL-03 to EL-06, EL-10: applying, the director's recommendation, and the commission's review.

A student applies online while registration is open (EL-05) and only when eligible (EL-03, EL-04);
the portfolio can change until the deadline; the institute director recommends in the portal (or
the candidate uploads the letter); the commission registers a complete, eligible application after
the EL-06 check of the programme, or refuses it with a reason; the candidate is told either way.
The commission also approves the standard information shown on the ballot (EL-10).
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from elections import rules
from elections.errors import ElectionError
from elections.models import Candidate, CommissionMember, Election
from elections.permissions import require_commission
from elections.services import eligibility, portfolio
from portal.models import Role, RoleAssignment, StudentProfile, User
from portal.notifications import notify
from portal.permissions import groups_in_scope, holds_role_over_group

Status = Candidate.Status
Phase = rules.Phase

# The candidacy workflow: which statuses each act starts from.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "apply": (Status.WITHDRAWN,),  # a withdrawn candidacy may be filed again while registration is open
    "edit": (Status.APPLIED,),
    "withdraw": (Status.APPLIED, Status.REGISTERED),
    "recommend": (Status.APPLIED,),
    "register": (Status.APPLIED,),
    "refuse": (Status.APPLIED, Status.REGISTERED),
    "standard_info": (Status.APPLIED, Status.REGISTERED),
}


def _allow(act: str, candidate: Candidate) -> None:
    if candidate.status not in TRANSITIONS[act]:
        raise ElectionError(
            _("This cannot be done to a candidacy that is “%(status)s”.") % {"status": candidate.get_status_display()}
        )


def _save(candidate: Candidate, actor: User | None, fields: list[str] | None = None) -> None:
    candidate._history_user = actor  # type: ignore[attr-defined]
    candidate.save(update_fields=fields)


def _url(election: Election) -> str:
    return reverse("elections:candidacy", args=[election.pk])


def student_of(user: User) -> StudentProfile:
    """The user's student record; only students stand."""
    student = (
        StudentProfile.objects.select_related("user", "group__programme__department__institute")
        .filter(user=user)
        .first()
    )
    if student is None:
        raise PermissionDenied
    return student


def _lock(election: Election) -> Election:
    return Election.objects.select_related("academic_year").select_for_update().get(pk=election.pk)


def _registration_open(election: Election, now: datetime) -> None:
    """EL-05: applications and changes to them only while registration is open (deadline day included)."""
    if not rules.registration_open(election.stored_phase, election.schedule, now):
        if election.stored_phase < Phase.REGISTRATION:
            raise ElectionError(_("Candidate registration has not opened yet."))
        raise ElectionError(
            _("Candidate registration closed at the end of %(day)s.")
            % {"day": election.registration_deadline.strftime("%d.%m.%Y")}
        )


def _check_programme(programme: str) -> str:
    programme = programme.strip()
    if rules.programme_too_long(programme):
        raise ElectionError(
            _("The election programme has %(count)d words; at most %(max)d are allowed.")
            % {"count": rules.word_count(programme), "max": rules.PROGRAMME_MAX_WORDS}
        )
    return programme


def _ineligible(check: eligibility.Eligibility, lead: str) -> ElectionError:
    return ElectionError(f"{lead} {' '.join(check.explanations)}")


def deans_of(student: StudentProfile) -> list[User]:
    """The deans (institute directors) whose scope covers the student's group."""
    group = student.group
    department = group.programme.department
    scope = Q(group=group) | Q(department=department) | Q(institute_id=department.institute_id)
    rows = RoleAssignment.objects.active().filter(role=Role.DEAN).filter(scope).select_related("user")
    return list({a.user_id: a.user for a in rows}.values())


def _checked_files(
    photo: UploadedFile | None, cv: UploadedFile | None, recommendation: UploadedFile | None
) -> dict[str, ContentFile]:
    """EL-05: every upload sniffed and size-checked before any is stored."""
    files = {}
    if photo is not None:
        files["photo"] = portfolio.checked_photo(photo)
    if cv is not None:
        files["cv"] = portfolio.checked_pdf(cv, _("The CV"), "cv")
    if recommendation is not None:
        letter = _("The recommendation letter")
        files["recommendation"] = portfolio.checked_pdf(recommendation, letter, "recommendation")
    return files


@transaction.atomic
def apply(
    user: User,
    election: Election,
    *,
    intent: str,
    programme: str,
    photo: UploadedFile | None,
    cv: UploadedFile | None,
    recommendation: UploadedFile | None = None,
    now: datetime | None = None,
) -> Candidate:
    """EL-03 to EL-05: a student files their candidacy with the portfolio; the transcript is attached
    from academics. Everything is checked before anything is stored."""
    now = now or timezone.now()
    student = student_of(user)
    election = _lock(election)
    _registration_open(election, now)
    existing = Candidate.objects.filter(election=election, student=student).first()
    if existing is not None:
        if existing.status != Status.WITHDRAWN:
            raise ElectionError(_("You have already applied in this election."))
        _allow("apply", existing)
    check = eligibility.check(student, election, timezone.localdate(now))
    if not check.eligible:
        raise _ineligible(check, _("You cannot stand in this election:"))
    programme = _check_programme(programme)
    if not intent.strip():
        raise ElectionError(_("Write your application of intent (Appendix 2)."))
    if photo is None or cv is None:
        raise ElectionError(_("Upload your photo and your CV."))
    files = _checked_files(photo, cv, recommendation)
    candidate = existing or Candidate(election=election, student=student)
    candidate.status = Status.APPLIED
    candidate.intent = intent.strip()
    candidate.programme = programme
    candidate.eligibility_reasons = []
    candidate.programme_checked = False
    candidate.reviewed_by = None
    candidate.reviewed_at = None
    candidate.refusal_reason = ""
    candidate.applied_at = now
    for field, content in files.items():
        getattr(candidate, field).save(content.name, content, save=False)
    candidate.transcript = portfolio.attach_transcript(student, user)
    try:
        with transaction.atomic():
            _save(candidate, user)
    except IntegrityError:  # the same student in another tab, a moment earlier
        raise ElectionError(_("You have already applied in this election.")) from None
    notify(
        [user],
        _("Your application is received"),
        _("The election commission will review your application for %(election)s.") % {"election": election},
        _url(election),
    )
    if not candidate.recommendation:
        notify(
            deans_of(student),
            _("A candidate awaits your recommendation"),
            _("%(name)s applied in %(election)s; the institute director's recommendation is part of the portfolio.")
            % {"name": user.full_name, "election": election},
            reverse("elections:recommendations"),
        )
    return candidate


def _own(user: User, candidate: Candidate) -> Candidate:
    locked = Candidate.objects.select_for_update().select_related("student__user").get(pk=candidate.pk)
    if locked.student.user_id != user.pk:
        raise PermissionDenied
    return locked


@transaction.atomic
def update_portfolio(
    user: User,
    candidate: Candidate,
    *,
    intent: str,
    programme: str,
    photo: UploadedFile | None = None,
    cv: UploadedFile | None = None,
    recommendation: UploadedFile | None = None,
    now: datetime | None = None,
) -> Candidate:
    """EL-05: the candidate changes the portfolio until the registration deadline (new files replace old)."""
    now = now or timezone.now()
    election = _lock(candidate.election)
    candidate = _own(user, candidate)
    _registration_open(election, now)
    _allow("edit", candidate)
    programme = _check_programme(programme)
    if not intent.strip():
        raise ElectionError(_("Write your application of intent (Appendix 2)."))
    files = _checked_files(photo, cv, recommendation)
    candidate.intent = intent.strip()
    candidate.programme = programme
    for field, content in files.items():
        getattr(candidate, field).save(content.name, content, save=False)
    if candidate.transcript_id is None:
        candidate.transcript = portfolio.attach_transcript(candidate.student, user)
    _save(candidate, user)
    return candidate


@transaction.atomic
def withdraw(user: User, candidate: Candidate, now: datetime | None = None) -> Candidate:
    """A candidate withdraws, until the candidate list is published."""
    election = _lock(candidate.election)
    candidate = _own(user, candidate)
    _allow("withdraw", candidate)
    if election.candidates_published_at is not None or election.stored_phase > Phase.REGISTRATION:
        raise ElectionError(_("The candidate list is published: a candidacy can no longer be withdrawn."))
    was_registered = candidate.status == Status.REGISTERED
    candidate.status = Status.WITHDRAWN
    _save(candidate, user, ["status"])
    notify([user], _("Your candidacy is withdrawn"), str(election), _url(election))
    if was_registered:
        members = User.objects.filter(commission_seats__election=election)
        notify(
            members,
            _("A registered candidate withdrew"),
            _("%(name)s withdrew from %(election)s.") % {"name": user.full_name, "election": election},
            reverse("elections:candidates", args=[election.pk]),
        )
    return candidate


def can_recommend(user: User, candidate: Candidate) -> bool:
    """The dean (institute director) over the candidate's group."""
    return holds_role_over_group(user, (Role.DEAN,), candidate.student.group)


@transaction.atomic
def recommend(dean: User, candidate: Candidate, now: datetime | None = None) -> Candidate:
    """EL-05: the institute director recommends the candidate in the portal (instead of a letter)."""
    now = now or timezone.now()
    candidate = Candidate.objects.select_for_update().select_related("student__user", "election").get(pk=candidate.pk)
    if not can_recommend(dean, candidate):
        raise PermissionDenied
    _allow("recommend", candidate)
    if candidate.election.stored_phase != Phase.REGISTRATION:
        raise ElectionError(_("Registration is over: the commission has the portfolio as it is."))
    if candidate.recommended_by_id is not None:
        raise ElectionError(_("This candidate is already recommended."))
    candidate.recommended_by = dean
    candidate.recommended_at = now
    _save(candidate, dean, ["recommended_by", "recommended_at"])
    notify(
        [candidate.student.user],
        _("The institute director recommended you"),
        _("%(dean)s recommended your candidacy in %(election)s.")
        % {"dean": dean.full_name, "election": candidate.election},
        _url(candidate.election),
    )
    return candidate


def awaiting_recommendation(user: User) -> QuerySet[Candidate]:
    """Applications in the dean's scope still without a recommendation, in elections still registering."""
    return Candidate.objects.filter(
        status=Status.APPLIED,
        recommended_by__isnull=True,
        recommendation="",
        election__phase=Phase.REGISTRATION.name,
        student__group__in=groups_in_scope(user, (Role.DEAN,)),
    )


def _decision(actor: User, candidate: Candidate) -> tuple[Candidate, CommissionMember]:
    candidate = (
        Candidate.objects.select_for_update()
        .select_related("student__user", "student__group__programme__department__institute", "election")
        .get(pk=candidate.pk)
    )
    member = require_commission(actor, candidate.election)
    if candidate.election.stored_phase != Phase.REGISTRATION:
        raise ElectionError(_("Candidates are registered or refused only until the candidate list is published."))
    return candidate, member


@transaction.atomic
def register_candidate(
    actor: User,
    candidate: Candidate,
    *,
    programme_checked: bool,
    standard_info: str,
    now: datetime | None = None,
) -> Candidate:
    """EL-05, EL-06, EL-10: the commission registers an eligible candidate with a complete portfolio,
    recording that the programme incites no social, racial, national, religious, class or clan
    discrimination, and approves the standard information shown on the ballot."""
    now = now or timezone.now()
    candidate, _member = _decision(actor, candidate)
    _allow("register", candidate)
    check = eligibility.check(candidate.student, candidate.election, timezone.localdate(now))
    if not check.eligible:
        raise _ineligible(check, _("The student cannot stand:"))
    missing = portfolio.missing_items(candidate)
    if missing:
        raise ElectionError(
            _("The portfolio is incomplete: %(items)s.") % {"items": ", ".join(m.label for m in missing)}
        )
    _check_programme(candidate.programme)
    if not programme_checked:
        raise ElectionError(
            _(
                "Confirm that the programme does not incite social, racial, national, religious, class or clan "
                "discrimination before registering."
            )
        )
    if not standard_info.strip():
        raise ElectionError(_("Approve the standard information shown on the ballot."))
    candidate.status = Status.REGISTERED
    candidate.programme_checked = True
    candidate.standard_info = standard_info.strip()
    candidate.eligibility_reasons = []
    candidate.reviewed_by = actor
    candidate.reviewed_at = now
    candidate.refusal_reason = ""
    _save(candidate, actor)
    notify(
        [candidate.student.user],
        _("You are registered as a candidate"),
        _("The election commission registered you as a candidate in %(election)s.") % {"election": candidate.election},
        _url(candidate.election),
    )
    return candidate


@transaction.atomic
def refuse_candidate(actor: User, candidate: Candidate, reason: str, now: datetime | None = None) -> Candidate:
    """EL-05: the commission refuses an application, always with a reason the candidate reads."""
    now = now or timezone.now()
    candidate, _member = _decision(actor, candidate)
    _allow("refuse", candidate)
    if not reason.strip():
        raise ElectionError(_("Give the reason for the refusal: the candidate is told it."))
    check = eligibility.check(candidate.student, candidate.election, timezone.localdate(now))
    candidate.status = Status.REFUSED
    candidate.refusal_reason = reason.strip()
    candidate.eligibility_reasons = list(check.reasons)
    candidate.reviewed_by = actor
    candidate.reviewed_at = now
    _save(candidate, actor)
    notify(
        [candidate.student.user],
        _("Your application is refused"),
        _("The election commission refused your application in %(election)s. Reason: %(reason)s")
        % {"election": candidate.election, "reason": candidate.refusal_reason},
        _url(candidate.election),
    )
    return candidate


def default_standard_info(candidate: Candidate) -> str:
    """EL-10: a first draft of the standard information, for the commission to edit and approve."""
    student = candidate.student
    return _("%(name)s, year %(year)d student of %(institute)s, group %(group)s.") % {
        "name": student.user.full_name,
        "year": student.year_of_study,
        "institute": student.group.programme.department.institute,
        "group": student.group,
    }


@transaction.atomic
def approve_standard_info(actor: User, candidate: Candidate, text: str, now: datetime | None = None) -> Candidate:
    """EL-10: the commission edits and approves the standard information set shown on the ballot, until
    voting opens."""
    now = now or timezone.now()
    candidate = Candidate.objects.select_for_update().select_related("election").get(pk=candidate.pk)
    require_commission(actor, candidate.election)
    _allow("standard_info", candidate)
    if candidate.election.phase_at(now) >= Phase.VOTING:
        raise ElectionError(_("Voting has begun: the ballot can no longer change."))
    if not text.strip():
        raise ElectionError(_("The standard information cannot be empty."))
    candidate.standard_info = text.strip()
    _save(candidate, actor, ["standard_info"])
    return candidate
