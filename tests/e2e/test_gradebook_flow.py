"""A teacher enters and signs grades in Chromium; the student sees them (AC-04, AC-05, AC-23), in Kazakh."""

import io

import pytest
from pypdf import PdfReader

from academics.models import GradeRecord
from portal.models import Role
from tests.academics.factories import OfferingFactory, enrol
from tests.factories import PASSWORD, RoleAssignmentFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base: str, login: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", login)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_load_state()


def test_teacher_enters_and_signs_grades_and_the_student_sees_them(live_server, browser, artifacts):
    teacher = UserFactory.create(last_name="Оқытушыбаев", id_code="T90001")
    RoleAssignmentFactory.create(user=teacher, role=Role.TEACHER)
    offering = OfferingFactory.create(discipline__name_kk="Деректер базасы", discipline__code="DB101")
    offering.teachers.add(teacher)
    first, second = enrol(offering), enrol(offering)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _sign_in(page, live_server.url, teacher.id_code)
    page.click("text=Деректер базасы")
    page.wait_for_url(f"{live_server.url}/academics/offerings/{offering.pk}/gradebook/")
    for enrolment, (r1, r2, exam) in ((first, ("80", "90", "70")), (second, ("100", "100", ""))):
        page.fill(f"[name=r1-{enrolment.pk}]", r1)
        page.fill(f"[name=r2-{enrolment.pk}]", r2)
        page.fill(f"[name=exam-{enrolment.pk}]", exam)
    page.check(f"[name=exam_no_show-{second.pk}]")
    page.click("text=Бағаларды сақтау")
    page.wait_for_load_state()
    assert "Бағалар сақталды." in page.content()
    table = page.inner_text("#gradebook")
    assert "B-" in table and "C-" in table  # 79 % and a no-show with perfect midterms: 60 %
    page.screenshot(path=str(artifacts / "10-gradebook-kk.png"), full_page=True)

    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#sign-statement")
    page.wait_for_load_state()
    assert "Емтихан ведомосіне қол қойылды" in page.content()
    assert page.locator(f"[name=r1-{first.pk}]").is_disabled()
    page.screenshot(path=str(artifacts / "11-gradebook-signed-kk.png"), full_page=True)
    assert GradeRecord.objects.filter(signed_at__isnull=False).count() == 2
    context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    _sign_in(page, live_server.url, first.student.user.id_code)
    main = page.inner_text("main")
    assert "Деректер базасы" in main and "B-" in main
    assert page.inner_text("#gpa-cumulative") == "2,67"  # AC-11: one B- (2.67)
    page.screenshot(path=str(artifacts / "12-student-grades-kk.png"), full_page=True)
    page.click("text=Транскрипт")
    page.wait_for_url(f"{live_server.url}/academics/transcript/")
    assert "DB101" in page.inner_text("main") and "2,67" in page.inner_text("main")
    page.screenshot(path=str(artifacts / "13-transcript-kk.png"), full_page=True)
    pdf = page.request.get(live_server.url + page.get_attribute("#pdf-kk", "href"))
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Деректер базасы" in text and "B-" in text and "2.67" in text.replace(",", ".")
    (artifacts / "13-transcript-kk.pdf").write_bytes(pdf.body())
    context.close()
