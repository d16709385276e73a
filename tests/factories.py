"""factory_boy factories for the portal core."""

import factory
from django.utils import timezone

from portal.models import (
    Department,
    Institute,
    Programme,
    Role,
    RoleAssignment,
    StaffProfile,
    StudentProfile,
    StudyGroup,
    University,
    User,
)

PASSWORD = "Secret-2026"


class UniversityFactory(factory.django.DjangoModelFactory[University]):
    class Meta:
        model = University

    name_kk = "Сынақ университеті"
    name_ru = "Тестовый университет"
    name_en = "Test University"


class InstituteFactory(factory.django.DjangoModelFactory[Institute]):
    class Meta:
        model = Institute

    university = factory.SubFactory(UniversityFactory)
    code = factory.Sequence(lambda n: f"I{n}")
    name_kk = factory.Sequence(lambda n: f"Институт {n}")


class DepartmentFactory(factory.django.DjangoModelFactory[Department]):
    class Meta:
        model = Department

    institute = factory.SubFactory(InstituteFactory)
    code = factory.Sequence(lambda n: f"D{n}")
    name_kk = factory.Sequence(lambda n: f"Кафедра {n}")


class ProgrammeFactory(factory.django.DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    department = factory.SubFactory(DepartmentFactory)
    code = factory.Sequence(lambda n: f"6B{n:05d}")
    name_kk = factory.Sequence(lambda n: f"Бағдарлама {n}")


class StudyGroupFactory(factory.django.DjangoModelFactory[StudyGroup]):
    class Meta:
        model = StudyGroup

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"ГР-{n}")
    admission_year = 2025
    language = "kk"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    id_code = factory.Sequence(lambda n: f"{250000000 + n}")
    email = factory.Sequence(lambda n: f"person{n}@test.edu.kz")
    last_name = "Әбілов"
    first_name = "Ерлан"
    patronymic = "Серікұлы"
    password_changed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: object) -> None:
        obj.set_password(extracted or PASSWORD)
        obj.password_changed_at = timezone.now()
        if create:
            obj.save()


class StudentProfileFactory(factory.django.DjangoModelFactory[StudentProfile]):
    class Meta:
        model = StudentProfile

    user = factory.SubFactory(UserFactory)
    group = factory.SubFactory(StudyGroupFactory)
    year_of_study = 2
    study_language = "kk"
    funding = StudentProfile.Funding.STATE_GRANT


class StaffProfileFactory(factory.django.DjangoModelFactory[StaffProfile]):
    class Meta:
        model = StaffProfile

    user = factory.SubFactory(UserFactory, id_code=factory.Sequence(lambda n: f"T{n:05d}"))
    department = factory.SubFactory(DepartmentFactory)
    position = "Аға оқытушы"


class RoleAssignmentFactory(factory.django.DjangoModelFactory[RoleAssignment]):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.TEACHER


def make_student(**kwargs: object) -> StudentProfile:
    """A student profile with the STUDENT role, as the registrar would create it."""
    profile = StudentProfileFactory.create(**kwargs)
    RoleAssignmentFactory.create(user=profile.user, role=Role.STUDENT)
    return profile
