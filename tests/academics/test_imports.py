"""The registrar's import of groups, students and enrolments from CSV and XLSX (issue 3): all rows or none."""

import io
from collections.abc import Sequence
from datetime import date

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from academics.imports import preview_import, run_import
from academics.models import Enrolment, Term
from portal.models import Role, RoleAssignment, StudentProfile, StudyGroup, User
from tests.academics.factories import DisciplineFactory, OfferingFactory, TermFactory
from tests.factories import (
    InstituteFactory,
    ProgrammeFactory,
    RoleAssignmentFactory,
    StudyGroupFactory,
    UniversityFactory,
    UserFactory,
    make_student,
)

pytestmark = pytest.mark.django_db

STUDENT_HEADER = ["id_code", "email", "last_name", "first_name", "patronymic", "group", "year_of_study"]
STUDENT_HEADER += ["study_language", "funding", "study_form", "status"]


def csv_upload(rows: Sequence[Sequence[object]], name: str = "import.csv") -> SimpleUploadedFile:
    text = "\n".join(",".join(str(cell) for cell in row) for row in rows) + "\n"
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_upload(rows: Sequence[Sequence[object]], name: str = "import.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def university():
    return UniversityFactory.create()


@pytest.fixture
def registrar(university):
    user = UserFactory.create(id_code="T90001")
    RoleAssignmentFactory.create(user=user, role=Role.REGISTRAR, university=university)
    return user


@pytest.fixture
def programme(university):
    return ProgrammeFactory.create(code="6B06101", department__institute__university=university)


@pytest.fixture
def group(programme):
    return StudyGroupFactory.create(name="ИС-25-1", programme=programme, admission_year=2025, language="kk")


@pytest.fixture
def offering():
    term = TermFactory.create()
    return OfferingFactory.create(discipline=DisciplineFactory.create(code="MATH101"), term=term, section="1")


def check_and_confirm(client: Client, kind: str, upload: SimpleUploadedFile):
    """The two steps of the page: the check (a dry run), then the confirmation."""
    preview = client.post(reverse("academics:import"), {"kind": kind, "file": upload})
    assert preview.status_code == 200
    assert preview.context["report"].ok, [p.message for p in preview.context["report"].problems]
    return client.post(reverse("academics:import_confirm"), {"digest": preview.context["digest"]}, follow=True)


def student_row(id_code: str, group: str = "ИС-25-1", **cells: object) -> list[object]:
    values = {
        "id_code": id_code,
        "email": f"s{id_code}@test.edu.kz",
        "last_name": "Сәрсенова",
        "first_name": "Әйгерім",
        "patronymic": "Қанатқызы",
        "group": group,
        "year_of_study": 1,
        "study_language": "kk",
        "funding": "grant",
        "study_form": "full_time",
        "status": "enrolled",
    }
    values.update(cells)
    return [values[column] for column in STUDENT_HEADER]


# Groups


def test_groups_csv_creates_new_groups_and_updates_by_name(registrar, group, programme):
    other = ProgrammeFactory.create(code="6B06102", department=programme.department)
    upload = csv_upload(
        [
            ["name", "programme", "admission_year", "language"],
            ["ИС-26-1", "6B06101", 2026, "kk"],
            ["ис-25-1", "6b06102", 2025, "RU"],  # the existing group, matched in any letter case
        ]
    )
    response = check_and_confirm(client_for(registrar), "groups", upload)
    assert response.status_code == 200
    assert "1 құрылды, 1 жаңартылды, 0 өзгеріссіз" in response.content.decode()
    created = StudyGroup.objects.get(name="ИС-26-1")
    assert (created.programme, created.admission_year, created.language) == (programme, 2026, "kk")
    group.refresh_from_db()
    assert (group.name, group.programme, group.language) == ("ИС-25-1", other, "ru")
    assert created.history.get().history_user == registrar
    assert group.history.first().history_type == "~"


def test_groups_xlsx_import(registrar, programme):
    upload = xlsx_upload(
        [["name", "programme", "admission_year", "language"], ["ВТ-26-1", "6B06101", 2026, "en"], [None] * 4]
    )
    check_and_confirm(client_for(registrar), "groups", upload)
    assert StudyGroup.objects.get(name="ВТ-26-1").language == "en"


# Students


def test_students_csv_creates_person_profile_and_role_with_history(registrar, group):
    upload = csv_upload([STUDENT_HEADER, student_row("260000001"), student_row("260000002", status="")])
    response = check_and_confirm(client_for(registrar), "students", upload)
    assert "2 құрылды, 0 жаңартылды" in response.content.decode()
    user = User.objects.get(id_code="260000001")
    assert (user.last_name, user.first_name, user.email) == ("Сәрсенова", "Әйгерім", "s260000001@test.edu.kz")
    assert not user.has_usable_password()
    profile = user.student
    assert (profile.group, profile.year_of_study, profile.funding) == (group, 1, "grant")
    assert StudentProfile.objects.get(user__id_code="260000002").status == StudentProfile.Status.ENROLLED
    assert RoleAssignment.objects.filter(
        user=user, role=Role.STUDENT, university=group.programme.department.institute.university
    ).exists()
    assert user.history.get().history_user == registrar
    assert profile.history.get().history_user == registrar


def test_students_are_updated_by_id_code_and_blank_optional_cells_keep_values(registrar, group):
    existing = make_student(user__id_code="260000009", user__email="old@test.edu.kz", group=group, year_of_study=1)
    upload = csv_upload(
        [
            STUDENT_HEADER,
            student_row("260000009", email="", year_of_study=2, funding="paid"),
        ]
    )
    response = check_and_confirm(client_for(registrar), "students", upload)
    assert "0 құрылды, 1 жаңартылды" in response.content.decode()
    existing.refresh_from_db()
    existing.user.refresh_from_db()
    assert (existing.year_of_study, existing.funding, existing.user.email) == (2, "paid", "old@test.edu.kz")
    assert existing.history.count() == 2
    assert RoleAssignment.objects.filter(user=existing.user, role=Role.STUDENT).count() == 1
    again = check_and_confirm(
        client_for(registrar),
        "students",
        csv_upload([STUDENT_HEADER, student_row("260000009", email="", year_of_study=2, funding="paid")]),
    )
    assert "0 құрылды, 0 жаңартылды, 1 өзгеріссіз" in again.content.decode()
    assert existing.history.count() == 2


def test_students_xlsx_with_numeric_id_codes_and_a_blank_row(registrar, group):
    row = student_row("x")
    row[0] = 260000003  # Excel keeps an ID code typed as a number
    upload = xlsx_upload(
        [STUDENT_HEADER, row, [None] * len(STUDENT_HEADER), student_row("260000004", year_of_study=3.0)]
    )
    check_and_confirm(client_for(registrar), "students", upload)
    assert StudentProfile.objects.get(user__id_code="260000003").group == group
    assert StudentProfile.objects.get(user__id_code="260000004").year_of_study == 3


# Enrolments


def test_enrolments_csv_enrols_through_the_service(registrar, offering):
    a, b = make_student(user__id_code="260000011"), make_student(user__id_code="260000012")
    upload = csv_upload(
        [
            ["id_code", "discipline", "year", "term", "section"],
            ["260000011", "MATH101", 2026, "autumn", "1"],
            ["260000012", "math101", 2026, "Autumn", ""],
        ]
    )
    response = check_and_confirm(client_for(registrar), "enrolments", upload)
    assert "2 құрылды" in response.content.decode()
    assert set(Enrolment.objects.values_list("student", flat=True)) == {a.pk, b.pk}
    assert [h.history_user for h in Enrolment.history.filter(history_type="+")] == [registrar, registrar]
    again = check_and_confirm(
        client_for(registrar),
        "enrolments",
        csv_upload([["id_code", "discipline", "year", "term"], ["260000011", "MATH101", 2026, "autumn"]]),
    )
    assert "0 құрылды, 0 жаңартылды, 1 өзгеріссіз" in again.content.decode()


def test_enrolments_xlsx_import_picks_the_section(registrar, offering):
    second = OfferingFactory.create(discipline=offering.discipline, term=offering.term, section="2")
    student = make_student(user__id_code="260000013")
    upload = xlsx_upload(
        [["id_code", "discipline", "year", "term", "section"], [260000013, "MATH101", 2026, "autumn", 2]]
    )
    check_and_confirm(client_for(registrar), "enrolments", upload)
    assert Enrolment.objects.get().offering == second
    assert Enrolment.objects.get().student == student


def test_ac13_imported_enrolments_obey_the_retake_limit(registrar, offering):
    """AC-13: taken once, retaken at most twice, in a file as on the page; the file is refused whole."""
    student = make_student(user__id_code="260000021")
    Enrolment.objects.create(offering=offering, student=student)
    terms = [
        TermFactory.create(
            kind=Term.Kind.SPRING,
            starts_on=date(2027, 1, 20),
            ends_on=date(2027, 5, 1),
            exams_start=date(2027, 5, 2),
            exams_end=date(2027, 6, 1),
        ),
        TermFactory.create(
            kind=Term.Kind.SUMMER,
            starts_on=date(2027, 6, 10),
            ends_on=date(2027, 7, 20),
            exams_start=date(2027, 7, 21),
            exams_end=date(2027, 7, 30),
        ),
    ]
    for term in terms:
        OfferingFactory.create(discipline=offering.discipline, term=term)
    OfferingFactory.create(discipline=offering.discipline, term=offering.term, section="2")
    header = ["id_code", "discipline", "year", "term", "section"]
    upload = csv_upload(
        [
            header,
            ["260000021", "MATH101", 2026, "spring", 1],  # first retake
            ["260000021", "MATH101", 2026, "summer", 1],  # second retake
            ["260000021", "MATH101", 2026, "autumn", 2],  # a third retake: refused
        ]
    )
    with translation.override("en"):
        report = run_import("enrolments", ContentFile(upload.read(), name="e.csv"), registrar)
    assert [p.row for p in report.problems] == [4]
    assert "retaken twice" in report.problems[0].message
    assert Enrolment.objects.filter(student=student).count() == 1


# Problems: the whole file is refused, every bad row named


def test_a_file_with_bad_rows_imports_nothing_and_names_each_row(registrar, group):
    upload = csv_upload(
        [
            STUDENT_HEADER,
            student_row("260000031"),  # row 2: good
            student_row("260000032", email="not-an-address"),  # row 3
            student_row("260000033", group="XYZ-21"),  # row 4
            student_row("260000031", email="other@test.edu.kz", status="gone"),  # row 5: row 2's ID code, a bad status
            student_row("260000035", year_of_study=9, funding="free"),  # row 6: two problems
            student_row("260000036", last_name=""),  # row 7
        ]
    )
    client = client_for(registrar)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("academics:import"), {"kind": "students", "file": upload})
    body = response.content.decode()
    report = response.context["report"]
    assert [p.row for p in report.problems] == [3, 4, 5, 5, 6, 6, 7]
    assert "Row 3, column email: Enter a valid email address." in body
    assert "Row 4, column group: Group “XYZ-21” does not exist." in body
    assert "Row 5: The ID code “260000031” is already on row 2." in body
    assert "Row 5, column status: “gone” is not one of: enrolled, leave, expelled, graduated." in body
    assert "Row 6, column year_of_study: The year of study must be from 1 to 7." in body
    assert "Row 6, column funding: “free” is not one of: grant, order, paid." in body
    assert "Row 7, column last_name:" in body
    assert "Nothing was imported" in body
    assert response.context["digest"] is None
    assert not User.objects.filter(id_code__startswith="26000003").exists()
    assert client.post(reverse("academics:import_confirm"), {"digest": "x"}).status_code == 302
    assert not User.objects.filter(id_code__startswith="26000003").exists()


