"""AC-18: the registrar records tuition payments on a student's contract in Chromium, in Kazakh.

A tranche unpaid for 10 days bars the student from classes and accrues 0.1 % a day (250 000 KZT:
2 500 KZT). Paying the tranche readmits the student but leaves the penalty owed (still in debt);
paying the penalty clears the debt. An overpayment or a negative amount is refused with the reason
and changes nothing.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format

from academics.models import AcademicYear, TuitionContract, TuitionPayment
from academics.services import tuition
from portal.models import Role, StudentProfile
from tests.e2e.helpers import kk, sign_in, text_of
from tests.factories import RoleAssignmentFactory, UserFactory, make_student

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def money(amount: str) -> str:
    """An amount as the Kazakh pages write it (grouped thousands, decimal comma), plain spaces."""
    with translation.override("kk"):
        text = number_format(Decimal(amount), 2, force_grouping=True)
    return text.replace("\xa0", " ").replace("\u202f", " ")


def short_date(day: date) -> str:
    with translation.override("kk"):
        return date_format(day, "SHORT_DATE_FORMAT")


def summary(page) -> list[str]:
    """The contract's summary: due so far, paid, overdue, penalty to pay, next payment."""
    return [" ".join(t.replace("\xa0", " ").split()) for t in page.locator("dl.tuition-summary dd").all_inner_texts()]


def pay(page, amount: str, reference: str) -> None:
    form = page.locator("#record-payment")
    form.get_by_label(kk("Amount, KZT")).fill(amount)
    form.get_by_label(kk("Receipt or payment order number")).fill(reference)
    form.get_by_role("button", name=kk("Record the payment")).click()
    page.wait_for_load_state()


def test_ac18_registrar_records_payments_and_the_debt_follows(live_server, page, artifacts):
    """AC-18: payments go to the overdue tranche, then the penalty; overpayment and negative amounts are refused."""
    today = timezone.localdate()
    start_year = today.year if today.month >= 9 else today.year - 1
    year = AcademicYear.objects.create(
        start_year=start_year,
        starts_on=date(start_year, 9, 2),
        ends_on=date(start_year + 1, 8, 31),
        tranche_1_due=today - timedelta(days=10),
        tranche_2_due=today + timedelta(days=60),
        tranche_3_due=today + timedelta(days=150),
    )
    registrar = UserFactory.create(id_code="T90201", last_name="Тіркеушіева")
    RoleAssignmentFactory.create(user=registrar, role=Role.REGISTRAR)
    student = make_student(funding=StudentProfile.Funding.PAID, user__last_name="Ахметова", user__first_name="Мадина")
    contract = tuition.create_contract(
        registrar, student, year, "500000", TuitionContract.Plan.TRANCHES, f"Д-{start_year}/017"
    )
    before = tuition.tuition_status(student)
    assert (before.overdue, before.penalty, before.not_admitted_to_classes) == (Decimal(250000), Decimal(2500), True)
    base = live_server.url

    # The registrar finds the student on the list of those not admitted to classes.
    sign_in(page, base, registrar.id_code)
    page.locator("#tuition-lists").get_by_role("link", name=kk("Not admitted to classes: tuition unpaid")).click()
    page.wait_for_url(f"{base}/academics/tuition/not-admitted/")
    row = page.locator("#debtors tbody tr", has_text=student.user.id_code)
    cells = [" ".join(t.replace("\xa0", " ").split()) for t in row.locator("td").all_inner_texts()]
    assert cells[4:] == [short_date(today - timedelta(days=10)), "10", money("250000"), money("2500")]
    page.screenshot(path=str(artifacts / "30-tuition-not-admitted-before-kk.png"), full_page=True)
    row.get_by_role("link", name=contract.number).click()
    page.wait_for_url(f"{base}/academics/tuition/contracts/{contract.pk}/")
    next_due = kk("%(amount)s KZT by %(day)s", amount=money("125000"), day=short_date(today + timedelta(days=60)))
    assert summary(page) == [
        f"{money('250000')} KZT",
        f"{money('0')} KZT",
        f"{money('250000')} KZT",
        f"{money('2500')} KZT",
        next_due,
    ]
    assert kk("Not admitted to classes: a tranche is unpaid after its due date.") in text_of(page)

    # 1. The overdue tranche, paid today: readmitted to classes, but the 2 500 KZT penalty stays owed.
    pay(page, "250 000", "КВ-000123")
    assert page.url.startswith(f"{base}/academics/tuition/contracts/{contract.pk}/?recorded=")
    confirmation = kk(
        "Payment recorded: %(amount)s KZT paid on %(date)s, receipt %(reference)s.",
        amount=money("250000"),
        date=short_date(today),
        reference="КВ-000123",
    )
    assert confirmation in text_of(page)
    assert "КВ-000123" in page.locator("#recorded-payment").inner_text()
    assert summary(page)[1:4] == [f"{money('250000')} KZT", f"{money('0')} KZT", f"{money('2500')} KZT"]
    assert kk("A late-payment penalty is still to be paid.") in text_of(page)
    status = tuition.tuition_status(student)
    assert (status.paid, status.overdue, status.penalty) == (Decimal(250000), 0, Decimal(2500))
    assert status.in_debt and not status.not_admitted_to_classes

    # 2. The penalty, typed with a decimal comma: no debt left.
    pay(page, "2 500,00", "КВ-000124")
    assert summary(page)[1:4] == [f"{money('252500')} KZT", f"{money('0')} KZT", f"{money('0')} KZT"]
    assert page.locator("#main .alert-warning, #main .alert-danger").count() == 0
    status = tuition.tuition_status(student)
    assert (status.paid, status.overdue, status.penalty, status.in_debt) == (Decimal(252500), 0, 0, False)

    # 3. More than the 250 000 KZT still to pay: refused, with the most that may be paid.
    pay(page, "250 000,01", "КВ-000125")
    refusal = kk(
        "The payment exceeds what is owed: at most %(owed)s KZT (the rest of the contract and the penalty).",
        owed=money("250000"),
    )
    assert refusal in text_of(page, "#record-payment")
    page.screenshot(path=str(artifacts / "31-tuition-overpayment-kk.png"), full_page=True)
    # 4. A negative amount: refused by the form.
    pay(page, "-5000", "КВ-000126")
    amount_box = page.locator("#record-payment").get_by_label(kk("Amount, KZT"))
    assert amount_box.get_attribute("aria-invalid") == "true"
    with translation.override("kk"):
        minimum = translation.gettext("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": "0.01"
        }
    assert minimum in text_of(page, "#record-payment")
    page.screenshot(path=str(artifacts / "32-tuition-negative-kk.png"), full_page=True)
    assert list(TuitionPayment.objects.filter(contract=contract).values_list("reference", flat=True)) == [
        "КВ-000123",
        "КВ-000124",
    ]
    assert tuition.tuition_status(student) == status

    # The student is off the list of those not admitted to classes.
    page.goto(f"{base}/academics/tuition/not-admitted/")
    assert student.user.id_code not in text_of(page, "#debtors")
    page.screenshot(path=str(artifacts / "33-tuition-not-admitted-after-kk.png"), full_page=True)
