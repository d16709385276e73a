"""AP-04: the incoming registration journal: the page, its period, the CSV and the PDF exports."""

import csv
import io
import re
from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from appeals.models import Application, Channel, Kind, Status
from appeals.services import workflow
from appeals.services.filing import register
from appeals.views import triage as views
from tests.appeals.factories import at, file_case, filing, make_school
from tests.factories import UniversityFactory
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db
PAGE, CSV, PDF = (reverse(f"appeals:{name}") for name in ("journal", "journal_csv", "journal_pdf"))


def client_for(user, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def journal(settings, tmp_path):
    """One school's journal over November 2026: every kind of ending, and a case of another school."""
    settings.MEDIA_ROOT = tmp_path / "media"
    UniversityFactory.create(name_kk="Алатау мемлекеттік университеті", name_en="Alatau State University")
    school = make_school("IT")
    student = school.student.user
    student.last_name, student.first_name, student.patronymic = "Қасымова", "Әйгерім", "Ұланқызы"
    student.save()
    open_case = file_case(student, at(2026, 11, 2), subject="Емтихан кестесі")
    answered = file_case(school.teacher, at(2026, 11, 3), kind=Kind.PROPOSAL, subject="Кітапхана уақыты")
    workflow.route(school.dean, answered, "quality_commission", [school.teacher])
    workflow.answer_case(
        school.teacher, answered, "upheld", "Кітапхана 21:00-ге дейін ашық болады.", date(2026, 11, 10)
    )
    returned = file_case(student, at(2026, 11, 4), kind=Kind.REQUEST, subject='=HYPERLINK("x")')
    workflow.return_without_consideration(school.dean, returned, "Өтініштің мәні жазылмаған.", date(2026, 11, 5))
    paper = register(
        filing=filing(subject="Жатақхана жылуы"),
        institute=school.institute,
        channel=Channel.PAPER,
        applicant=student,
        applicant_type="student",
        filed_by=school.dean,
        received_at=at(2026, 11, 20),
    )
    anonymous = register(
        filing=filing(subject="Белгісіз хат"),
        institute=school.institute,
        channel=Channel.EMAIL,
        applicant=None,
        applicant_type="anonymous",
        filed_by=school.dean,
        received_at=at(2026, 12, 1),
    )
    december = file_case(student, at(2026, 12, 15), subject="Стипендия")
    foreign = file_case(make_school("EL").student.user, at(2026, 11, 5))
    return {
        "school": school,
        "cases": [open_case, answered, returned, paper, anonymous, december],
        "foreign": foreign,
    }


def test_ap04_the_journal_lists_every_registered_application_whatever_its_status(journal):
    """AP-04: the page shows every application of the dean's institutes, answered, returned, anonymous and
    open alike, newest first; another school's are not there."""
    html = client_for(journal["school"].dean).get(PAGE).content.decode()
    shown = re.findall(r">(IT-2026/\d{5})<", html)
    assert shown == [c.number for c in reversed(journal["cases"])]
    assert journal["foreign"].number not in html
    assert "Anonymous" in html and "Upheld" in html and "Returned without consideration" in html
    assert "reject" not in html.lower()  # AP-04: no refusal to accept, anywhere


def test_ap04_only_the_dean_opens_the_journal_and_its_exports(journal):
    school = journal["school"]
    for url in (PAGE, CSV, PDF):
        assert client_for(school.student.user).get(url).status_code == 403
        assert client_for(school.teacher).get(url).status_code == 403


def test_ap04_period_filter_both_ends_included(journal):
    cases = journal["cases"]
    client = client_for(journal["school"].dean)
    html = client.get(PAGE, {"date_from": "2026-11-03", "date_to": "2026-11-20"}).content.decode()
    assert re.findall(r">(IT-2026/\d{5})<", html) == [cases[3].number, cases[2].number, cases[1].number]
    html = client.get(PAGE, {"date_from": "2026-12-01"}).content.decode()
    assert set(re.findall(r">(IT-2026/\d{5})<", html)) == {cases[4].number, cases[5].number}
    bad = client.get(PAGE, {"date_from": "2026-12-01", "date_to": "2026-11-01"})
    assert "The start of the period is after its end." in bad.content.decode()
    response = client.get(CSV, {"date_from": "2026-12-01", "date_to": "2026-11-01"}, follow=True)
    assert "The start of the period is after its end." in response.content.decode()


def test_ap04_csv_export_of_the_period(journal):
    """AP-04: the CSV has the journal's columns in registration order, Kazakh intact, no formula cells."""
    open_case, answered, returned, paper, _anonymous, _december = journal["cases"]
    response = client_for(journal["school"].dean).get(CSV, {"date_from": "2026-11-01", "date_to": "2026-11-30"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="journal-2026-11-01-2026-11-30.csv"' in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert rows[0] == [
        "Registration No.",
        "Registration date",
        "Applicant",
        "Kind",
        "Channel",
        "Subject",
        "Considered by",
        "Answer due",
        "Answered on",
        "Outcome",
    ]
    assert [r[0] for r in rows[1:]] == [open_case.number, answered.number, returned.number, paper.number]
    student = journal["school"].student.user
    assert rows[1] == [
        open_case.number,
        "02.11.2026",
        f"Қасымова Әйгерім Ұланқызы ({student.id_code})",
        "Complaint",
        "Portal",
        "Емтихан кестесі",
        "",
        open_case.due_on.strftime("%d.%m.%Y"),
        "",
        "Registered, awaiting triage",
    ]
    assert rows[2][3:] == [
        "Proposal",
        "Portal",
        "Кітапхана уақыты",
        "Quality assurance commission",
        answered.due_on.strftime("%d.%m.%Y"),
        "10.11.2026",
        "Upheld",
    ]
    assert rows[3][5] == '\'=HYPERLINK("x")'  # CSV injection defused
    assert rows[3][-1] == "Returned without consideration" and rows[3][-2] == "05.11.2026"
    assert rows[4][4] == "Paper, at the dean's office"


def test_ap04_pdf_export_is_a_landscape_table_of_the_period(journal):
    """AP-04, PT-07: the printed journal: landscape A4, the university, the period, every entry's columns."""
    from pypdf import PdfReader

    response = client_for(journal["school"].dean).get(PDF, {"date_from": "2026-11-01", "date_to": "2026-11-30"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    text = pdf_text(response.content, "appeals-journal", raw=True, collapse=True)
    assert "Alatau State University" in text and "Incoming registration journal" in text
    assert "From 01.11.2026 to 30.11.2026" in text
    assert "No. Date Applicant Kind Channel Subject Considered by Answer due Answered on Outcome" in text
    open_case, answered, returned, paper, anonymous, december = journal["cases"]
    for case in (open_case, answered, returned, paper):
        assert case.number in text
    assert anonymous.number not in text and december.number not in text
    assert "Қасымова Әйгерім Ұланқызы" in text and "Кітапхана уақыты" in text and "Upheld" in text
    assert "4 entries." in text


def test_ap04_pdf_in_kazakh(journal):
    response = client_for(journal["school"].dean, "kk").get(PDF)
    text = pdf_text(response.content, "appeals-journal-kk", raw=True, collapse=True)
    assert "Алатау мемлекеттік университеті" in text and "Жатақхана жылуы" in text


def test_ap04_a_pdf_too_long_is_refused_with_a_message(journal, monkeypatch):
    monkeypatch.setattr(views, "JOURNAL_PDF_MAX_ROWS", 3)
    response = client_for(journal["school"].dean).get(PDF, follow=True)
    assert "choose a shorter period" in response.content.decode()
    assert response.redirect_chain[-1][0].startswith(PAGE)


def test_ap04_journal_query_count_does_not_grow_with_rows(journal, django_assert_max_num_queries):
    school = journal["school"]
    client = client_for(school.dean)
    client.get(PAGE)
    with django_assert_max_num_queries(12) as few:
        client.get(PAGE)
    for day in range(1, 25):
        file_case(school.teacher, at(2026, 10, day, 12))
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(PAGE).content.decode()
    assert len(re.findall(r">(IT-2026/\d{5})<", html)) == Application.objects.filter(institute=school.institute).count()
    assert Application.objects.filter(status=Status.RETURNED).count() == 1
