"""django-import-export resources for the registrar's imports: study groups, students, enrolments.

Each row is matched to an existing object by its natural key (case-insensitive): a group by its
name, a student by the ID code, an enrolment by student and offering. A match is updated, or left
alone when nothing changes; anything else is created. Every save carries the importing user so the
history record says who did it.
"""

from dataclasses import dataclass
from typing import Any, ClassVar

from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources
from import_export.fields import Field

from academics.errors import AcademicsError
from academics.imports.scope import Scope
from academics.imports.widgets import ChoiceWidget, LookupWidget, TextWidget, WholeNumberWidget, find_by_text
from academics.models import Discipline, Enrolment, Offering, Term
from academics.services.enrolment import enrol_student
from portal.models import Programme, Role, RoleAssignment, StudentProfile, StudyGroup, User
from portal.models.organisation import StudyLanguage

Errors = dict[str, list[ValidationError]]


def _add(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, []).append(ValidationError(message))


@dataclass(frozen=True)
class Column:
    """A column of an import file, as the page and the template files describe it."""

    name: str
    required: bool
    help: Promise


@dataclass(frozen=True)
class FileKey:
    """Columns whose values may appear once per file (compared case-insensitively)."""

    columns: tuple[str, ...]
    message: Promise  # with %(value)s and %(first)d, the row where the value first appeared
    defaults: tuple[tuple[str, str], ...] = ()


