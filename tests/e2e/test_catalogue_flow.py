"""AC-02, AC-13: the registrar keeps the catalogue in Chromium, in Kazakh, and the teacher gets the gradebook.

The registrar adds a discipline (code, names in three languages, 5 credits), finds it by search, and is
refused a discipline of 0 credits with nothing saved. She opens an offering of it in the term with one
teacher and one study group, and enrols the group's students: the enrolled students (not the expelled
one, not another group's) are listed; a student who has already taken the discipline three times (the
first attempt and two retakes) is named in a warning with the AC-13 reason and not enrolled. The
teacher then sees the students in the offering's gradebook.

Most of the catalogue's own strings have no Kazakh translation yet: those elements are found by URL,
id or name, and kk() is used only on messages the Kazakh catalogue has.
"""

import re
from datetime import date

import pytest
from django.utils import timezone

from academics.models import AcademicYear, Discipline, Enrolment, Offering, Term
from portal.models import Role, StudentProfile
from tests.academics.factories import OfferingFactory
from tests.e2e.helpers import kk, sign_in, text_of
from tests.factories import RoleAssignmentFactory, StudyGroupFactory, UserFactory, make_student

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DISCIPLINES = "/academics/registrar/disciplines/"
OFFERINGS = "/academics/registrar/offerings/"


def autumn_term(start_year: int) -> Term:
    """The autumn semester of the academic year starting in `start_year`."""
    year, _created = AcademicYear.objects.get_or_create(
        start_year=start_year,
        defaults={"starts_on": date(start_year, 9, 2), "ends_on": date(start_year + 1, 8, 31)},
    )
    return Term.objects.create(
        academic_year=year,
        kind=Term.Kind.AUTUMN,
        starts_on=date(start_year, 9, 2),
        ends_on=date(start_year, 12, 15),
        exams_start=date(start_year, 12, 16),
        exams_end=date(start_year + 1, 1, 10),
    )


def column(page, table: str, index: int = 0) -> list[str]:
    """The texts of one column of a table's body rows."""
    return [" ".join(t.split()) for t in page.locator(f"{table} tbody tr td:nth-child({index + 1})").all_inner_texts()]


def fill_discipline(page, code: str, credits: str) -> None:
    form = page.locator("#main form[method=post]")
    form.locator("#id_code").fill(code)
    form.locator("#id_name_kk").fill("Сызықтық алгебра")
    form.locator("#id_name_ru").fill("Линейная алгебра")
    form.locator("#id_name_en").fill("Linear algebra")
    form.locator("#id_credits").fill(credits)
    with page.expect_navigation():  # the answer to the POST: the list again, or the form with its errors
        form.locator("button[type=submit]").click()