def test_bad_rows_are_numbered_as_in_the_spreadsheet_despite_blank_rows(registrar, programme):
    upload = xlsx_upload(
        [
            ["name", "programme", "admission_year", "language"],
            ["А-1", "6B06101", 2026, "kk"],
            [None] * 4,
            [None] * 4,
            ["А-2", "NOPE", 2026, "kk"],
            ["А-1", "6B06101", 2026, "kz"],
        ]
    )
    with translation.override("en"):
        report = run_import("groups", upload, registrar)
    assert [(p.row, p.message) for p in report.problems] == [
        (5, "Row 5, column programme: Programme “NOPE” does not exist."),
        (6, "Row 6: The group “А-1” is already on row 2."),
        (6, "Row 6, column language: “kz” is not one of: kk, ru, en."),
    ]
    assert not StudyGroup.objects.filter(name__in=["А-1", "А-2"]).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("groups.txt", b"name\nA\n", "Only .csv and .xlsx files can be imported."),
        ("groups.csv", b"", "The file is empty."),
        ("groups.csv", b"\n\n", "The file is empty."),
        ("groups.csv", b"name,programme,admission_year,language\n", "The file has a header row but no data rows."),
        ("groups.csv", "name,programme,admission_year,language\nА,6B06101,2026,kk\n".encode("cp1251"), "not in UTF-8"),
        ("groups.xlsx", b"name,programme\n", "could not be read as an Excel workbook"),
        ("groups.xlsx", b"PK\x03\x04broken", "could not be read as an Excel workbook"),
        ("groups.csv", b"name,colour,language\nA,red,kk\n", "Unknown columns: colour."),
        ("groups.csv", b"name,colour,language\nA,red,kk\n", "Required columns are missing: programme, admission_year."),
        ("groups.csv", b"name,name,programme,admission_year,language\n", "These columns appear more than once: name."),
    ],
)
def test_files_that_cannot_be_imported_say_why(registrar, name, content, message):
    with translation.override("en"):
        report = preview_import("groups", ContentFile(content, name=name), registrar)
    assert not report.ok
    assert any(message in p.message and p.row is None for p in report.problems), report.problems


