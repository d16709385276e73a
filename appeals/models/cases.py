"""AP-01 to AP-09, AP-14, AP-15, AP-18 to AP-22: the case (an application of any kind) and its record."""

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from academics.models import AppealGround, Enrolment, GradeAmendment
from portal.models import Department, Document, Institute, User


class Kind(models.TextChoices):
    """AP-01 (and AP-14, AP-18)."""

    APPLICATION = "application", _("Application")
    COMPLAINT = "complaint", _("Complaint")
    PROPOSAL = "proposal", _("Proposal")
    REQUEST = "request", _("Request")
    GRADE_APPEAL = "grade_appeal", _("Exam grade appeal")
    HIGHER_APPEAL = "higher_appeal", _("Appeal to a higher official")


class Channel(models.TextChoices):
    """AP-03: how the application reached the university."""

    PORTAL = "portal", _("Portal")
    EMAIL = "email", _("Corporate e-mail")
    PAPER = "paper", _("Paper, at the dean's office")
    RECTOR_BLOG = "rector_blog", _("Rector's blog")
    ADVISOR = "advisor", _("Passed on by an advisor")


class ApplicantType(models.TextChoices):
    """AP-02."""

    STUDENT = "student", _("Student")
    STAFF = "staff", _("Teaching staff")
    ANONYMOUS = "anonymous", _("Anonymous")


class Body(models.TextChoices):
    """AP-09, AP-10: where the dean sends a case."""

    DEANS_COUNCIL = "deans_council", _("Dean's council")
    PROGRAMME_COMMITTEE = "programme_committee", _("Education programme committee")
    QUALITY_COMMISSION = "quality_commission", _("Quality assurance commission")
    ETHICS_COUNCIL = "ethics_council", _("Ethics council")
    EXPANDED_COMMISSION = "expanded_commission", _("Expanded commission")
    DEPARTMENT = "department", _("Head of department")


class Level(models.IntegerChoices):
    """AP-20 (002 8.2): the escalation ladder."""

    ADVISOR = 1, _("Advisor")
    DEPARTMENT = 2, _("Department")
    INSTITUTE = 3, _("Institute")
    VICE_RECTOR = 4, _("Vice-rector")
    RECTOR = 5, _("Rector")


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered, awaiting triage")
    IN_REVIEW = "in_review", _("Under consideration")
    COMMISSION = "commission", _("At the expanded commission")
    ANSWERED = "answered", _("Answered")
    RETURNED = "returned", _("Returned without consideration")
    TERMINATED = "terminated", _("Terminated as repeated")
    NOT_CONSIDERED = "not_considered", _("Anonymous, not considered")
    FORWARDED = "forwarded", _("Forwarded to a state body")


OPEN_STATUSES = (Status.REGISTERED, Status.IN_REVIEW, Status.COMMISSION)


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    REFUSED = "refused", _("Refused")
    EXPLAINED = "explained", _("Explained")


class RepresentationReason(models.TextChoices):
    """AP-02: why a legal representative files."""

    MINOR = "minor", _("The applicant is a minor")
    ILLNESS = "illness", _("Illness")
    NON_RESIDENT = "non_resident", _("Lives in another town")
    ABROAD = "abroad", _("Abroad")


class RegistrationCounter(models.Model):
    """AP-04: the incoming journal's running number, per institute and calendar year (row-locked)."""

    institute = models.ForeignKey(Institute, models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["institute", "year"], name="one_counter_per_institute_year")]

    def __str__(self) -> str:
        return f"{self.institute_id}/{self.year}: {self.last}"


class TriageVersion(models.Model):
    """AP-09: a number per institute, raised in the same transaction as every change to its cases or their
    handlers (appeals/triage_cache.py), so a triage list kept under the number it was read at is never
    shown once something changed."""

    institute = models.OneToOneField(Institute, models.CASCADE, primary_key=True, related_name="+")
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.institute_id}: {self.version}"