def test_ac02_ac13_registrar_builds_the_catalogue_and_enrols_a_group(live_server, page, browser, artifacts):
    """AC-02: a discipline, its offering with a teacher and a group, the group enrolled; AC-13: a 4th try refused."""
    today = timezone.localdate()
    start_year = today.year if today.month >= 9 else today.year - 1
    term = autumn_term(start_year)
    registrar = UserFactory.create(id_code="T90401", last_name="Тіркеушіева", first_name="Гүлнар")
    RoleAssignmentFactory.create(user=registrar, role=Role.REGISTRAR)
    teacher = UserFactory.create(id_code="T90402", last_name="Оқытушыбаев", first_name="Бауыржан")
    RoleAssignmentFactory.create(user=teacher, role=Role.TEACHER)
    other_teacher = UserFactory.create(id_code="T90403", last_name="Басқаев", first_name="Марат")
    RoleAssignmentFactory.create(user=other_teacher, role=Role.TEACHER)
    group = StudyGroupFactory.create(name="МТ-25-1")
    other_group = StudyGroupFactory.create(name="МТ-25-2")
    # Kazakh letters on purpose: Ә and Қ sort after Я in code-point order.
    students = [
        make_student(group=group, user__last_name=last, user__first_name=first)
        for last, first in (("Әлиева", "Аружан"), ("Бекова", "Дана"), ("Қасымов", "Нұрлан"))
    ]
    expelled = make_student(
        group=group, status=StudentProfile.Status.EXPELLED, user__last_name="Шығарылған", user__first_name="Ерік"
    )
    repeater = make_student(group=group, user__last_name="Қайталаев", user__first_name="Самат")
    elsewhere = make_student(group=other_group, user__last_name="Басқатопов", user__first_name="Әсет")
    Discipline.objects.create(code="PHYS101", name_kk="Жалпы физика", name_ru="Общая физика", credits=5)
    base = live_server.url

    # The registrar follows the catalogue link of her dashboard.
    sign_in(page, base, registrar.id_code)
    page.screenshot(path=str(artifacts / "59-catalogue-registrar-dashboard-kk.png"), full_page=True)
    page.locator(f"#registrar-import-panel a[href='{DISCIPLINES}']").click()
    page.wait_for_url(f"{base}{DISCIPLINES}")
    assert column(page, "#disciplines") == ["PHYS101"]

    # She adds a discipline: the code is kept in capitals, the list shows it with its 5 credits.
    fill_discipline(page, " mat210 ", "5")
    page.wait_for_url(f"{base}{DISCIPLINES}")
    assert "MAT210" in text_of(page, "#main .alert-success")
    discipline = Discipline.objects.get(code="MAT210")
    assert (discipline.name_kk, discipline.name_ru, discipline.name_en, discipline.credits) == (
        "Сызықтық алгебра",
        "Линейная алгебра",
        "Linear algebra",
        5,
    )
    row = page.locator("#disciplines tbody tr", has_text="MAT210")
    assert [" ".join(t.split()) for t in row.locator("td").all_inner_texts()] == [
        "MAT210",
        "Сызықтық алгебра",
        "5",
        "0",
    ]
    page.screenshot(path=str(artifacts / "60-catalogue-discipline-added-kk.png"), full_page=True)

    # The search finds it by its Russian name, and leaves the other discipline out.
    page.locator("#main form[role=search] input[name=q]").fill("Линейная")
    page.locator("#main form[role=search]").get_by_role("button", name=kk("Search")).click()
    page.wait_for_url(re.compile(re.escape(f"{base}{DISCIPLINES}?q=")))
    assert column(page, "#disciplines") == ["MAT210"]
    page.screenshot(path=str(artifacts / "61-catalogue-search-kk.png"), full_page=True)

    # 0 credits: the field says why, nothing is saved.
    page.goto(f"{base}{DISCIPLINES}")
    fill_discipline(page, "MAT211", "0")
    credits_box = page.locator("#main form[method=post] #id_credits")
    assert credits_box.get_attribute("aria-invalid") == "true"
    minimum = kk("Ensure this value is greater than or equal to %(limit_value)s.", limit_value=1)
    assert minimum in text_of(page, "#main form[method=post]")
    page.screenshot(path=str(artifacts / "62-catalogue-zero-credits-kk.png"), full_page=True)
    assert list(Discipline.objects.order_by("code").values_list("code", flat=True)) == ["MAT210", "PHYS101"]

    # AC-13: the repeater has taken MAT210 three times already (the first attempt and two retakes).
    for years_ago in (3, 2, 1):
        earlier = OfferingFactory.create(discipline=discipline, term=autumn_term(start_year - years_ago))
        Enrolment.objects.create(offering=earlier, student=repeater)

    # She opens an offering of it this term with one teacher and one study group.
    page.locator(f"#main a[href='{OFFERINGS}']").click()
    page.wait_for_url(f"{base}{OFFERINGS}")
    form = page.locator("#main form[method=post]")
    form.locator("#id_discipline").select_option(str(discipline.pk))
    form.locator("#id_term").select_option(str(term.pk))
    assert form.locator("#id_section").input_value() == "1"
    assert form.locator("#id_teachers option").all_inner_texts() == [other_teacher.full_name, teacher.full_name]
    form.locator("#id_teachers").select_option([str(teacher.pk)])
    form.locator("#id_groups").select_option([str(group.pk)])
    page.screenshot(path=str(artifacts / "63-catalogue-offering-form-kk.png"), full_page=True)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{base}{OFFERINGS}*/")
    offering = Offering.objects.get(term=term)
    assert page.url == f"{base}{OFFERINGS}{offering.pk}/"
    assert (offering.discipline, offering.section) == (discipline, "1")
    assert list(offering.teachers.all()) == [teacher] and list(offering.groups.all()) == [group]
    assert "Сызықтық алгебра" in text_of(page, "#main .alert-success")
    assert page.locator("#enrolments tbody tr").count() == 1  # the empty-list row
    assert "MAT210 · Сызықтық алгебра" in text_of(page, "h1")

    # Enrolling the group: its three enrolled students; the repeater is named with the AC-13 reason.
    page.locator(f"#main form[action='{OFFERINGS}{offering.pk}/enrol-groups/'] button[type=submit]").click()
    page.wait_for_url(f"{base}{OFFERINGS}{offering.pk}/")
    assert "3" in text_of(page, "#main .alert-success")
    reason = kk(
        "%(discipline)s has already been retaken twice: no further retake is allowed.", discipline="Сызықтық алгебра"
    )
    warnings = page.locator("#main .alert-warning")
    assert warnings.count() == 1
    assert text_of(page, "#main .alert-warning") == f"{repeater.user.full_name} ({repeater.user.id_code}): {reason}"
    # The order is not asserted: this table sorts by code point (Ә and Қ after Я), unlike the gradebook.
    names = column(page, "#enrolments")
    assert sorted(names) == sorted(s.user.full_name for s in students)
    assert column(page, "#enrolments", 2) == ["МТ-25-1"] * 3
    page.screenshot(path=str(artifacts / "64-catalogue-group-enrolled-kk.png"), full_page=True)
    assert set(offering.enrolments.values_list("student_id", flat=True)) == {s.pk for s in students}
    assert not Enrolment.objects.filter(student__in=[expelled, elsewhere]).exists()
    assert Enrolment.objects.filter(student=repeater, offering__discipline=discipline).count() == 3

    # The teacher opens the offering's gradebook and sees the three students.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="kk-KZ")
    teacher_page = context.new_page()
    sign_in(teacher_page, base, teacher.id_code)
    teacher_page.goto(f"{base}/academics/offerings/{offering.pk}/gradebook/")
    assert kk("Gradebook") in text_of(teacher_page, "h1") and "Сызықтық алгебра" in text_of(teacher_page, "h1")
    # The gradebook lists them in Kazakh alphabetical order (Ә after А, Қ after К), each with the group.
    rows = column(teacher_page, "#gradebook", 1)
    assert rows == [f"{s.user.full_name} МТ-25-1" for s in students]
    gradebook = text_of(teacher_page, "#gradebook")
    for absent in (repeater, expelled, elsewhere):
        assert absent.user.full_name not in gradebook
    teacher_page.screenshot(path=str(artifacts / "65-catalogue-teacher-gradebook-kk.png"), full_page=True)
    context.close()