def test_semicolon_csv_with_byte_order_mark_from_excel_is_read(registrar, programme):
    content = "\ufeffName;Programme;Admission year;Language\r\nӘ-26-1;6B06101;2026;kk\r\n".encode()
    report = run_import("groups", ContentFile(content, name="groups.csv"), registrar)
    assert report.ok and report.committed and report.created == 1
    assert StudyGroup.objects.filter(name="Ә-26-1").exists()


# The check writes nothing; only the registrar may import


def test_the_check_writes_nothing(registrar, group, django_assert_max_num_queries):
    client = client_for(registrar)
    history_before = StudentProfile.history.count()
    upload = csv_upload([STUDENT_HEADER, student_row("260000041"), student_row("260000042")])
    response = client.post(reverse("academics:import"), {"kind": "students", "file": upload})
    report = response.context["report"]
    assert (report.ok, report.committed, report.created) == (True, False, 2)
    assert "Жүктеуді растау" in response.content.decode()
    assert not User.objects.filter(id_code__in=["260000041", "260000042"]).exists()
    assert StudentProfile.history.count() == history_before
    assert User.history.filter(id_code="260000041").count() == 0
    # Opening the page again forgets the checked file: the old confirmation imports nothing.
    with django_assert_max_num_queries(12):
        assert client.get(reverse("academics:import")).status_code == 200
    client.post(reverse("academics:import_confirm"), {"digest": response.context["digest"]})
    assert not User.objects.filter(id_code="260000041").exists()


