"""AC-12 transfer decisions and the AC-17 state scholarship list, computed by the registrar in Chromium, in Kazakh.

The 2025-2026 grades are entered and signed through the gradebook services. The registrar computes the
year's decisions after a confirmation, sees the counts and each student's outcome at the thresholds
(1.67 to year 2, 2.00 to year 3), downloads them as CSV, and opens the scholarship list of the spring
semester: state-funded students whose every autumn grade is C+ or better.
"""

import csv
import io
import re
from datetime import date

import pytest
from django.utils import formats, translation

from academics.models import AcademicYear, Term, TransferDecision, TransferRun
from academics.services.enrolment import enrol_student
from academics.services.gradebook import record_scores, sign_statement
from portal.models import Role, StudentProfile
from tests.academics.factories import AcademicYearFactory, DisciplineFactory, OfferingFactory, TermFactory
from tests.e2e.helpers import kk, kk_plural, sign_in, text_of
from tests.factories import RoleAssignmentFactory, UserFactory, make_student

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
Outcome = TransferDecision.Outcome
GRANT, ORDER, PAID = (
    StudentProfile.Funding.STATE_GRANT,
    StudentProfile.Funding.STATE_ORDER,
    StudentProfile.Funding.PAID,
)

# last name, year of study in 2025-2026, funding, the same score for R1, R2 and the exam (the final percentage)
STUDENTS = [
    ("Ахметов", 1, GRANT, 95),  # A 4.00: transfers; scholarship
    ("Бекова", 1, ORDER, 60),  # C- 1.67, exactly the year-2 threshold: transfers; C- is below C+: no scholarship
    ("Ғалымов", 1, GRANT, 55),  # D+ 1.33: repeats, loses the grant
    ("Дәулетова", 2, PAID, 65),  # C 2.00, exactly the year-3 threshold: transfers; paid: no scholarship
    ("Ержанов", 4, GRANT, 80),  # B 3.00, year 4 of a bachelor: final year; scholarship
]
# What each row of the page and of the CSV says: year -> next year, year GPA, threshold, outcome, grant lost
EXPECTED = {
    "Ахметов": ("1", "2", "4.00", "1.67", Outcome.TRANSFERS, False),
    "Бекова": ("1", "2", "1.67", "1.67", Outcome.TRANSFERS, False),
    "Ғалымов": ("1", "2", "1.33", "1.67", Outcome.REPEATS, True),
    "Дәулетова": ("2", "3", "2.00", "2.00", Outcome.TRANSFERS, False),
    "Ержанов": ("4", "", "3.00", "", Outcome.FINAL_YEAR, False),
}


def localized(number: str) -> str:
    """A GPA as the Kazakh page shows it (decimal comma)."""
    with translation.override("kk"):
        return formats.number_format(number, 2) if number else "—"


def graded_year(registrar) -> tuple[AcademicYear, Term, dict[str, StudentProfile]]:
    """2025-2026: one autumn course of 5 credits, every student graded and the statement signed."""
    year = AcademicYearFactory.create(start_year=2025, starts_on=date(2025, 9, 2), ends_on=date(2026, 8, 31))
    autumn = TermFactory.create(
        academic_year=year,
        kind=Term.Kind.AUTUMN,
        starts_on=date(2025, 9, 2),
        ends_on=date(2025, 12, 15),
        exams_start=date(2025, 12, 16),
        exams_end=date(2026, 1, 10),
    )
    spring = TermFactory.create(
        academic_year=year,
        kind=Term.Kind.SPRING,
        starts_on=date(2026, 1, 20),
        ends_on=date(2026, 5, 1),
        exams_start=date(2026, 5, 2),
        exams_end=date(2026, 5, 25),
    )
    teacher = UserFactory.create(id_code="T90402", last_name="Оқытушыбаев")
    RoleAssignmentFactory.create(user=teacher, role=Role.TEACHER)
    offering = OfferingFactory.create(
        term=autumn, discipline=DisciplineFactory.create(code="MATH101", name_kk="Математика", credits=5)
    )
    offering.teachers.add(teacher)
    students = {}
    for last_name, year_of_study, funding, score in STUDENTS:
        student = make_student(
            user__last_name=last_name,
            year_of_study=year_of_study,
            funding=funding,
            group__admission_year=2025 - year_of_study + 1,
        )
        enrolment = enrol_student(registrar, offering, student)
        record_scores(teacher, enrolment, r1=score, r2=score, exam=score)
        students[last_name] = student
    assert sign_statement(teacher, offering) == len(STUDENTS)
    return year, spring, students


