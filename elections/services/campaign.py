"""EL-07 to EL-10: campaign material and meetings with voters.

Campaigning runs from the publication of the candidate list until 24:00 before silence day (EL-08).
Every action reads the clock (`campaign_closed`), so material is refused and hidden on silence day and
election day even if the scheduled job that sets `hidden` has not run yet. The administration (DESW and
youth policy, EL-09) approves material and meetings; every candidate gets the same number of meetings,
held in breaks or after classes (`settings.ELECTION_MEETING_WINDOWS`), never two at once in one place.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from elections import rules
from elections.errors import ElectionError
from elections.models import CampaignMaterial, Candidate, CommissionMember, Election, MeetingRequest
from elections.permissions import is_administration, require_administration
from portal.models import User
from portal.notifications import notify
from portal.uploads import UploadRejected, checked_upload

Phase = rules.Phase


def material_places() -> list[tuple[str, str]]:
    """EL-09: the designated places for campaign material (settings.ELECTION_CAMPAIGN_PLACES)."""
    return [(code, str(label)) for code, label in settings.ELECTION_CAMPAIGN_PLACES]


def place_label(code: str) -> str:
    return dict(material_places()).get(code, code)


def meeting_windows() -> list[tuple[time, time]]:
    """EL-09: the breaks and the time after classes (settings.ELECTION_MEETING_WINDOWS)."""
    return [(time.fromisoformat(start), time.fromisoformat(end)) for start, end in settings.ELECTION_MEETING_WINDOWS]


def windows_text() -> str:
    return ", ".join(f"{start:%H:%M}–{end:%H:%M}" for start, end in meeting_windows())


def _last_campaign_day(election: Election) -> str:
    return (election.schedule.silence_starts_at - timedelta(days=1)).strftime("%d.%m.%Y")


def campaign_closed(election: Election, now: datetime) -> str | None:
    """EL-08: why campaigning is not allowed at `now` (a message), or None while the campaign runs."""
    phase = election.phase_at(now)
    if phase < Phase.CAMPAIGN:
        return _("The campaign starts when the commission publishes the candidate list.")
    if phase == Phase.CAMPAIGN and not rules.campaign_blackout(election.schedule, now):
        return None
    values = {"last_day": _last_campaign_day(election), "day": election.election_day.strftime("%d.%m.%Y")}
    if now < election.schedule.campaign_blackout_ends_at:
        return (
            _(
                "Campaigning ended at 24:00 on %(last_day)s: on silence day and on election day (%(day)s) no "
                "campaign material or meeting is accepted."
            )
            % values
        )
    return _("The campaign is over: campaigning ended at 24:00 on %(last_day)s.") % values


def _require_open(election: Election, now: datetime) -> None:
    reason = campaign_closed(election, now)
    if reason:
        raise ElectionError(reason)


def own_candidacy(user: User, election: Election) -> Candidate:
    """The user's registered candidacy in the election; anyone else may not campaign (403)."""
    candidate = (
        Candidate.objects.select_related("student__user")
        .filter(election=election, student__user=user, status=Candidate.Status.REGISTERED)
        .first()
    )
    if candidate is None:
        raise PermissionDenied
    return candidate


def sniff_upload(upload: UploadedFile) -> str:
    """The file's real kind (jpg, png or pdf), checked by portal.uploads; a refusal is an ElectionError."""
    try:
        return checked_upload(upload)
    except UploadRejected as error:
        raise ElectionError(str(error)) from None


@transaction.atomic
def submit_material(
    user: User,
    election: Election,
    *,
    title: str,
    body: str,
    place: str,
    file: UploadedFile | None = None,
    now: datetime | None = None,
) -> CampaignMaterial:
    """EL-08, EL-09: a registered candidate submits campaign material for the administration's approval,
    only while the campaign runs (never on silence day or election day, whatever the stored phase)."""
    now = now or timezone.now()
    candidate = own_candidacy(user, election)
    _require_open(election, now)
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise ElectionError(_("Give the material a title and a text."))
    if place not in dict(material_places()):
        raise ElectionError(_("Choose one of the designated places."))
    material = CampaignMaterial(candidate=candidate, title=title[:200], body=body, place=place)
    if file is not None:
        file.name = f"material.{sniff_upload(file)}"
        material.file = file
    material._history_user = user  # type: ignore[attr-defined]
    material.save()
    return material


def _decided_material(material: CampaignMaterial) -> CampaignMaterial:
    locked = (
        CampaignMaterial.objects.select_for_update(of=("self",))
        .select_related("candidate__election", "candidate__student__user")
        .get(pk=material.pk)
    )
    if locked.status != CampaignMaterial.Status.PENDING:
        raise ElectionError(_("This material has already been decided."))
    return locked


def _campaign_url(election: Election) -> str:
    return reverse("elections:campaign_mine", args=[election.pk])


