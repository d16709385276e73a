"""People: the user (login by university ID code or e-mail), student and staff profiles."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models.organisation import Department, StudyGroup, StudyLanguage


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, id_code: str, password: str | None = None, **fields: object) -> "User":
        if not id_code:
            raise ValueError("id_code is required")
        email = fields.pop("email", None)
        user = self.model(id_code=id_code, email=self.normalize_email(str(email)) if email else None, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, id_code: str, password: str | None = None, **fields: object) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(id_code, password, **fields)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(id_code__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with a portal account. PT-06: signs in with `id_code` or `email`."""

    id_code = models.CharField(_("university ID code"), max_length=20, unique=True)
    email = models.EmailField(_("e-mail"), unique=True, null=True, blank=True)
    last_name = models.CharField(_("surname"), max_length=100)
    first_name = models.CharField(_("name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("admin site access"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    password_changed_at = models.DateTimeField(_("password changed"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "id_code"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email", "last_name", "first_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("id_code"), name="user_id_code_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def password_expired(self, now: datetime | None = None) -> bool:
        """PT-05: a password older than PORTAL_PASSWORD_EXPIRY_DAYS must be changed (0 turns it off)."""
        days = settings.PORTAL_PASSWORD_EXPIRY_DAYS
        if not days or not self.has_usable_password():
            return False
        return (now or timezone.now()) >= self.password_changed_at + timedelta(days=days)

    @cached_property
    def student_profile(self) -> "StudentProfile | None":
        """The student record with its group up to the university, or None: one query per user object,
        so the panels of a dashboard and its page share it."""
        profiles = StudentProfile.objects.select_related("group__programme__department__institute__university")
        return profiles.filter(user=self).first()


class StudentProfile(models.Model):
    class Funding(models.TextChoices):
        STATE_GRANT = "grant", _("State grant")
        STATE_ORDER = "order", _("State order")
        PAID = "paid", _("Paid")

    class StudyForm(models.TextChoices):
        FULL_TIME = "full_time", _("Full-time")
        PART_TIME = "part_time", _("Part-time")
        DISTANCE = "distance", _("Distance")

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        ACADEMIC_LEAVE = "leave", _("Academic leave")
        EXPELLED = "expelled", _("Expelled")
        GRADUATED = "graduated", _("Graduated")

    user = models.OneToOneField(User, models.CASCADE, related_name="student", verbose_name=_("user"))
    group = models.ForeignKey(StudyGroup, models.PROTECT, related_name="students", verbose_name=_("study group"))
    year_of_study = models.PositiveSmallIntegerField(_("year of study"))
    study_language = models.CharField(_("language of study"), max_length=2, choices=StudyLanguage.choices)
    funding = models.CharField(_("funding"), max_length=10, choices=Funding.choices)
    study_form = models.CharField(
        _("form of study"), max_length=10, choices=StudyForm.choices, default=StudyForm.FULL_TIME
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ENROLLED)
    id_card_number = models.CharField(
        _("identity card number"),
        max_length=20,
        blank=True,
        db_index=True,
        help_text=_("Checked at the polling place."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        indexes = [models.Index(fields=["group", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_of_study__gte=1, year_of_study__lte=7), name="student_year_of_study_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.full_name} ({self.group})"


class StaffProfile(models.Model):
    user = models.OneToOneField(User, models.CASCADE, related_name="staff", verbose_name=_("user"))
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("department")
    )
    position = models.CharField(_("position"), max_length=255)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self) -> str:
        return f"{self.user.full_name}, {self.position}"
