"""Student Government elections (EL-01 to EL-20).

Secrecy (EL-14) is a property of the schema: `Participation` says who voted and is audited;
`Ballot` says what was chosen and holds no voter, no address, no timestamp and no sequence: its
key is a random UUID and it has no history. Nothing joins the two.
"""

import secrets
import uuid
from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from academics.models import AcademicYear
from elections import rules
from portal.models import Document, Institute, Programme, StudentProfile, User


def _all_levels() -> list[str]:
    return list(Programme.Level.values)


class Election(models.Model):
    """EL-01: an election for a position in an academic year, with its calendar and phase."""

    class Position(models.TextChoices):
        SG_PRESIDENT = "sg_president", _("Student Government President")
        YOUTH_AFFAIRS_CHAIR = "youth_affairs_chair", _("Youth Affairs Committee chair")

    class Mode(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper")
        HYBRID = "hybrid", _("Online and paper")

    class Phase(models.TextChoices):
        DRAFT = "DRAFT", _("Draft")
        REGISTRATION = "REGISTRATION", _("Candidate registration")
        CAMPAIGN = "CAMPAIGN", _("Campaign")
        SILENCE = "SILENCE", _("Silence day")
        VOTING = "VOTING", _("Voting")
        COUNTING = "COUNTING", _("Counting")
        PROTOCOL_SIGNED = "PROTOCOL_SIGNED", _("Protocol signed")
        PUBLISHED = "PUBLISHED", _("Results published")

    position = models.CharField(_("position"), max_length=30, choices=Position.choices, default=Position.SG_PRESIDENT)
    academic_year = models.ForeignKey(
        AcademicYear, models.PROTECT, related_name="elections", verbose_name=_("academic year")
    )
    mode = models.CharField(_("voting mode"), max_length=10, choices=Mode.choices, default=Mode.HYBRID)
    election_day = models.DateField(_("election day"))
    registration_deadline = models.DateField(_("registration deadline"))
    voting_opens = models.TimeField(_("voting opens"), default=rules.VOTING_OPENS)
    voting_closes = models.TimeField(_("voting closes"), default=rules.VOTING_CLOSES)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.DRAFT)
    voter_levels = models.JSONField(_("study levels that vote"), default=_all_levels)
    meetings_per_candidate = models.PositiveSmallIntegerField(
        _("meetings with voters per candidate"), default=3, help_text=_("EL-09: every candidate gets the same number.")
    )
    candidates_published_at = models.DateTimeField(_("candidate list published"), null=True, blank=True)
    roll_frozen_at = models.DateTimeField(_("voter roll frozen"), null=True, blank=True)
    materials_hidden_at = models.DateTimeField(_("campaign material hidden"), null=True, blank=True)
    runoff_of = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="runoffs", verbose_name=_("run-off of")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-election_day", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_deadline__lt=models.F("election_day")),
                name="election_registration_before_day",
            ),
            models.CheckConstraint(condition=Q(voting_opens__lt=models.F("voting_closes")), name="voting_hours_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()} {self.academic_year}"

    @property
    def schedule(self) -> rules.Schedule:
        return rules.Schedule(
            election_day=self.election_day,
            registration_deadline=self.registration_deadline,
            opens=self.voting_opens,
            closes=self.voting_closes,
        )

    @property
    def stored_phase(self) -> rules.Phase:
        return rules.Phase[self.phase]

    def phase_at(self, now: datetime) -> rules.Phase:
        """The phase at `now`, the clock included (EL-01)."""
        return rules.clock_phase(self.stored_phase, self.schedule, now)

    @property
    def voter_level_labels(self) -> list[str]:
        return [str(Programme.Level(level).label) for level in self.voter_levels]

    @property
    def online(self) -> bool:
        return self.mode in (self.Mode.ONLINE, self.Mode.HYBRID)

    @property
    def paper(self) -> bool:
        return self.mode in (self.Mode.PAPER, self.Mode.HYBRID)


class CommissionMember(models.Model):
    """EL-02: the election commission; only its members act on the election."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")

    election = models.ForeignKey(Election, models.CASCADE, related_name="commission", verbose_name=_("election"))
    user = models.ForeignKey(User, models.PROTECT, related_name="commission_seats", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    deciding_vote = models.BooleanField(_("deciding vote"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        constraints = [
            models.UniqueConstraint(fields=["election", "user"], name="one_seat_per_person"),
            models.UniqueConstraint(
                fields=["election", "role"], condition=~Q(role="member"), name="one_chair_one_secretary"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.full_name} ({self.get_role_display()})"


def _portfolio_path(instance: "Candidate | CampaignMaterial", filename: str) -> str:
    candidate = instance if isinstance(instance, Candidate) else instance.candidate
    return f"elections/{candidate.election_id}/candidates/{uuid.uuid4().hex}/{filename}"


class Candidate(models.Model):
    """EL-03 to EL-06: a student's candidacy with its portfolio and the commission's review."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        REGISTERED = "registered", _("Registered")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    election = models.ForeignKey(Election, models.PROTECT, related_name="candidates", verbose_name=_("election"))
    student = models.ForeignKey(StudentProfile, models.PROTECT, related_name="candidacies", verbose_name=_("student"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.APPLIED)
    photo = models.ImageField(_("photo"), upload_to=_portfolio_path, blank=True)
    cv = models.FileField(_("CV"), upload_to=_portfolio_path, blank=True)
    programme = models.TextField(_("election programme"), blank=True, help_text=_("At most 100 words (Appendix 1)."))
    intent = models.TextField(_("application of intent"), blank=True, help_text=_("Appendix 2."))
    standard_info = models.TextField(
        _("standard information"), blank=True, help_text=_("EL-10: the information set approved by the commission.")
    )
    transcript = models.ForeignKey(
        Document, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("transcript")
    )
    recommendation = models.FileField(_("director's recommendation"), upload_to=_portfolio_path, blank=True)
    recommended_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("recommended by")
    )
    recommended_at = models.DateTimeField(_("recommended"), null=True, blank=True)
    eligibility_reasons = models.JSONField(_("reasons against eligibility"), default=list, blank=True)
    applied_at = models.DateTimeField(_("applied"), auto_now_add=True)
    programme_checked = models.BooleanField(
        _("programme checked for incitement of discrimination"),
        default=False,
        help_text=_("EL-06: social, racial, national, religious, class or clan discrimination."),
    )
    reviewed_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("reviewed by")
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [models.UniqueConstraint(fields=["election", "student"], name="one_candidacy_per_election")]

    def __str__(self) -> str:
        return self.student.user.full_name


class MeetingRequest(models.Model):
    """EL-09: a candidate's meeting with voters, approved by the administration with equal treatment."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    candidate = models.ForeignKey(Candidate, models.CASCADE, related_name="meetings", verbose_name=_("candidate"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decision_note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting with voters")
        verbose_name_plural = _("meetings with voters")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after")
        ]

    def __str__(self) -> str:
        return f"{self.candidate} {self.starts_at:%d.%m.%Y %H:%M} {self.place}"


class CampaignMaterial(models.Model):
    """EL-08, EL-09: campaign material, shown only once approved and never on silence or election day."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    candidate = models.ForeignKey(Candidate, models.CASCADE, related_name="materials", verbose_name=_("candidate"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    file = models.FileField(_("file"), upload_to=_portfolio_path, blank=True)
    place = models.CharField(_("designated place"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    hidden = models.BooleanField(_("hidden for silence day"), default=False)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decision_note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign material")
        verbose_name_plural = _("campaign materials")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return self.title


class RollEntry(models.Model):
    """EL-11: the voter roll, written when voting opens and frozen from then on."""

    election = models.ForeignKey(Election, models.CASCADE, related_name="roll", verbose_name=_("election"))
    student = models.ForeignKey(StudentProfile, models.PROTECT, related_name="+", verbose_name=_("student"))
    institute = models.ForeignKey(Institute, models.PROTECT, related_name="+", verbose_name=_("institute"))

    class Meta:
        verbose_name = _("voter roll entry")
        verbose_name_plural = _("voter roll")
        constraints = [models.UniqueConstraint(fields=["election", "student"], name="one_roll_entry_per_voter")]

    def __str__(self) -> str:
        return f"{self.election}: {self.student_id}"


class Participation(models.Model):
    """EL-12: who voted, and how: at most one per voter and election, whichever the channel. It says
    nothing of the choice; it is audited."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper ballot")

    election = models.ForeignKey(Election, models.PROTECT, related_name="participations", verbose_name=_("election"))
    student = models.ForeignKey(StudentProfile, models.PROTECT, related_name="+", verbose_name=_("student"))
    institute = models.ForeignKey(Institute, models.PROTECT, related_name="+", verbose_name=_("institute"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recorded_at = models.DateTimeField(_("recorded"))
    recorded_by = models.ForeignKey(
        User,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commission member who issued the paper ballot"),
    )
    id_document = models.CharField(_("identity document checked"), max_length=50, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [models.UniqueConstraint(fields=["election", "student"], name="one_vote_per_voter")]
        indexes = [models.Index(fields=["election", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.election}: {self.student_id} ({self.channel})"


def new_receipt() -> str:
    """A receipt code a voter can check on the public page: 12 random characters in groups of four."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    code = "".join(secrets.choice(alphabet) for _ in range(12))
    return "-".join(code[i : i + 4] for i in range(0, 12, 4))


class Ballot(models.Model):
    """EL-14: an online ballot. No voter, no address, no timestamp, no sequence, no history: the key is
    a random UUID, so neither the key nor the row order can be joined with `Participation`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, models.PROTECT, related_name="ballots", verbose_name=_("election"))
    candidate = models.ForeignKey(
        Candidate, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("candidate")
    )
    against = models.BooleanField(_("against the single candidate"), default=False)
    receipt = models.CharField(_("receipt code"), max_length=14, unique=True, default=new_receipt)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            # A ballot is for a candidate, or against the single candidate (EL-07); never both, never blank.
            models.CheckConstraint(
                condition=(Q(candidate__isnull=False, against=False) | Q(candidate__isnull=True, against=True)),
                name="ballot_has_one_choice",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt


class PaperCount(models.Model):
    """EL-15: the commission's count of the paper ballots, cross-checked against the ballots issued."""

    election = models.OneToOneField(Election, models.PROTECT, related_name="paper_count", verbose_name=_("election"))
    ballots_found = models.PositiveIntegerField(_("ballots found in the box"))
    against = models.PositiveIntegerField(_("against the single candidate"), default=0)
    invalid = models.PositiveIntegerField(_("invalid ballots"), default=0)
    unknown_form = models.PositiveIntegerField(_("ballots of an unknown form"), default=0)
    discrepancy_explanation = models.TextField(_("explanation of the discrepancy"), blank=True)
    entered_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("entered by"))
    entered_at = models.DateTimeField(_("entered"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paper ballot count")
        verbose_name_plural = _("paper ballot counts")

    def __str__(self) -> str:
        return f"{self.election}: {self.ballots_found}"


class PaperCountLine(models.Model):
    count = models.ForeignKey(PaperCount, models.CASCADE, related_name="lines", verbose_name=_("count"))
    candidate = models.ForeignKey(Candidate, models.PROTECT, related_name="+", verbose_name=_("candidate"))
    votes = models.PositiveIntegerField(_("votes"))
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["count", "candidate"], name="one_paper_line_per_candidate")]

    def __str__(self) -> str:
        return f"{self.candidate}: {self.votes}"


class Protocol(models.Model):
    """EL-16: the results protocol, in two originals, signed by every commission member in the portal."""

    election = models.OneToOneField(Election, models.PROTECT, related_name="protocol", verbose_name=_("election"))
    results = models.JSONField(_("results"))
    document = models.ForeignKey(Document, models.PROTECT, related_name="+", verbose_name=_("document"))
    drawn_up_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("drawn up by"))
    drawn_up_at = models.DateTimeField(_("drawn up"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("results protocol")
        verbose_name_plural = _("results protocols")

    def __str__(self) -> str:
        return str(self.election)


class ProtocolSignature(models.Model):
    protocol = models.ForeignKey(Protocol, models.CASCADE, related_name="signatures", verbose_name=_("protocol"))
    member = models.ForeignKey(CommissionMember, models.PROTECT, related_name="+", verbose_name=_("member"))
    signed_at = models.DateTimeField(_("signed"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("protocol signature")
        verbose_name_plural = _("protocol signatures")
        constraints = [models.UniqueConstraint(fields=["protocol", "member"], name="one_signature_per_member")]

    def __str__(self) -> str:
        return f"{self.member} {self.signed_at:%d.%m.%Y %H:%M}"


class Mandate(models.Model):
    """EL-18, EL-04: an office held for one academic year after the results are published."""

    election = models.OneToOneField(Election, models.PROTECT, related_name="mandate", verbose_name=_("election"))
    position = models.CharField(_("position"), max_length=30, choices=Election.Position.choices)
    holder = models.ForeignKey(StudentProfile, models.PROTECT, related_name="mandates", verbose_name=_("holder"))
    academic_year = models.ForeignKey(AcademicYear, models.PROTECT, related_name="+", verbose_name=_("academic year"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")

    def __str__(self) -> str:
        return f"{self.get_position_display()}: {self.holder} ({self.academic_year})"


class Notice(models.Model):
    """A reminder or announcement sent once per election, kind and person, even if a job runs twice."""

    election = models.ForeignKey(Election, models.CASCADE, related_name="notices", verbose_name=_("election"))
    kind = models.CharField(_("kind"), max_length=40)
    user = models.ForeignKey(User, models.CASCADE, related_name="+", verbose_name=_("person"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "kind", "user"], name="one_notice_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id}"
