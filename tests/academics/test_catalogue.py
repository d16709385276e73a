"""The registrar's catalogue: disciplines, offerings with teachers and groups, enrolling groups (AC-02, AC-13)."""

import pytest
from django.test import Client
from django.utils.translation import gettext

from academics.models import Discipline, Enrolment, Offering
from academics.services import catalogue
from portal.models import Document, Role
from tests.academics.factories import DisciplineFactory, OfferingFactory, TermFactory, enrol, make_staff
from tests.factories import StudyGroupFactory, make_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrar():
    return make_staff(Role.REGISTRAR)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _discipline_data(**overrides):
    data = {
        "code": "inf 101",
        "name_kk": "Информатика",
        "name_ru": "Информатика",
        "name_en": "Computing",
        "credits": "5",
    }
    data.update(overrides)
    return data


def test_ac02_registrar_adds_a_discipline_with_its_credits_and_finds_it(registrar):
    client = _client(registrar)
    response = client.post("/academics/registrar/disciplines/", _discipline_data(), follow=True)
    assert response.status_code == 200
    discipline = Discipline.objects.get()
    assert (discipline.code, discipline.credits) == ("INF 101", 5)
    listing = client.get("/academics/registrar/disciplines/", {"q": "Информ"}).content.decode()
    assert "INF 101" in listing


def test_ac02_bad_discipline_input_is_refused_and_nothing_is_saved(registrar):
    client = _client(registrar)
    body = client.post("/academics/registrar/disciplines/", _discipline_data(credits="0")).content.decode()
    assert Discipline.objects.count() == 0
    assert 'name="credits"' in body and "is-invalid" in body
    DisciplineFactory.create(code="INF 101")
    body = client.post("/academics/registrar/disciplines/", _discipline_data(), follow=True).content.decode()
    assert Discipline.objects.count() == 1
    expected = gettext("The code %(code)s is already used by another discipline.") % {"code": "INF 101"}
    assert expected in body


def test_ac11_credits_are_fixed_once_students_are_enrolled(registrar):
    offering = OfferingFactory.create()
    enrol(offering)
    discipline = offering.discipline
    data = {name: getattr(discipline, name) for name in catalogue.DISCIPLINE_FIELDS}
    with pytest.raises(catalogue.AcademicsError):
        catalogue.save_discipline(registrar, discipline, {**data, "credits": discipline.credits + 1})
    discipline.refresh_from_db()
    assert discipline.credits == data["credits"]
    # The names can still be corrected.
    catalogue.save_discipline(registrar, discipline, {**data, "name_en": "Renamed"})
    discipline.refresh_from_db()
    assert discipline.name_en == "Renamed"


def test_ac02_registrar_opens_an_offering_with_teachers_and_groups_and_enrols_the_groups(registrar):
    term = TermFactory.create()
    discipline = DisciplineFactory.create()
    teacher = make_staff(Role.TEACHER)
    group = StudyGroupFactory.create()
    students = [make_student(group=group) for _ in range(3)]
    make_student(group=group, status="expelled")
    client = _client(registrar)
    data = {
        "discipline": discipline.pk,
        "term": term.pk,
        "section": "2",
        "teachers": [teacher.pk],
        "groups": [group.pk],
    }
    response = client.post("/academics/registrar/offerings/", data, follow=True)
    assert response.status_code == 200
    offering = Offering.objects.get()
    assert list(offering.teachers.all()) == [teacher] and list(offering.groups.all()) == [group]
    response = client.post(f"/academics/registrar/offerings/{offering.pk}/enrol-groups/", follow=True)
    assert set(Enrolment.objects.values_list("student_id", flat=True)) == {s.pk for s in students}
    # The teacher now sees the gradebook of the offering.
    assert _client(teacher).get(f"/academics/offerings/{offering.pk}/gradebook/").status_code == 200
    # Enrolling again adds nobody.
    client.post(f"/academics/registrar/offerings/{offering.pk}/enrol-groups/")
    assert Enrolment.objects.count() == 3


def test_ac13_enrolling_groups_lists_a_third_retake_and_enrols_the_others(registrar):
    group = StudyGroupFactory.create()
    repeater, other = make_student(group=group), make_student(group=group)
    discipline = DisciplineFactory.create()
    for section in ("a", "b", "c"):  # the first attempt and two retakes
        enrol_offering = OfferingFactory.create(discipline=discipline, section=section)
        Enrolment.objects.create(offering=enrol_offering, student=repeater)
    offering = OfferingFactory.create(discipline=discipline, section="d")
    offering.groups.add(group)
    run = catalogue.enrol_groups(registrar, offering)
    assert run.enrolled == 1 and [s for s, _reason in run.refused] == [repeater]
    assert offering.enrolments.get().student == other


def test_ac02_an_offering_needs_a_teacher_and_a_duplicate_section_is_refused(registrar):
    offering = OfferingFactory.create(section="1")
    teacher = make_staff(Role.TEACHER)
    with pytest.raises(catalogue.AcademicsError):
        catalogue.save_offering(
            registrar, None, discipline=offering.discipline, term=offering.term, section="1", teachers=[], groups=[]
        )
    with pytest.raises(catalogue.AcademicsError):
        catalogue.save_offering(
            registrar,
            None,
            discipline=offering.discipline,
            term=offering.term,
            section="1",
            teachers=[teacher],
            groups=[],
        )
    assert Offering.objects.count() == 1


def test_ac23_a_signed_offering_cannot_change(registrar):
    offering = OfferingFactory.create()
    offering.statement = Document.objects.create(kind="x", title="x", file="x.pdf", sha256="0" * 64)
    offering.save()
    teacher = make_staff(Role.TEACHER)
    with pytest.raises(catalogue.AcademicsError):
        catalogue.save_offering(
            registrar,
            offering,
            discipline=offering.discipline,
            term=offering.term,
            section="1",
            teachers=[teacher],
            groups=[],
        )
    assert teacher not in offering.teachers.all()


def test_catalogue_pages_are_the_registrars_only(registrar):
    offering = OfferingFactory.create()
    for user in (make_staff(Role.TEACHER), make_student().user):
        client = _client(user)
        for url in (
            "/academics/registrar/disciplines/",
            f"/academics/registrar/disciplines/{offering.discipline.pk}/",
            "/academics/registrar/offerings/",
            f"/academics/registrar/offerings/{offering.pk}/",
        ):
            assert client.get(url).status_code == 403
        assert client.post(f"/academics/registrar/offerings/{offering.pk}/enrol-groups/").status_code == 403
        assert client.post("/academics/registrar/disciplines/", _discipline_data()).status_code == 403
    assert Discipline.objects.count() == 1


def test_catalogue_lists_keep_a_fixed_number_of_queries(registrar, django_assert_max_num_queries):
    term = TermFactory.create()
    for _ in range(30):
        offering = OfferingFactory.create(term=term)
        offering.teachers.add(make_staff(Role.TEACHER))
    client = _client(registrar)
    with django_assert_max_num_queries(14):
        assert client.get("/academics/registrar/offerings/", {"term": term.pk}).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/academics/registrar/disciplines/").status_code == 200