@transaction.atomic
def approve_material(actor: User, material: CampaignMaterial, now: datetime | None = None) -> CampaignMaterial:
    """EL-09: the administration approves material; it appears on the campaign page while campaigning lasts."""
    now = now or timezone.now()
    require_administration(actor)
    material = _decided_material(material)
    election = material.candidate.election
    _require_open(election, now)
    material.status = CampaignMaterial.Status.APPROVED
    material.decided_by = actor
    material.decision_note = ""
    material._history_user = actor  # type: ignore[attr-defined]
    material.save(update_fields=["status", "decided_by", "decision_note"])
    notify(
        [material.candidate.student.user],
        _("Your campaign material is approved: %(title)s") % {"title": material.title},
        _("It is shown on the campaign page and may be posted at: %(place)s.") % {"place": place_label(material.place)},
        _campaign_url(election),
    )
    return material


@transaction.atomic
def refuse_material(actor: User, material: CampaignMaterial, reason: str) -> CampaignMaterial:
    """EL-09: the administration refuses material, with the reason the candidate is told."""
    require_administration(actor)
    reason = reason.strip()
    if not reason:
        raise ElectionError(_("Give the reason for refusing."))
    material = _decided_material(material)
    material.status = CampaignMaterial.Status.REFUSED
    material.decided_by = actor
    material.decision_note = reason
    material._history_user = actor  # type: ignore[attr-defined]
    material.save(update_fields=["status", "decided_by", "decision_note"])
    notify(
        [material.candidate.student.user],
        _("Your campaign material is refused: %(title)s") % {"title": material.title},
        _("Reason: %(reason)s") % {"reason": reason},
        _campaign_url(material.candidate.election),
    )
    return material


def visible_materials(election: Election, now: datetime) -> QuerySet[CampaignMaterial]:
    """EL-08, EL-09: the approved material of registered candidates, and none once campaigning has ended,
    whether or not the job has hidden it yet."""
    if campaign_closed(election, now):
        return CampaignMaterial.objects.none()
    return CampaignMaterial.objects.filter(
        candidate__election=election,
        candidate__status=Candidate.Status.REGISTERED,
        status=CampaignMaterial.Status.APPROVED,
        hidden=False,
    )


def can_open_material(user: User, material: CampaignMaterial, now: datetime) -> bool:
    """A material's file: for everyone while it is shown; always for its candidate and the administration."""
    election = material.candidate.election
    if material.candidate.student.user_id == user.pk or is_administration(user):
        return True
    return visible_materials(election, now).filter(pk=material.pk).exists()


def can_see_photo(user: User, candidate: Candidate) -> bool:
    """EL-10: a registered candidate's photo is public once the list is published; before, only the
    candidate, the commission and the administration see it."""
    published = candidate.election.stored_phase >= Phase.CAMPAIGN
    if published and candidate.status == Candidate.Status.REGISTERED:
        return True
    return (
        candidate.student.user_id == user.pk
        or is_administration(user)
        or CommissionMember.objects.filter(election=candidate.election, user=user).exists()
    )


def _normal_place(place: str) -> str:
    return " ".join(place.split())


