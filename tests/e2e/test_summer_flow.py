"""AC-15: a summer course opens with at least 8 paid applicants, in Chromium, in Kazakh.

Seven applicants have paid and an eighth applies on her own page: the registrar sees how many payments
are missing, gets no button to open the course, and a request to open it anyway is refused with the
rule's numbers. The registrar records the eighth payment on the course page, opens the course, and
the eight paid applicants (not the unpaid ninth) are enrolled in the new summer offering.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from academics.models import Enrolment, Offering, SummerApplication
from academics.services.summer import apply_for_summer_course, record_summer_payment
from portal.models import Notification, Role
from tests.academics.factories import DisciplineFactory, summer_term
from tests.e2e.helpers import kk, kk_plural, sign_in, text_of
from tests.factories import RoleAssignmentFactory, UserFactory, make_student

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
Status = SummerApplication.Status

# Submit a POST to `action` with the page's CSRF token, as a stale or hand-made form would.
FORGED_POST = """([action]) => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = action;
  const token = document.createElement("input");
  token.type = "hidden";
  token.name = "csrfmiddlewaretoken";
  token.value = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
  form.appendChild(token);
  document.body.appendChild(form);
  form.submit();
}"""


def test_ac15_summer_course_opens_only_with_8_paid_and_enrols_the_paid(live_server, browser, artifacts):
    """AC-15: 7 paid: no open button, opening refused; the 8th payment lets it open; the 8 paid are enrolled."""
    registrar = UserFactory.create(id_code="T90301", last_name="Тіркеушіева")
    RoleAssignmentFactory.create(user=registrar, role=Role.REGISTRAR)
    term = summer_term(timezone.localdate() + timedelta(days=30))
    discipline = DisciplineFactory.create(code="PHYS201", name_kk="Жалпы физика")
    paid = [apply_for_summer_course(make_student().user, term, discipline) for _ in range(7)]
    for application in paid:
        record_summer_payment(registrar, application, reference="ЖС-1")
    unpaid = apply_for_summer_course(make_student(user__last_name="Төлемсізов").user, term, discipline)
    applicant = make_student(user__last_name="Жазғыбаева", user__first_name="Аружан")
    base = live_server.url

    # The eighth applicant applies on her own summer page.
    student_context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="kk-KZ")
    student_page = student_context.new_page()
    sign_in(student_page, base, applicant.user.id_code)
    student_page.goto(f"{base}/academics/summer/")
    student_page.get_by_label(kk("Discipline")).select_option(str(discipline.pk))
    student_page.get_by_role("button", name=kk("Apply")).click()
    student_page.wait_for_url(f"{base}/academics/summer/")
    message = "Your application for %(discipline)s is registered. Pay for the course so that it counts."
    assert kk(message, discipline=discipline.name_kk) in text_of(student_page)
    application = SummerApplication.objects.get(student=applicant, term=term, discipline=discipline)
    assert (application.status, application.is_paid) == (Status.APPLIED, False)

    # The registrar: 9 applicants, 7 paid, one payment missing, no button to open the course.
    registrar_context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="kk-KZ")
    page = registrar_context.new_page()
    sign_in(page, base, registrar.id_code)
    page.locator("#panel-summer-courses").get_by_role("link", name=kk("All")).click()
    page.wait_for_url(f"{base}/academics/summer/courses/")
    row = page.locator("#summer-courses tbody tr", has_text="PHYS201")
    cells = row.locator("td").all_inner_texts()
    assert cells[1:3] == ["9", "7"]
    missing = kk_plural("%(n)s more payment needed", "%(n)s more payments needed", 1)
    assert missing in cells[3]
    assert row.get_by_role("button", name=kk("Open the course")).count() == 0
    open_url = f"/academics/summer/courses/{term.pk}/{discipline.pk}/open/"
    assert row.locator(f"form[action='{open_url}']").count() == 0

    # Opening it anyway (a stale or hand-made form) is refused with the rule's numbers; nothing changes.
    page.evaluate(FORGED_POST, [open_url])
    page.wait_for_url(f"{base}/academics/summer/courses/?term={term.pk}")
    refusal = kk(
        "A summer course opens when at least %(minimum)d applicants have paid; %(paid)d have.", minimum=8, paid=7
    )
    assert refusal in page.locator("#main .alert-danger").inner_text()
    page.screenshot(path=str(artifacts / "40-summer-refused-kk.png"), full_page=True)
    assert not Offering.objects.filter(term=term, discipline=discipline).exists()
    assert not Enrolment.objects.filter(offering__term=term).exists()
    assert SummerApplication.objects.filter(term=term, status=Status.APPLIED).count() == 9

    # The registrar records the eighth payment on the course page.
    page.locator("#summer-courses").get_by_role("link", name="PHYS201", exact=False).click()
    page.wait_for_url(f"{base}/academics/summer/courses/{term.pk}/{discipline.pk}/")
    applicant_row = page.locator("#summer-applicants tbody tr", has_text=applicant.user.id_code)
    applicant_row.get_by_label(kk("Payment document")).fill("ЖС-8")
    applicant_row.get_by_role("button", name=kk("Record payment")).click()
    page.wait_for_url(f"{base}/academics/summer/courses/{term.pk}/{discipline.pk}/")
    assert kk("Payment recorded.") in text_of(page, "#main .alert-success")
    assert "ЖС-8" in page.locator("#summer-applicants tbody tr", has_text=applicant.user.id_code).inner_text()
    assert SummerApplication.objects.get(pk=application.pk).is_paid

    # Eight paid: the course is ready, and opening it enrols the eight paid applicants.
    page.get_by_role("link", name=kk("Summer courses")).click()
    page.wait_for_url(f"{base}/academics/summer/courses/?term={term.pk}")
    row = page.locator("#summer-courses tbody tr", has_text="PHYS201")
    assert row.locator("td").all_inner_texts()[1:3] == ["9", "8"]
    assert kk("Ready to open") in row.inner_text()
    row.get_by_role("button", name=kk("Open the course")).click()
    page.wait_for_url(f"{base}/academics/summer/courses/?term={term.pk}")
    opened = kk(
        "%(discipline)s opens: %(enrolled)d students enrolled, %(refused)d refused.",
        discipline=discipline.name_kk,
        enrolled=8,
        refused=0,
    )
    assert opened in text_of(page, "#main .alert-success")
    row = page.locator("#summer-courses tbody tr", has_text="PHYS201")
    assert kk("Open", context="summer course") in row.locator(".badge").inner_text()
    assert row.get_by_role("button").count() == 0
    page.screenshot(path=str(artifacts / "41-summer-opened-kk.png"), full_page=True)

    offering = Offering.objects.get(term=term, discipline=discipline)
    enrolled = {a.student_id for a in [*paid, application]}
    assert set(Enrolment.objects.filter(offering=offering).values_list("student_id", flat=True)) == enrolled
    assert (
        set(
            SummerApplication.objects.filter(term=term, status=Status.ENROLLED, enrolment__isnull=False).values_list(
                "student_id", flat=True
            )
        )
        == enrolled
    )
    assert SummerApplication.objects.get(pk=unpaid.pk).status == Status.APPLIED  # unpaid: not enrolled
    notified = Notification.objects.filter(recipient__student__pk__in=enrolled).values_list("recipient", flat=True)
    assert len(set(notified)) == 8
    registrar_context.close()

    # The applicant sees that she is enrolled.
    student_page.reload()
    my_row = student_page.locator("#my-summer-applications tbody tr", has_text="PHYS201")
    assert kk("Enrolled") in my_row.inner_text()
    student_page.screenshot(path=str(artifacts / "42-summer-student-enrolled-kk.png"), full_page=True)
    student_context.close()