def test_a_file_that_went_bad_after_the_check_imports_nothing_on_confirmation(registrar, university):
    programme = ProgrammeFactory.create(code="6B09999", department__institute__university=university)
    client = client_for(registrar)
    upload = csv_upload([["name", "programme", "admission_year", "language"], ["Ж-26-1", "6B09999", 2026, "kk"]])
    preview = client.post(reverse("academics:import"), {"kind": "groups", "file": upload})
    assert preview.context["report"].ok
    programme.delete()  # someone else's change between the check and the confirmation
    response = client.post(reverse("academics:import_confirm"), {"digest": preview.context["digest"]})
    assert response.status_code == 200
    assert [p.row for p in response.context["report"].problems] == [2]
    assert "2-жол, programme бағаны:" in response.content.decode()
    assert not StudyGroup.objects.filter(name="Ж-26-1").exists()


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.DEAN])
def test_only_the_registrar_may_import(role, university, group):
    user = UserFactory.create()
    RoleAssignmentFactory.create(user=user, role=role, university=university)
    client = client_for(user)
    upload = csv_upload([STUDENT_HEADER, student_row("260000051")])
    assert client.get(reverse("academics:import")).status_code == 403
    assert client.post(reverse("academics:import"), {"kind": "students", "file": upload}).status_code == 403
    assert client.post(reverse("academics:import_confirm"), {"digest": "x"}).status_code == 403
    assert client.get(reverse("academics:import_template", args=["students", "csv"])).status_code == 403
    assert not User.objects.filter(id_code="260000051").exists()
    assert Client().get(reverse("academics:import")).status_code == 302  # to the login page


def test_superuser_may_import(group):
    admin = UserFactory.create(is_superuser=True, is_staff=True)
    check_and_confirm(client_for(admin), "students", csv_upload([STUDENT_HEADER, student_row("260000052")]))
    assert User.objects.filter(id_code="260000052").exists()


def test_a_registrar_of_one_institute_imports_only_into_it(group):
    registrar = UserFactory.create()
    RoleAssignmentFactory.create(user=registrar, role=Role.REGISTRAR, institute=InstituteFactory.create())
    with translation.override("en"):
        report = run_import("students", csv_upload([STUDENT_HEADER, student_row("260000061")]), registrar)
    assert [p.row for p in report.problems] == [2]
    assert "outside the part of the university you register for" in report.problems[0].message
    assert not User.objects.filter(id_code="260000061").exists()


# Templates and the dashboard


@pytest.mark.parametrize("kind", ["groups", "students", "enrolments"])
def test_template_files_hold_the_header_row(registrar, kind):
    client = client_for(registrar)
    csv_response = client.get(reverse("academics:import_template", args=[kind, "csv"]))
    header = csv_response.content.decode("utf-8-sig").strip().split(",")
    assert header[0] == "id_code" if kind != "groups" else header[0] == "name"
    xlsx_response = client.get(reverse("academics:import_template", args=[kind, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_response.content)).active
    assert sheet is not None
    assert [c.value for c in next(sheet.iter_rows())] == header
    # A template is a file the import accepts as far as its header goes.
    report = preview_import(kind, ContentFile(xlsx_response.content, name=f"{kind}.xlsx"), registrar)
    assert len(report.problems) == 1 and report.problems[0].row is None  # no data rows yet
    assert client.get("/academics/registrar/import/templates/groups.pdf").status_code == 404


def test_the_registrar_dashboard_links_the_import(registrar):
    body = client_for(registrar).get("/dashboard/registrar/").content.decode()
    assert reverse("academics:import") in body