class ImportResource(resources.ModelResource):
    """What the three imports share: natural keys, problems found before the import, scope, audit."""

    columns: ClassVar[tuple[Column, ...]] = ()
    file_keys: ClassVar[tuple[FileKey, ...]] = ()
    # Optional columns where an empty cell keeps the stored value (a new row gets the model's default).
    keep_when_blank: ClassVar[frozenset[str]] = frozenset()

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        skip_html_diff = True
        use_transactions = True
        report_skipped = True

    def __init__(self, by: User, scope: Scope, prechecked: dict[int, list[str]]) -> None:
        """`prechecked`: problems found across the file (a key repeated), by django-import-export's row index."""
        super().__init__()
        self.by, self.scope, self.prechecked = by, scope, prechecked

    # Hooks of django-import-export, in the order it calls them for a row.

    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        for column in self.keep_when_blank:
            if row.get(column) == "":
                del row[column]

    def get_instance(self, instance_loader: Any, row: dict[str, Any]) -> models.Model | None:
        return self.find(row)

    def import_instance(self, instance: models.Model, row: dict[str, Any], **kwargs: Any) -> None:
        errors: Errors = {}
        for problem in self.prechecked.get(kwargs["row_number"], ()):
            _add(errors, NON_FIELD_ERRORS, problem)
        # A matched record keeps its key as stored: "ис-25-1" in a file finds ИС-25-1 without renaming it.
        keys = {name: getattr(instance, name) for name in self.get_import_id_fields()} if instance.pk else {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for name, value in keys.items():
            setattr(instance, name, value)
        self.check(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance: models.Model, original: Any, row: Any, import_validation_errors: Any = None) -> bool:
        """An existing object that the row leaves as it is: reported as unchanged, not saved."""
        if instance.pk is None:
            return False
        return bool(super().skip_row(instance, original, row, import_validation_errors))

    def do_instance_save(self, instance: models.Model, is_create: bool) -> None:
        instance._history_user = self.by  # type: ignore[attr-defined]
        with transaction.atomic():
            self.save(instance, is_create)

    # What each import defines.

    def find(self, row: dict[str, Any]) -> models.Model | None:
        """The existing object the row names, or None for a new one."""
        raise NotImplementedError

    def check(self, instance: models.Model, row: dict[str, Any], errors: Errors) -> None:
        """Add the row's problems that no single cell shows (scope, conflicts) to `errors`."""

    def save(self, instance: models.Model, is_create: bool) -> None:
        instance.save(force_insert=is_create)


YEAR = WholeNumberWidget(2000, 2100, gettext_lazy("The year must be from %(minimum)d to %(maximum)d."))


def _blank() -> str:
    """Django's own message for an empty required cell, so all three imports say it alike."""
    return str(models.Field.default_error_messages["blank"])


def _not_one_of(value: str, allowed: list[str]) -> str:
    return _("“%(value)s” is not one of: %(allowed)s.") % {"value": value, "allowed": ", ".join(allowed)}


def _out_of_scope(what: object) -> str:
    return _("%(what)s is outside the part of the university you register for.") % {"what": what}


class GroupResource(ImportResource):
    name = Field(attribute="name", column_name="name", widget=TextWidget())
    programme = Field(
        attribute="programme",
        column_name="programme",
        widget=LookupWidget(Programme, "code", gettext_lazy("Programme “%(value)s” does not exist.")),
    )
    admission_year = Field(
        attribute="admission_year",
        column_name="admission_year",
        widget=YEAR,
    )
    language = Field(attribute="language", column_name="language", widget=ChoiceWidget(StudyLanguage))

    columns = (
        Column("name", True, gettext_lazy("Group name, e.g. ИС-25-1; an existing group with this name is updated.")),
        Column("programme", True, gettext_lazy("Code of the education programme, e.g. 6B06101.")),
        Column("admission_year", True, gettext_lazy("Year of admission, e.g. 2025.")),
        Column("language", True, gettext_lazy("Language of study: kk, ru or en.")),
    )
    file_keys = (FileKey(("name",), gettext_lazy("The group “%(value)s” is already on row %(first)d.")),)

    class Meta:
        model = StudyGroup
        fields = ("name", "programme", "admission_year", "language")
        import_id_fields = ("name",)

    def find(self, row: dict[str, Any]) -> StudyGroup | None:
        name = str(row.get("name") or "").strip()
        return find_by_text(StudyGroup.objects.select_related("programme"), "name", name) if name else None

    def check(self, instance: models.Model, row: dict[str, Any], errors: Errors) -> None:
        assert isinstance(instance, StudyGroup)
        if instance.pk is not None:
            stored = StudyGroup.objects.select_related("programme").get(pk=instance.pk)
            if not self.scope.has_programme(stored.programme):
                _add(errors, NON_FIELD_ERRORS, _out_of_scope(stored))
                return
        if instance.programme_id is not None and not self.scope.has_programme(instance.programme):
            _add(errors, "programme", _out_of_scope(instance.programme.code))


PROFILE_ATTNAMES = ("group_id", "year_of_study", "study_language", "funding", "study_form", "status")


class StudentResource(ImportResource):
    """A person (User) with a student profile; a blank optional cell keeps what is stored."""

    id_code = Field(attribute="id_code", column_name="id_code", widget=TextWidget())
    email = Field(attribute="email", column_name="email", widget=TextWidget(empty=None))
    last_name = Field(attribute="last_name", column_name="last_name", widget=TextWidget())
    first_name = Field(attribute="first_name", column_name="first_name", widget=TextWidget())
    patronymic = Field(attribute="patronymic", column_name="patronymic", widget=TextWidget())

    profile_widgets: ClassVar[dict[str, Any]] = {
        "group": LookupWidget(StudyGroup, "name", gettext_lazy("Group “%(value)s” does not exist.")),
        "year_of_study": WholeNumberWidget(
            1, 7, gettext_lazy("The year of study must be from %(minimum)d to %(maximum)d.")
        ),
        "study_language": ChoiceWidget(StudyLanguage),
        "funding": ChoiceWidget(StudentProfile.Funding),
        "study_form": ChoiceWidget(StudentProfile.StudyForm),
        "status": ChoiceWidget(StudentProfile.Status),
    }
    columns = (
        Column("id_code", True, gettext_lazy("University ID code; an existing person with this code is updated.")),
        Column("email", False, gettext_lazy("E-mail address, unique per person.")),
        Column("last_name", True, gettext_lazy("Surname.")),
        Column("first_name", True, gettext_lazy("Name.")),
        Column("patronymic", False, gettext_lazy("Patronymic.")),
        Column("group", True, gettext_lazy("Name of an existing study group.")),
        Column("year_of_study", True, gettext_lazy("Year of study, 1 to 7.")),
        Column("study_language", True, gettext_lazy("Language of study: kk, ru or en.")),
        Column("funding", True, gettext_lazy("grant (state grant), order (state order) or paid.")),
        Column("study_form", False, gettext_lazy("full_time (the default), part_time or distance.")),
        Column("status", False, gettext_lazy("enrolled (the default), leave, expelled or graduated.")),
    )
    file_keys = (
        FileKey(("id_code",), gettext_lazy("The ID code “%(value)s” is already on row %(first)d.")),
        FileKey(("email",), gettext_lazy("The e-mail “%(value)s” is already on row %(first)d.")),
    )
    keep_when_blank = frozenset({"email", "patronymic", "study_form", "status"})

    class Meta:
        model = User
        fields = ("id_code", "email", "last_name", "first_name", "patronymic")
        import_id_fields = ("id_code",)

    def __init__(self, by: User, scope: Scope, prechecked: dict[int, list[str]]) -> None:
        super().__init__(by, scope, prechecked)
        self.profile: StudentProfile | None = None
        self.profile_before: dict[str, object] = {}

    def init_instance(self, row: Any = None) -> User:
        user = User()
        # Students set their password through the e-mailed reset link; none is known here.
        user.set_unusable_password()
        return user

    def find(self, row: dict[str, Any]) -> User | None:
        id_code = str(row.get("id_code") or "").strip()
        return find_by_text(User.objects.all(), "id_code", id_code) if id_code else None

    def check(self, instance: models.Model, row: dict[str, Any], errors: Errors) -> None:
        assert isinstance(instance, User)
        self.profile = None
        profile = None
        if instance.pk is not None:
            profile = StudentProfile.objects.select_related("group").filter(user_id=instance.pk).first()
        if profile is not None and not self.scope.has_group(profile.group):
            _add(errors, NON_FIELD_ERRORS, _out_of_scope(profile.group))
            return
        profile = profile or StudentProfile(user=instance)
        self.profile_before = self._profile_values(profile)
        for column, widget in self.profile_widgets.items():
            if column in row:
                try:
                    setattr(profile, column, widget.clean(row[column]))
                except ValueError as exc:
                    _add(errors, column, str(exc))
        if profile.group_id is not None and not self.scope.has_group(profile.group):
            _add(errors, "group", _out_of_scope(profile.group))
        try:
            profile.full_clean(exclude=["user", *errors], validate_unique=False)
        except ValidationError as exc:
            exc.update_error_dict(errors)
        if instance.email:
            instance.email = BaseUserManager.normalize_email(instance.email)
            if User.objects.filter(email__iexact=instance.email).exclude(pk=instance.pk).exists():
                _add(
                    errors, "email", _("The e-mail “%(value)s” belongs to another person.") % {"value": instance.email}
                )
        self.profile = profile

    def skip_row(self, instance: models.Model, original: Any, row: Any, import_validation_errors: Any = None) -> bool:
        unchanged_profile = (
            self.profile is not None
            and self.profile.pk is not None
            and self.profile_before == self._profile_values(self.profile)
        )
        return unchanged_profile and super().skip_row(instance, original, row, import_validation_errors)

    def save(self, instance: models.Model, is_create: bool) -> None:
        assert isinstance(instance, User) and self.profile is not None
        instance.save(force_insert=is_create)
        profile = self.profile
        profile.user = instance
        profile._history_user = self.by  # type: ignore[attr-defined]
        profile.save()
        if not RoleAssignment.objects.filter(user=instance, role=Role.STUDENT).exists():
            role = RoleAssignment(
                user=instance, role=Role.STUDENT, university=profile.group.programme.department.institute.university
            )
            role._history_user = self.by  # type: ignore[attr-defined]
            role.save()

    def _profile_values(self, profile: StudentProfile) -> dict[str, object]:
        return {name: getattr(profile, name) for name in PROFILE_ATTNAMES}


class EnrolmentResource(ImportResource):
    """An enrolment made through `enrol_student`, so the AC-13 retake limit holds as on the page."""

    id_code = Field(column_name="id_code")
    discipline = Field(column_name="discipline")
    year = Field(column_name="year")
    term = Field(column_name="term")
    section = Field(column_name="section")

    columns = (
        Column("id_code", True, gettext_lazy("The student's university ID code.")),
        Column("discipline", True, gettext_lazy("Discipline code.")),
        Column("year", True, gettext_lazy("First calendar year of the academic year, e.g. 2026 for 2026-2027.")),
        Column("term", True, gettext_lazy("autumn, spring or summer.")),
        Column("section", False, gettext_lazy("Section of the offering; 1 when empty.")),
    )
    file_keys = (
        FileKey(
            ("id_code", "discipline", "year", "term", "section"),
            gettext_lazy("The same enrolment (%(value)s) is already on row %(first)d."),
            defaults=(("section", "1"),),
        ),
    )

    class Meta:
        model = Enrolment
        fields = ("id_code", "discipline", "year", "term", "section")

    def __init__(self, by: User, scope: Scope, prechecked: dict[int, list[str]]) -> None:
        super().__init__(by, scope, prechecked)
        self.found: tuple[Offering, StudentProfile] | None = None

    def find(self, row: dict[str, Any]) -> Enrolment | None:
        self.found = None
        errors: Errors = {}
        student = self._student(row, errors)
        offering = self._offering(row, errors)
        if errors:
            raise ValidationError(errors)
        assert student is not None and offering is not None
        if not self.scope.has_group(student.group):
            raise ValidationError(_out_of_scope(student.group))
        self.found = (offering, student)
        return Enrolment.objects.filter(offering=offering, student=student).first()

    def init_instance(self, row: Any = None) -> Enrolment:
        assert self.found is not None
        offering, student = self.found
        return Enrolment(offering=offering, student=student)

    def skip_row(self, instance: models.Model, original: Any, row: Any, import_validation_errors: Any = None) -> bool:
        return instance.pk is not None and not import_validation_errors

    def save(self, instance: models.Model, is_create: bool) -> None:
        assert isinstance(instance, Enrolment)
        try:
            instance.pk = enrol_student(self.by, instance.offering, instance.student).pk
        except AcademicsError as exc:
            raise ValidationError(str(exc)) from None

    def _student(self, row: dict[str, Any], errors: Errors) -> StudentProfile | None:
        id_code = str(row.get("id_code") or "").strip()
        if not id_code:
            _add(errors, "id_code", _blank())
            return None
        user = find_by_text(User.objects.all(), "id_code", id_code)
        student = StudentProfile.objects.select_related("group").filter(user=user).first() if user else None
        if student is None:
            _add(errors, "id_code", _("No student has the ID code “%(value)s”.") % {"value": id_code})
        return student

    def _offering(self, row: dict[str, Any], errors: Errors) -> Offering | None:
        code = str(row.get("discipline") or "").strip()
        discipline = find_by_text(Discipline.objects.all(), "code", code) if code else None
        if discipline is None:
            missing = _("Discipline “%(value)s” does not exist.") % {"value": code}
            _add(errors, "discipline", missing if code else _blank())
        year: int | None = None
        try:
            year = YEAR.clean(row.get("year"))
        except ValueError as exc:
            _add(errors, "year", str(exc))
        if year is None and "year" not in errors:
            _add(errors, "year", _blank())
        kind = str(row.get("term") or "").strip().lower()
        if kind not in Term.Kind.values:
            _add(errors, "term", _not_one_of(kind, Term.Kind.values) if kind else _blank())
        if discipline is None or year is None or errors:
            return None
        term = Term.objects.select_related("academic_year").filter(academic_year__start_year=year, kind=kind).first()
        if term is None:
            message = _("The %(year)d-%(next)d academic year has no %(kind)s term.")
            _add(errors, "term", message % {"year": year, "next": year + 1, "kind": kind})
            return None
        section = str(row.get("section") or "").strip() or "1"
        offerings = Offering.objects.select_related("discipline", "term__academic_year")
        offering = find_by_text(offerings.filter(discipline=discipline, term=term), "section", section)
        if offering is None:
            message = _("%(discipline)s is not offered in %(term)s, section %(section)s.")
            _add(errors, NON_FIELD_ERRORS, message % {"discipline": discipline.code, "term": term, "section": section})
        return offering