def _check_slot(election: Election, starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    """EL-08, EL-09: a meeting in the future, before silence day, inside one break or after classes."""
    if ends_at <= starts_at:
        raise ElectionError(_("A meeting must end after it starts."))
    if starts_at <= now:
        raise ElectionError(_("Choose a time in the future."))
    if ends_at > election.schedule.silence_starts_at:
        raise ElectionError(
            _("Meetings are held during the campaign, which ends at 24:00 on %(day)s.")
            % {"day": _last_campaign_day(election)}
        )
    start, end = starts_at.astimezone(rules.ALMATY), ends_at.astimezone(rules.ALMATY)
    fits = start.date() == end.date() and any(
        opens <= start.time() and end.time() <= closes for opens, closes in meeting_windows()
    )
    if not fits:
        raise ElectionError(
            _("Meetings with voters are held in breaks or after classes: %(windows)s.") % {"windows": windows_text()}
        )


def approved_meetings(candidate: Candidate) -> int:
    return MeetingRequest.objects.filter(candidate=candidate, status=MeetingRequest.Status.APPROVED).count()


@transaction.atomic
def request_meeting(
    user: User, election: Election, *, starts_at: datetime, ends_at: datetime, place: str, now: datetime | None = None
) -> MeetingRequest:
    """EL-09: a registered candidate asks for a meeting with voters during the campaign."""
    now = now or timezone.now()
    candidate = own_candidacy(user, election)
    _require_open(election, now)
    place = _normal_place(place)
    if not place:
        raise ElectionError(_("Say where the meeting is held."))
    _check_slot(election, starts_at, ends_at, now)
    if approved_meetings(candidate) >= election.meetings_per_candidate:
        raise ElectionError(
            _("You already have the %(n)d approved meetings every candidate gets.")
            % {"n": election.meetings_per_candidate}
        )
    meeting = MeetingRequest(candidate=candidate, starts_at=starts_at, ends_at=ends_at, place=place[:200])
    meeting._history_user = user  # type: ignore[attr-defined]
    meeting.save()
    return meeting


def _pending_meeting(meeting: MeetingRequest) -> tuple[Election, MeetingRequest]:
    """Lock the election (approvals of one election run one at a time: the quota and the place are
    checked against settled rows) and reload the pending request."""
    election = Election.objects.select_for_update().get(pk=meeting.candidate.election_id)
    meeting = MeetingRequest.objects.select_related("candidate__student__user").get(pk=meeting.pk)
    if meeting.status != MeetingRequest.Status.PENDING:
        raise ElectionError(_("This meeting request has already been decided."))
    return election, meeting


def _format_slot(meeting: MeetingRequest) -> str:
    start, end = meeting.starts_at.astimezone(rules.ALMATY), meeting.ends_at.astimezone(rules.ALMATY)
    return f"{start:%d.%m.%Y %H:%M}–{end:%H:%M}"


@transaction.atomic
def approve_meeting(actor: User, meeting: MeetingRequest, now: datetime | None = None) -> MeetingRequest:
    """EL-09: approve a meeting: equal numbers for every candidate, never two at once in one place."""
    now = now or timezone.now()
    require_administration(actor)
    election, meeting = _pending_meeting(meeting)
    _require_open(election, now)
    _check_slot(election, meeting.starts_at, meeting.ends_at, now)
    candidate = meeting.candidate
    if approved_meetings(candidate) >= election.meetings_per_candidate:
        raise ElectionError(
            _("%(name)s already has %(n)d approved meetings, the number every candidate gets.")
            % {"name": candidate, "n": election.meetings_per_candidate}
        )
    overlapping = MeetingRequest.objects.filter(
        candidate__election=election,
        status=MeetingRequest.Status.APPROVED,
        starts_at__lt=meeting.ends_at,
        ends_at__gt=meeting.starts_at,
    ).select_related("candidate__student__user")
    place = _normal_place(meeting.place).casefold()
    for other in overlapping:
        if _normal_place(other.place).casefold() == place:
            raise ElectionError(
                _("The place is taken: %(name)s meets voters at %(place)s, %(slot)s.")
                % {"name": other.candidate, "place": other.place, "slot": _format_slot(other)}
            )
    meeting.status = MeetingRequest.Status.APPROVED
    meeting.decided_by = actor
    meeting.decision_note = ""
    meeting._history_user = actor  # type: ignore[attr-defined]
    meeting.save(update_fields=["status", "decided_by", "decision_note"])
    notify(
        [candidate.student.user],
        _("Your meeting with voters is approved"),
        _("%(slot)s, %(place)s.") % {"slot": _format_slot(meeting), "place": meeting.place},
        _campaign_url(election),
    )
    return meeting


@transaction.atomic
def refuse_meeting(actor: User, meeting: MeetingRequest, reason: str) -> MeetingRequest:
    """EL-09: refuse a meeting request, with the reason the candidate is told."""
    require_administration(actor)
    reason = reason.strip()
    if not reason:
        raise ElectionError(_("Give the reason for refusing."))
    election, meeting = _pending_meeting(meeting)
    meeting.status = MeetingRequest.Status.REFUSED
    meeting.decided_by = actor
    meeting.decision_note = reason
    meeting._history_user = actor  # type: ignore[attr-defined]
    meeting.save(update_fields=["status", "decided_by", "decision_note"])
    notify(
        [meeting.candidate.student.user],
        _("Your meeting with voters is refused"),
        _("%(slot)s, %(place)s. Reason: %(reason)s")
        % {"slot": _format_slot(meeting), "place": meeting.place, "reason": reason},
        _campaign_url(election),
    )
    return meeting


def meeting_counts(election: Election) -> dict[int, tuple[int, int]]:
    """EL-09: per candidate id, (approved, pending) meetings: equal treatment at a glance. One query."""
    rows = (
        MeetingRequest.objects.filter(candidate__election=election)
        .values_list("candidate_id")
        .annotate(
            approved=Count("pk", filter=Q(status=MeetingRequest.Status.APPROVED)),
            pending=Count("pk", filter=Q(status=MeetingRequest.Status.PENDING)),
        )
        .order_by()
    )
    return {candidate_id: (approved, pending) for candidate_id, approved, pending in rows}


def hide_materials(election: Election, now: datetime) -> int:
    """EL-08: at the start of silence day every piece of campaign material is hidden and the candidates are
    told. Called under the election's row lock by `calendar.sync_phase`; returns how many were hidden."""
    from elections.services import notices

    hidden = CampaignMaterial.objects.filter(candidate__election=election, hidden=False).update(hidden=True)
    election.materials_hidden_at = now
    election._history_user = None  # type: ignore[attr-defined]
    election.save(update_fields=["materials_hidden_at"])
    notices.tell_candidates_campaign_ended(election, now)
    return hidden
