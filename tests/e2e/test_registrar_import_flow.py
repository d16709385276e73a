"""The registrar imports study groups, students and enrolments from CSV files in Chromium, in Kazakh (issue 3).

A file with one bad row is refused whole: the page names the row and the reason and nothing is saved.
Good files are checked (a dry run), confirmed, and then exist in the database with the registrar as
the author of their history.
"""

from pathlib import Path

import pytest

from academics.models import Enrolment
from portal.models import Role, RoleAssignment, StudentProfile, StudyGroup
from tests.academics.factories import DisciplineFactory, OfferingFactory, TermFactory
from tests.e2e.helpers import kk, kk_plural, sign_in, text_of
from tests.factories import ProgrammeFactory, RoleAssignmentFactory, UniversityFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GROUPS_HEADER = "name,programme,admission_year,language"
STUDENTS_HEADER = "id_code,email,last_name,first_name,patronymic,group,year_of_study,study_language,funding"
ENROLMENTS_HEADER = "id_code,discipline,year,term,section"
STUDENTS = [
    ("260000101", "Сәрсенова", "Әйгерім", "ИС-26-1", "grant"),
    ("260000102", "Нұрланов", "Дәулет", "ИС-26-1", "paid"),
    ("260000103", "Қасымова", "Гүлназ", "ИС-26-2", "order"),
]


def write_csv(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def check_file(page, kind: str, path: Path) -> None:
    """Step 1 of the page: choose what the file holds, choose the file, check it (nothing is saved)."""
    page.check(f"input[name=kind][value={kind}]")
    page.set_input_files("input[type=file][name=file]", str(path))
    page.get_by_role("button", name=kk("Check the file")).click()
    page.wait_for_load_state()
    page.locator("#import-report").wait_for()


def confirm(page, base: str) -> None:
    page.get_by_role("button", name=kk("Confirm import")).click()
    page.wait_for_url(f"{base}/academics/registrar/import/")


def imported(file: str, created: int) -> str:
    return kk(
        "%(file)s is imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.",
        file=file,
        created=created,
        updated=0,
        unchanged=0,
    )


def test_registrar_imports_groups_students_and_enrolments_all_rows_or_none(live_server, page, artifacts, tmp_path):
    university = UniversityFactory.create()
    registrar = UserFactory.create(id_code="T90101", last_name="Тіркеушіева")
    RoleAssignmentFactory.create(user=registrar, role=Role.REGISTRAR, university=university)
    programme = ProgrammeFactory.create(code="6B06101", department__institute__university=university)
    offering = OfferingFactory.create(
        discipline=DisciplineFactory.create(code="MATH101"), term=TermFactory.create(), section="1"
    )
    base = live_server.url

    sign_in(page, base, registrar.id_code)
    page.locator("#registrar-import-panel a[href='/academics/registrar/import/']").click()
    page.wait_for_url(f"{base}/academics/registrar/import/")
    assert page.locator("h1").inner_text() == kk("Import from a file")

    # A groups file whose row 3 names a programme that does not exist: the whole file is refused.
    bad = write_csv(tmp_path, "groups-bad.csv", [GROUPS_HEADER, "ИС-26-1,6B06101,2026,kk", "ИС-26-2,6B99999,2026,ru"])
    check_file(page, "groups", bad)
    problem = kk(
        "Row %(row)d, column %(column)s: %(reason)s",
        row=3,
        column="programme",
        reason=kk("Programme “%(value)s” does not exist.", value="6B99999"),
    )
    assert page.locator("#import-problems li").all_inner_texts() == [problem]
    assert problem.startswith("3-жол")  # the spreadsheet's row number, the header being row 1
    nothing = "Nothing was imported: the file has %(n)s problem. Correct it and check the file again."
    nothing_plural = "Nothing was imported: the file has %(n)s problems. Correct them and check the file again."
    assert kk_plural(nothing, nothing_plural, 1) in text_of(page, "#import-report")
    assert page.locator("#confirm-import").count() == 0
    page.screenshot(path=str(artifacts / "20-import-bad-row-kk.png"), full_page=True)
    assert not StudyGroup.objects.filter(name__in=["ИС-26-1", "ИС-26-2"]).exists()  # not even the good row 2

    # The corrected groups file: checked, still nothing saved, then confirmed.
    good = write_csv(tmp_path, "groups.csv", [GROUPS_HEADER, "ИС-26-1,6B06101,2026,kk", "ИС-26-2,6B06101,2026,ru"])
    check_file(page, "groups", good)
    assert page.locator("#import-problems").count() == 0
    summary = (
        "The file is good. Importing it will create %(created)s, update %(updated)s and leave %(unchanged)s "
        "unchanged. Nothing is saved yet."
    )
    assert kk(summary, created=2, updated=0, unchanged=0) in text_of(page, "#import-summary")
    assert page.locator("#import-report tbody tr").count() == 2
    assert not StudyGroup.objects.filter(name__startswith="ИС-26").exists()  # the check is a dry run
    page.screenshot(path=str(artifacts / "21-import-checked-kk.png"), full_page=True)
    confirm(page, base)
    assert imported("groups.csv", 2) in text_of(page)

    students = write_csv(
        tmp_path,
        "students.csv",
        [STUDENTS_HEADER]
        + [
            f"{code},s{code}@test.edu.kz,{last},{first},,{group},1,kk,{funding}"
            for code, last, first, group, funding in STUDENTS
        ],
    )
    check_file(page, "students", students)
    assert kk(summary, created=3, updated=0, unchanged=0) in text_of(page, "#import-summary")
    confirm(page, base)
    assert imported("students.csv", 3) in text_of(page)

    enrolments = write_csv(
        tmp_path, "enrolments.csv", [ENROLMENTS_HEADER] + [f"{s[0]},MATH101,2026,autumn,1" for s in STUDENTS]
    )
    check_file(page, "enrolments", enrolments)
    confirm(page, base)
    assert imported("enrolments.csv", 3) in text_of(page)
    page.screenshot(path=str(artifacts / "22-import-done-kk.png"), full_page=True)

    groups = {g.name: g for g in StudyGroup.objects.filter(name__startswith="ИС-26")}
    assert set(groups) == {"ИС-26-1", "ИС-26-2"}
    assert all(g.programme == programme and g.admission_year == 2026 for g in groups.values())
    assert (groups["ИС-26-1"].language, groups["ИС-26-2"].language) == ("kk", "ru")
    assert groups["ИС-26-1"].history.get().history_user == registrar
    profiles = {p.user.id_code: p for p in StudentProfile.objects.select_related("user", "group")}
    assert set(profiles) == {s[0] for s in STUDENTS}
    for code, last, first, group, funding in STUDENTS:
        profile = profiles[code]
        assert (profile.user.last_name, profile.user.first_name, profile.group.name) == (last, first, group)
        assert profile.funding == funding
        assert not profile.user.has_usable_password()  # students set theirs through the reset link
    assert RoleAssignment.objects.filter(role=Role.STUDENT, user__id_code__in=profiles).count() == 3
    assert set(Enrolment.objects.filter(offering=offering).values_list("student__user__id_code", flat=True)) == set(
        profiles
    )