def test_ac12_ac17_registrar_computes_transfer_decisions_exports_them_and_sees_the_scholarship_list(
    live_server, page, artifacts
):
    """AC-12: thresholds 1.67/2.00 decide, a repeating grant student loses the grant, the final year is not a
    transfer; the counts, the list and the CSV agree. AC-17: the spring list holds the state-funded students
    whose every autumn grade is C+ or better."""
    registrar = UserFactory.create(id_code="T90401", last_name="Тіркеушіева")
    RoleAssignmentFactory.create(user=registrar, role=Role.REGISTRAR)
    year, spring, students = graded_year(registrar)
    TermFactory.create()  # 2026-2027's autumn, no grades yet: neither the year to compute nor the semester to list
    base = live_server.url

    sign_in(page, base, registrar.id_code)
    page.locator("#registrar-decisions").get_by_role("link", name=kk("Transfer decisions")).click()
    page.wait_for_url(f"{base}/academics/registrar/transfers/")
    assert str(year) in page.locator("h1").inner_text()  # the year with signed grades
    assert kk("Not computed for this year yet.") in text_of(page)

    # Compute, after the confirmation page (nothing is computed by opening it).
    page.get_by_role("link", name=kk("Compute transfer decisions")).click()
    page.wait_for_url(f"{base}/academics/registrar/transfers/compute/?year={year.pk}")
    assert not TransferDecision.objects.exists()
    page.get_by_role("button", name=kk("Compute transfer decisions")).click()
    page.wait_for_url(f"{base}/academics/registrar/transfers/?year={year.pk}")
    computed = kk_plural(
        "%(count)d transfer decision computed for %(year)s under rules version %(version)s.",
        "%(count)d transfer decisions computed for %(year)s under rules version %(version)s.",
        5,
        count=5,
        year=year,
        version=year.policy_version,
    )
    assert computed in text_of(page, "#main .alert-success")
    badges = page.locator("#summary .badge").all_inner_texts()
    assert badges == [
        f"{kk('Students')}: 5",
        f"{kk('Transfer')}: 3",
        f"{kk('Repeat the year')}: 1",
        f"{kk('Final year')}: 1",
        f"{kk('State grants lost')}: 1",
    ]
    assert page.locator("#decisions tbody tr").count() == 5
    for last_name, (from_year, to_year, gpa, threshold, outcome, lost) in EXPECTED.items():
        student = students[last_name]
        cells = page.locator("#decisions tbody tr", has_text=student.user.id_code).locator("td").all_inner_texts()
        moves = to_year and outcome == TransferDecision.Outcome.TRANSFERS  # a repeated year shows no arrow
        assert cells[2] == (f"{from_year} → {to_year}" if moves else from_year)
        assert (cells[3], cells[5]) == (localized(gpa), localized(threshold))
        assert kk(outcome.label) in cells[6]
        assert (kk("State grant lost") in cells[6]) is lost
    page.screenshot(path=str(artifacts / "50-transfer-decisions-kk.png"), full_page=True)
    run = TransferRun.objects.get(academic_year=year)
    assert (run.students, run.transfers, run.repeats, run.final_year, run.grants_lost) == (5, 3, 1, 1, 1)
    assert TransferDecision.objects.get(student=students["Ғалымов"]).state_grant_lost

    # The CSV export: the same five decisions, in Kazakh.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=kk("Export CSV")).click()
    download = download_info.value
    assert download.suggested_filename == f"transfer-decisions-{year}.csv"
    download.save_as(artifacts / "51-transfer-decisions-kk.csv")
    content = (artifacts / "51-transfer-decisions-kk.csv").read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the Cyrillic names as UTF-8
    header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert header[:5] == [kk("ID code"), kk("Student"), kk("Study group"), kk("Year of study"), kk("Moving to year")]
    assert header[10:13] == [kk("Outcome"), kk("State grant lost"), kk("Rules version")]
    by_code = {row[0]: row for row in rows}
    assert set(by_code) == {s.user.id_code for s in students.values()}
    for last_name, (from_year, to_year, gpa, threshold, outcome, lost) in EXPECTED.items():
        row = by_code[students[last_name].user.id_code]
        assert row[1].startswith(last_name)
        assert (row[3], row[4], row[5], row[9]) == (from_year, to_year, gpa, threshold)
        assert (row[10], row[11], row[12]) == (kk(outcome.label), kk("yes" if lost else "no"), year.policy_version)

    # The list filtered by outcome: the one student who repeats the year.
    page.get_by_label(kk("Outcome")).select_option(Outcome.REPEATS)
    page.locator("#filters").get_by_role("button", name=kk("Show")).click()
    page.wait_for_url(re.compile(r"/academics/registrar/transfers/\?.*outcome=repeats"))
    assert page.locator("#decisions tbody tr").all_inner_texts() == [
        page.locator("#decisions tbody tr", has_text=students["Ғалымов"].user.id_code).inner_text()
    ]
    page.screenshot(path=str(artifacts / "52-transfer-decisions-repeats-kk.png"), full_page=True)

    # AC-17: the scholarship list of the spring semester follows the autumn session.
    page.goto(f"{base}/dashboard/registrar/")
    page.locator("#registrar-decisions").get_by_role("link", name=kk("State scholarship list")).click()
    page.wait_for_url(f"{base}/academics/registrar/scholarship/")
    page.get_by_label(kk("Semester")).select_option(str(spring.pk))
    page.get_by_role("button", name=kk("Show")).click()
    page.wait_for_url(f"{base}/academics/registrar/scholarship/?term={spring.pk}")
    assert str(spring) in page.locator("h1").inner_text()
    assert page.locator("#summary .badge").first.inner_text() == f"{kk('Eligible')}: 2"
    listed = page.locator("#scholarship tbody").inner_text()
    for last_name in ("Ахметов", "Ержанов"):
        assert students[last_name].user.id_code in listed
    for last_name in ("Бекова", "Ғалымов", "Дәулетова"):
        assert students[last_name].user.id_code not in listed
    letters = page.locator("#scholarship tbody tr", has_text=students["Ержанов"].user.id_code).inner_text()
    assert f"{kk('previous session')}: B" in letters
    page.screenshot(path=str(artifacts / "53-scholarship-kk.png"), full_page=True)
