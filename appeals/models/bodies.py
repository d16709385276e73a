"""AP-09 to AP-13, AP-21: the bodies that consider cases, the expanded commission and its decision."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from appeals.models.cases import Application, Attachment, Body
from portal.models import Department, Document, Institute, User


class BodyMember(models.Model):
    """A member of a standing body of an institute (dean's council, programme committee, quality
    commission); the ethics council is the university's, so its members have no institute."""

    body = models.CharField(_("body"), max_length=30, choices=Body.choices)
    institute = models.ForeignKey(Institute, models.CASCADE, null=True, blank=True, verbose_name=_("institute"))
    user = models.ForeignKey(User, models.CASCADE, related_name="appeal_bodies", verbose_name=_("member"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("body member")
        verbose_name_plural = _("body members")
        constraints = [models.UniqueConstraint(fields=["body", "institute", "user"], name="one_seat_per_body")]

    def __str__(self) -> str:
        return f"{self.get_body_display()}: {self.user}"


class Commission(models.Model):
    """AP-10: the expanded commission of one case, formed by the dean's order and chaired by the dean."""

    application = models.OneToOneField(Application, models.CASCADE, related_name="commission")
    order_number = models.CharField(_("dean's order number"), max_length=50)
    order_date = models.DateField(_("order date"))
    formed_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("formed by"))
    formed_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.order_number} ({self.application_id})"


class CommissionSeat(models.Model):
    """AP-10: a member of an expanded commission, by the role they sit for."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair (dean)")
        YOUTH_POLICY = "youth_policy", _("Youth policy office")
        STUDENT_DEAN = "student_dean", _("Student dean's office")
        ETHICS_COUNCIL = "ethics_council", _("Ethics council")
        STAFF_UNION = "staff_union", _("Staff union")
        PROGRAMME_COMMITTEE = "programme_committee", _("Education programme committee")
        QUALITY_COMMISSION = "quality_commission", _("Quality assurance commission")
        LAWYER = "lawyer", _("Lawyer")
        INVITED = "invited", _("Invited")

    commission = models.ForeignKey(Commission, models.CASCADE, related_name="seats")
    role = models.CharField(_("sits for"), max_length=30, choices=Role.choices)
    user = models.ForeignKey(User, models.PROTECT, related_name="appeal_commission_seats", verbose_name=_("member"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commission", "user"], name="appeal_one_seat_per_person")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.user_id}"


class DocumentRequest(models.Model):
    """AP-11: the commission asks a department for documents, with its own due date."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="document_requests")
    department = models.ForeignKey(Department, models.PROTECT, related_name="+", verbose_name=_("department"))
    what = models.TextField(_("documents requested"))
    due_on = models.DateField(_("due"))
    requested_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer_note = models.TextField(_("answer"), blank=True)
    # The PDF the department sent with its answer, if any (stored as a case attachment).
    attachment = models.OneToOneField(
        Attachment, models.SET_NULL, null=True, blank=True, related_name="document_request", verbose_name=_("document")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.department_id}: {self.what[:40]}"


class Decision(models.Model):
    """AP-12: the commission's protocol decision."""

    class Facts(models.TextChoices):
        CONFIRMED = "confirmed", _("Facts confirmed")
        NOT_CONFIRMED = "not_confirmed", _("Facts not confirmed")
        FALSE = "false", _("Knowingly false or insulting")

    application = models.OneToOneField(Application, models.CASCADE, related_name="decision")
    facts = models.CharField(_("finding"), max_length=20, choices=Facts.choices)
    reasoning = models.TextField(_("facts established"))
    measures = models.TextField(_("measures"), blank=True)
    decided_on = models.DateField(_("decided on"))
    protocol = models.ForeignKey(Document, models.PROTECT, null=True, blank=True, related_name="+")
    recorded_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    # The protocol names the members present; every seat signs (AP-12).
    present = models.ManyToManyField(CommissionSeat, blank=True, related_name="+", verbose_name=_("members present"))
    history = HistoricalRecords()

    class Meta:
        constraints = [
            # Measures against someone are always written down when the facts are confirmed (AP-12).
            models.CheckConstraint(
                condition=~Q(facts="confirmed") | ~Q(measures=""), name="decision_confirmed_has_measures"
            )
        ]

    def __str__(self) -> str:
        return self.get_facts_display()


class Recommendation(models.Model):
    """AP-13: a binding recommendation, tracked until the person responsible reports it done."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="recommendations")
    text = models.TextField(_("recommendation"))
    responsible = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("responsible"))
    due_on = models.DateField(_("due"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completion_note = models.TextField(_("what was done"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class BlogEntry(models.Model):
    """AP-03: a message on the rector's blog, published only after moderation; one naming an employee is
    registered as an application to that employee's institute."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Not published")
        REGISTERED = "registered", _("Registered as an application")

    author = models.ForeignKey(User, models.PROTECT, related_name="blog_entries", verbose_name=_("author"))
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PENDING)
    named_employee = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("employee named")
    )
    moderated_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.TextField(_("moderator's note"), blank=True)
    application = models.OneToOneField(Application, models.PROTECT, null=True, blank=True, related_name="blog_entry")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:60]