class Application(models.Model):
    """One case in the incoming journal: an application, complaint, proposal, request or appeal."""

    number = models.CharField(_("registration number"), max_length=30, unique=True)
    registered_on = models.DateField(_("registration date"), db_index=True)
    received_at = models.DateTimeField(_("received"))
    institute = models.ForeignKey(Institute, models.PROTECT, related_name="applications", verbose_name=_("institute"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.PORTAL)
    applicant_type = models.CharField(_("applicant"), max_length=10, choices=ApplicantType.choices)
    # Empty only for an anonymous application (AP-05); the name as written otherwise comes from the user.
    applicant = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="applications", verbose_name=_("applicant")
    )
    co_applicants = models.ManyToManyField(
        User, blank=True, related_name="group_applications", verbose_name=_("co-applicants (group application)")
    )
    # Who typed it in: staff for paper and e-mail, the advisor who passed it on, or the applicant.
    filed_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("registered by")
    )
    representative_name = models.CharField(_("legal representative"), max_length=255, blank=True)
    representation_reason = models.CharField(
        _("reason for representation"), max_length=20, choices=RepresentationReason.choices, blank=True
    )
    postal_address = models.CharField(_("postal address"), max_length=500, blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"))
    # AP-05: an anonymous report of a crime or a threat to security, forwarded at once.
    reports_offence = models.BooleanField(_("reports an offence or a threat to security"), default=False)
    forwarded_to = models.CharField(_("forwarded to"), max_length=255, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True)
    # Corporate e-mail channel: the message's Message-ID, so importing a mailbox twice registers it once.
    source_message_id = models.CharField(max_length=255, null=True, blank=True, unique=True)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED)
    body = models.CharField(_("considered by"), max_length=30, choices=Body.choices, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=Level.INSTITUTE)
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("department")
    )
    handlers: "models.ManyToManyField[User, Assignment]" = models.ManyToManyField(
        User,
        through="Assignment",
        through_fields=("application", "user"),
        related_name="handled_applications",
        verbose_name=_("handlers"),
    )

    # AP-06: computed once at registration and stored; a calendar change warns, never moves them.
    due_on = models.DateField(_("answer due"), db_index=True)
    extended_to = models.DateField(_("extended to"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)

    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    answer_text = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("answered by")
    )
    answer_document = models.ForeignKey(
        Document, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("answer letter")
    )
    closing_note = models.TextField(_("explanation"), blank=True)  # AP-07 return, AP-08 termination
    earlier = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="repeats", verbose_name=_("earlier application")
    )
    # AP-14: the decision appealed and why a late appeal is late.
    appealed = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="appeals", verbose_name=_("decision appealed")
    )
    delay_reason = models.TextField(_("reason for the delay"), blank=True)

    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-registered_on", "-id"]
        indexes = [
            models.Index(fields=["institute", "status", "due_on"], name="appeal_triage_idx"),
            # AP-09: the triage page reads an institute's open cases in deadline order and stops after a page.
            models.Index(
                F("institute"),
                Coalesce("extended_to", "due_on"),
                F("registered_on"),
                F("id"),
                name="appeal_deadline_idx",
                condition=Q(status__in=OPEN_STATUSES),
            ),
            models.Index(fields=["applicant", "kind"], name="appeal_applicant_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(applicant__isnull=False) | Q(applicant_type="anonymous"),
                name="appeal_named_unless_anonymous",
            ),
            models.CheckConstraint(
                condition=Q(extended_to__isnull=True) | Q(extended_to__gt=models.F("due_on")),
                name="appeal_extension_later",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def deadline(self) -> date:
        """The date the answer is due now: the extended date if extended (AP-06)."""
        return self.extended_to or self.due_on

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Assignment(models.Model):
    """AP-09: a handler assigned to a case by the dean."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="assignments")
    user = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("handler"))
    assigned_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("assigned by"))
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "user"], name="one_assignment_per_handler")]

    def __str__(self) -> str:
        return f"{self.application_id} -> {self.user_id}"


class Attachment(models.Model):
    """A file of a case, checked by its content (AP-01, AP-02, AP-11, AP-22)."""

    class Purpose(models.TextChoices):
        EVIDENCE = "evidence", _("Attachment")
        REPRESENTATION = "representation", _("Representation document")
        HEARING_ANSWER = "hearing_answer", _("Applicant's answer to the intended decision")
        DEPARTMENT_DOCUMENT = "department_document", _("Document from a department")
        EMAIL_ORIGINAL = "email_original", _("Original e-mail")

    application = models.ForeignKey(Application, models.CASCADE, related_name="attachments")
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices, default=Purpose.EVIDENCE)
    file = models.FileField(_("file"), upload_to="appeals/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class Event(models.Model):
    """The case's timeline: one row per step, in the order they happened (item 15)."""

    class Type(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ROUTED = "routed", _("Sent for consideration")
        ASSIGNED = "assigned", _("Handler assigned")
        EXTENDED = "extended", _("Deadline extended")
        RETURNED = "returned", _("Returned without consideration")
        TERMINATED = "terminated", _("Terminated as repeated")
        NOT_CONSIDERED = "not_considered", _("Not considered (anonymous)")
        FORWARDED = "forwarded", _("Forwarded to a state body")
        ESCALATED = "escalated", _("Passed to a higher level")
        COMMISSION = "commission", _("Expanded commission formed")
        DOCUMENTS_REQUESTED = "documents_requested", _("Documents requested")
        HEARING = "hearing", _("Intended decision sent to the applicant")
        HEARING_ANSWER = "hearing_answer", _("Applicant answered")
        DECIDED = "decided", _("Commission decided")
        ANSWERED = "answered", _("Answered")
        DELIVERED = "delivered", _("Answer delivered")
        GRADE_CHANGED = "grade_changed", _("Grade changed")
        APPEALED = "appealed", _("Appealed to a higher official")
        REMINDED = "reminded", _("Reminder sent")

    application = models.ForeignKey(Application, models.CASCADE, related_name="events")
    type = models.CharField(max_length=30, choices=Type.choices)
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    note = models.TextField(blank=True)
    # A choice the step names ("body:deans_council", "outcome:upheld"...), shown in the reader's language
    # before the note; the note keeps only what was written (a reason, a number).
    code = models.CharField(max_length=60, blank=True, default="", db_default="")
    # Internal steps (who handles it, reminders) are not on the applicant's timeline.
    public = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.type}"

    def shown_note(self) -> str:
        """The note as the reader sees it: the named choice in the reader's language, then the note."""
        if not self.code:
            return self.note
        kind, _sep, value = self.code.partition(":")
        label = str(dict(_code_choices(kind)).get(value, value))
        return f"{label}: {self.note}" if self.note else label


class Delivery(models.Model):
    """AP-15: how the answer reached the applicant."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("In person, against signature")
        POST = "post", _("By post")
        EMAIL = "email", _("By corporate e-mail")
        PORTAL = "portal", _("Shown in the portal")

    application = models.ForeignKey(Application, models.CASCADE, related_name="deliveries")
    method = models.CharField(_("delivery"), max_length=20, choices=Method.choices)
    delivered_on = models.DateField(_("delivered on"))
    reference = models.CharField(_("signature, postal receipt or message"), max_length=255, blank=True)
    phone_notice = models.BooleanField(_("told by telephone when to expect the answer"), default=False)
    recorded_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.application_id} {self.method}"


class Hearing(models.Model):
    """AP-22: the applicant is told the intended refusal and may answer within 3 working days."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="hearings")
    intended_decision = models.TextField(_("intended decision and its grounds"))
    opened_on = models.DateField(_("sent on"))
    answer_due = models.DateField(_("answer due"))
    answer = models.TextField(_("applicant's answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    opened_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["opened_on", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.opened_on}"


class GradeAppeal(models.Model):
    """AP-18, AC-22: the exam question appealed, the ground, and the decision at each stage."""

    class Stage(models.TextChoices):
        DEAN = "dean", _("At the dean")
        DEPARTMENT = "department", _("At the head of department")
        DECIDED = "decided", _("Decided")

    application = models.OneToOneField(Application, models.CASCADE, related_name="grade_appeal")
    enrolment = models.ForeignKey(Enrolment, models.PROTECT, related_name="+", verbose_name=_("discipline"))
    question_number = models.PositiveSmallIntegerField(_("question number"))
    ground = models.CharField(_("ground"), max_length=30, choices=AppealGround.choices)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.DEAN)
    upheld = models.BooleanField(_("upheld"), null=True)
    amendment = models.ForeignKey(
        GradeAmendment, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("grade amendment")
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.application_id} Q{self.question_number}"


class Reminder(models.Model):
    """AP-19: one row per case and threshold, so a sweep run twice or cut short sends each once."""

    class Threshold(models.TextChoices):
        THREE_DAYS = "d3", _("3 working days before the deadline")
        ONE_DAY = "d1", _("1 working day before the deadline")
        DUE_TODAY = "d0", _("The deadline is today")
        OVERDUE = "overdue", _("Overdue: escalated")

    application = models.ForeignKey(Application, models.CASCADE, related_name="reminders")
    threshold = models.CharField(max_length=10, choices=Threshold.choices)
    # The deadline the reminder was for: an extension starts the thresholds again.
    deadline = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "threshold", "deadline"], name="one_reminder_per_threshold")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.threshold}"


def _code_choices(kind: str) -> list[tuple[str, object]]:
    """The choices an event's code names (see `Event.code`)."""
    from appeals.models.bodies import Decision

    by_kind: dict[str, type[models.Choices]] = {
        "body": Body,
        "outcome": Outcome,
        "method": Delivery.Method,
        "facts": Decision.Facts,
        "level": Level,
    }
    choices = by_kind.get(kind)
    return [(str(value), label) for value, label in choices.choices] if choices else []
