"""AC-18 tuition ledger: contracts, tranches, penalty, debtor lists, exam admission (AC-06), pages."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone, translation

from academics.errors import AcademicsError
from academics.models import AcademicYear, TuitionContract, TuitionPayment
from academics.rules import AdmissionReason
from academics.services import tuition
from academics.services.attendance import admission_list
from academics.services.gradebook import record_scores
from academics.services.standing import standing
from portal.models import Role, StudentProfile, StudyGroup
from tests.academics.factories import AcademicYearFactory, OfferingFactory
from tests.factories import RoleAssignmentFactory, StudyGroupFactory, UserFactory, make_student

pytestmark = pytest.mark.django_db

PAID = StudentProfile.Funding.PAID
TRANCHES = TuitionContract.Plan.TRANCHES
D = Decimal


@pytest.fixture
def year():
    """2026-2027 with the handbook's schedule: 25.08.2026, 30.11.2026, 31.03.2027."""
    return AcademicYearFactory.create(start_year=2026)


@pytest.fixture
def registrar():
    user = UserFactory.create()
    RoleAssignmentFactory.create(user=user, role=Role.REGISTRAR)
    return user


def _client(user, language=None):
    client = Client()
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _contract(registrar, year, amount="500000.00", plan=TRANCHES, student=None, number=None):
    student = student or make_student(funding=PAID)
    number = number or f"Д-{student.pk}-{year.start_year}"
    return tuition.create_contract(registrar, student, year, amount, plan, number)


def _status(contract, today):
    return tuition.tuition_status(contract.student, today)


def _year_due_around(start_year, first_due_days_ago):
    """A year whose first tranche fell due `first_due_days_ago` days before the real today, so pages
    (which use today's date) show it overdue; the other tranches are still to come."""
    today = timezone.localdate()
    return AcademicYear.objects.create(
        start_year=start_year,
        starts_on=date(start_year, 9, 2),
        ends_on=date(start_year + 1, 8, 31),
        tranche_1_due=today - timedelta(days=first_due_days_ago),
        tranche_2_due=today + timedelta(days=60),
        tranche_3_due=today + timedelta(days=150),
    )


# The rule's numbers.


def test_ac18_split_is_50_25_25_with_the_rounding_remainder_on_the_last_tranche(registrar, year):
    """AC-18: 100 000.03 KZT: 50 000.02 by 25 Aug, 25 000.01 by 30 Nov, the remainder 25 000.00 by 31 Mar."""
    contract = _contract(registrar, year, "100000.03")
    assert tuition.contract_parts(contract) == [
        (date(2026, 8, 25), D("50000.02")),
        (date(2026, 11, 30), D("25000.01")),
        (date(2027, 3, 31), D("25000.00")),
    ]
    assert sum(a for _d, a in tuition.contract_parts(contract)) == D("100000.03")


def test_ac18_full_year_plan_is_one_payment_due_on_the_first_tranche_date(registrar, year):
    """AC-18: the full year in one payment, by 25 August."""
    contract = _contract(registrar, year, "800000", plan=TuitionContract.Plan.FULL_YEAR)
    assert tuition.contract_parts(contract) == [(date(2026, 8, 25), D("800000.00"))]
    status = _status(contract, date(2026, 8, 26))
    assert status.overdue == D("800000.00") and status.penalty == D("800.00")


def test_ac18_the_years_own_due_dates_are_used(registrar):
    """AC-18/AC-12: the registrar may set other due dates for a year; the schedule follows them."""
    year = AcademicYearFactory.create(start_year=2027, tranche_2_due=date(2027, 12, 1))
    dates = [d for d, _a in tuition.contract_parts(_contract(registrar, year))]
    assert dates == [date(2027, 8, 25), date(2027, 12, 1), date(2028, 3, 31)]


def test_ac18_penalty_is_0_1_percent_a_day_250000_for_10_days_is_2500(registrar, year):
    """AC-18: the first tranche (250 000 of 500 000) unpaid for 10 days: penalty 2 500.00."""
    contract = _contract(registrar, year)
    status = _status(contract, date(2026, 9, 4))
    assert status.due_so_far == D("250000.00")
    assert status.overdue == D("250000.00")
    assert status.penalty == D("2500.00")
    assert status.in_debt and status.not_admitted_to_classes and not status.due_for_expulsion
    assert (status.next_due_on, status.next_due_amount) == (date(2026, 11, 30), D("125000.00"))
    first = tuition.contract_ledger(contract, date(2026, 9, 4)).tranches[0]
    assert (first.overdue, first.days_late, first.penalty) == (D("250000.00"), 10, D("2500.00"))


def test_ac18_penalty_is_capped_at_the_principal(registrar, year):
    """AC-18: after 1 000 days and more, the penalty of each tranche equals its overdue amount, no more."""
    contract = _contract(registrar, year)
    ledger = tuition.contract_ledger(contract, date(2030, 1, 1))
    assert [t.penalty for t in ledger.tranches] == [D("250000.00"), D("125000.00"), D("125000.00")]
    assert ledger.penalty == D("500000.00") == ledger.overdue


def test_ac18_not_admitted_to_classes_from_the_day_after_a_due_date(registrar, year):
    """AC-18: on 25 August (the due date) nobody is late; on 26 August an unpaid student is not admitted."""
    contract = _contract(registrar, year)
    on_due_date = _status(contract, date(2026, 8, 25))
    assert on_due_date.due_so_far == D("250000.00") and on_due_date.overdue == 0
    assert not on_due_date.not_admitted_to_classes and not on_due_date.in_debt
    next_day = _status(contract, date(2026, 8, 26))
    assert next_day.not_admitted_to_classes and next_day.overdue == D("250000.00") and next_day.penalty == D("250.00")
    assert [r.student for r in tuition.students_not_admitted(date(2026, 8, 26))] == [contract.student]
    assert tuition.students_not_admitted(date(2026, 8, 25)) == []


def test_ac18_listed_for_expulsion_after_one_month_unpaid(registrar, year):
    """AC-18: due 25 August: on 25 September not yet listed for expulsion, on 26 September listed."""
    contract = _contract(registrar, year)
    assert not _status(contract, date(2026, 9, 25)).due_for_expulsion
    assert _status(contract, date(2026, 9, 26)).due_for_expulsion
    assert tuition.students_due_for_expulsion(date(2026, 9, 25)) == []
    [row] = tuition.students_due_for_expulsion(date(2026, 9, 26))
    assert row.student == contract.student and row.days_late == 32
    assert row.status.overdue == D("250000.00") and row.status.penalty == D("8000.00")


def test_ac18_a_payment_clears_the_debt_and_the_late_part_keeps_its_penalty(registrar, year):
    """AC-18: paid 10 days late, 252 500 covers the tranche (250 000) and its penalty (2 500): no debt."""
    contract = _contract(registrar, year)
    tuition.record_payment(registrar, contract, date(2026, 9, 4), D("250000"), "КВ-1")
    after_principal = _status(contract, date(2026, 9, 10))
    assert after_principal.overdue == 0 and not after_principal.not_admitted_to_classes
    assert after_principal.penalty == D("2500.00") and after_principal.in_debt
    tuition.record_payment(registrar, contract, date(2026, 9, 10), "2 500,00", "КВ-2")
    cleared = _status(contract, date(2026, 9, 10))
    assert cleared.paid == D("252500.00") and cleared.penalty == 0 and not cleared.in_debt
    assert tuition.students_not_admitted(date(2026, 9, 10)) == []
    # The next tranche is still to pay in full: the penalty was not taken from it.
    assert (cleared.next_due_on, cleared.next_due_amount) == (date(2026, 11, 30), D("125000.00"))


def test_ac18_payments_cover_the_earliest_tranche_first_then_the_next(registrar, year):
    """AC-18: 300 000 paid on time covers the first tranche and 50 000 of the second."""
    contract = _contract(registrar, year)
    tuition.record_payment(registrar, contract, date(2026, 8, 20), D("300000"), "П-1")
    ledger = tuition.contract_ledger(contract, date(2026, 12, 1))
    assert [t.paid for t in ledger.tranches] == [D("250000.00"), D("50000.00"), D("0.00")]
    assert ledger.overdue == D("75000.00") and ledger.penalty == D("75.00")


def test_ac18_a_part_paid_late_keeps_its_penalty_and_the_rest_keeps_accruing():
    """AC-18: 250 000 due 25 Aug; 100 000 paid 10 days late (1 000); 150 000 still unpaid 20 days (3 000)."""
    parts = [(date(2026, 8, 25), D("250000.00")), (date(2026, 11, 30), D("250000.00"))]
    ledger = tuition.build_ledger(parts, [(date(2026, 9, 4), D("100000"))], date(2026, 9, 14))
    first = ledger.tranches[0]
    assert (first.paid, first.overdue, first.days_late) == (D("100000"), D("150000.00"), 20)
    assert first.penalty == D("4000.00") == ledger.penalty
    # A payment dated after `today` does not count yet.
    later = tuition.build_ledger(parts, [(date(2026, 9, 15), D("250000"))], date(2026, 9, 14))
    assert later.paid == 0 and later.overdue == D("250000.00")


def test_ac18_only_students_on_paid_study_are_concerned(registrar, year):
    """AC-18: a contract is registered for paid study only; grant students are never debtors."""
    with pytest.raises(AcademicsError):
        _contract(registrar, year, student=make_student(funding=StudentProfile.Funding.STATE_GRANT))
    contract = _contract(registrar, year)
    StudentProfile.objects.filter(pk=contract.student.pk).update(funding=StudentProfile.Funding.STATE_GRANT)
    assert tuition.students_not_admitted(date(2026, 9, 1)) == []
    assert not tuition.tuition_status(contract.student, date(2026, 9, 1)).in_debt


# Use cases: who may act, and what is refused.


def test_contract_rules_are_held_by_the_service_and_the_database(registrar, year):
    """One contract per student and year; amounts positive; numbers unique; registrar only."""
    contract = _contract(registrar, year)
    with pytest.raises(AcademicsError):
        _contract(registrar, year, student=contract.student, number="OTHER")
    with pytest.raises(AcademicsError):
        _contract(registrar, year, number=contract.number)
    for amount in ("0", "-5", "abc", "1.001"):
        with pytest.raises(AcademicsError):
            _contract(registrar, year, amount=amount)
    with pytest.raises(PermissionDenied):
        _contract(UserFactory.create(), year)
    assert TuitionContract.objects.count() == 1
    assert contract.history.get().history_user == registrar


def test_bad_payments_are_refused_and_nothing_is_saved(registrar, year):
    """Non-positive, future-dated, duplicate receipt, overpayment, not a registrar: refused, nothing saved."""
    contract = _contract(registrar, year)
    today = timezone.localdate()
    tuition.record_payment(registrar, contract, date(2026, 8, 1), D("100000"), "R-1")
    cases = [
        (registrar, date(2026, 8, 2), "0", "R-2"),
        (registrar, date(2026, 8, 2), "-1", "R-2"),
        (registrar, today + timedelta(days=1), "1000", "R-2"),
        (registrar, date(2026, 8, 2), "1000", "R-1"),
        (registrar, date(2026, 8, 2), "1000", "  "),
        (registrar, date(2026, 8, 2), "400000.01", "R-2"),  # 400 000 remain and nothing is late
    ]
    for user, paid_on, amount, reference in cases:
        with pytest.raises(AcademicsError):
            tuition.record_payment(user, contract, paid_on, amount, reference)
    with pytest.raises(PermissionDenied):
        tuition.record_payment(UserFactory.create(), contract, date(2026, 8, 2), "1000", "R-3")
    assert list(TuitionPayment.objects.values_list("reference", flat=True)) == ["R-1"]
    tuition.record_payment(registrar, contract, date(2026, 8, 2), "400000.00", "R-2")  # exactly what is owed
    payment = TuitionPayment.objects.get(reference="R-2")
    assert payment.recorded_by == registrar and payment.history.get().history_user == registrar


def test_ac18_overpayment_may_include_the_accrued_penalty(registrar, year):
    """AC-18: a late payer may pay the whole contract plus the penalty; a tiyn more is refused."""
    contract = _contract(registrar, year, "100000")
    # 50 000 due 25 Aug, paid 4 Sep: 10 days late, penalty 500.
    with pytest.raises(AcademicsError):
        tuition.record_payment(registrar, contract, date(2026, 9, 4), "100500.01", "X-1")
    tuition.record_payment(registrar, contract, date(2026, 9, 4), "100500.00", "X-1")
    status = tuition.tuition_status(contract.student, date(2027, 6, 1))
    assert status.paid == D("100500.00") and not status.in_debt and status.next_due_on is None


# Exam admission (AC-06) and standing.


def test_ac06_ac18_admission_list_shows_tuition_debt_for_a_debtor(registrar, django_assert_max_num_queries):
    """AC-06: a student in tuition debt on the day is not admitted, reason "tuition debt"; a payer is."""
    year = _year_due_around(2030, first_due_days_ago=5)
    offering = OfferingFactory.create()
    teacher = UserFactory.create()
    offering.teachers.add(teacher)
    students = [make_student(funding=PAID) for _ in range(20)]
    contracts = [_contract(registrar, year, student=s) for s in students]
    for s in students:
        record_scores(teacher, offering.enrolments.create(student=s), r1=70, r2=70)
    debtor = students[0]
    for contract in contracts[1:]:  # paid on the due date: on time, no penalty
        tuition.record_payment(registrar, contract, year.tranche_1_due, D("250000"), f"R{contract.pk}")
    with django_assert_max_num_queries(2):
        rows = {r.enrolment.student_id: r for r in admission_list(offering)}
    assert rows[debtor.pk].reasons == [AdmissionReason.TUITION_DEBT]
    with translation.override("en"):
        assert rows[debtor.pk].reason_labels == ["tuition debt"]
    assert all(rows[s.pk].admitted for s in students[1:])


def test_ac18_standing_carries_the_overdue_tuition(registrar):
    """The standing other apps read has the overdue amount (0 for a student without debt)."""
    year = _year_due_around(2030, first_due_days_ago=5)
    contract = _contract(registrar, year, "400000")
    assert standing(contract.student).tuition_debt == D("200000.00")
    assert standing(make_student()).tuition_debt == 0


# Pages.


@pytest.fixture
def debtors(registrar):
    """20 students owing (first tranche 40 days late: listed for expulsion), 20 owing 5 days, 5 paid."""
    long_ago = _year_due_around(2030, first_due_days_ago=40)
    recent = _year_due_around(2031, first_due_days_ago=5)
    group = StudyGroupFactory.create()
    expel = [_contract(registrar, long_ago, student=make_student(funding=PAID, group=group)) for _ in range(20)]
    late = [_contract(registrar, recent, student=make_student(funding=PAID, group=group)) for _ in range(20)]
    paid = [_contract(registrar, recent, student=make_student(funding=PAID, group=group)) for _ in range(5)]
    for c in expel[:10] + late[:10] + paid:  # partly paid: still a debt, with payments to join
        tuition.record_payment(registrar, c, timezone.localdate() - timedelta(days=50), D("1000"), f"A{c.pk}")
    for c in paid:
        tuition.record_payment(registrar, c, timezone.localdate(), D("249000"), f"B{c.pk}")
    return {"group": group, "expel": expel, "late": late, "paid": paid}


def test_ac18_debtor_lists_and_csv_for_the_registrar_in_fixed_queries(
    registrar, debtors, django_assert_max_num_queries
):
    """AC-18: 40 not admitted (query count does not grow with them), 20 of them due for expulsion."""
    client = _client(registrar)
    with django_assert_max_num_queries(8):
        response = client.get("/academics/tuition/not-admitted/")
    assert response.status_code == 200
    assert len(response.context["rows"]) == 40
    with django_assert_max_num_queries(8):
        response = client.get("/academics/tuition/expulsion/")
    rows = response.context["rows"]
    assert {r.student.pk for r in rows} == {c.student.pk for c in debtors["expel"]}
    assert all(r.status.overdue in (D("250000.00"), D("249000.00")) and r.days_late == 40 for r in rows)
    english = _client(registrar, "en")
    with django_assert_max_num_queries(8):
        csv = english.get("/academics/tuition/expulsion.csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 21 and lines[0].startswith("ID code,Student,")
    assert debtors["expel"][0].student.user.id_code in csv.content.decode("utf-8-sig")


def test_ac18_a_dean_reads_the_lists_of_their_institute_only(debtors):
    """A dean sees the debtors of their institute's groups, read-only; another institute's dean sees none."""
    institute = debtors["group"].programme.department.institute
    dean, other = UserFactory.create(), UserFactory.create()
    RoleAssignmentFactory.create(user=dean, role=Role.DEAN, institute=institute)
    RoleAssignmentFactory.create(
        user=other, role=Role.DEAN, institute=StudyGroupFactory.create().programme.department.institute
    )
    response = _client(dean).get("/academics/tuition/not-admitted/")
    assert response.status_code == 200 and len(response.context["rows"]) == 40
    assert "/academics/tuition/contracts/" not in response.content.decode()
    assert len(_client(other).get("/academics/tuition/not-admitted/").context["rows"]) == 0
    assert "/academics/tuition/expulsion/" in _client(dean).get("/dashboard/dean/").content.decode()
    assert _client(dean).get("/academics/tuition/contracts/").status_code == 403
    contract = debtors["late"][0]
    assert _client(dean).post(f"/academics/tuition/contracts/{contract.pk}/", {"amount": "1"}).status_code == 403


def test_contract_list_searches_and_pages_in_fixed_queries(registrar, debtors, django_assert_max_num_queries):
    """The registrar's list: 45 contracts over two pages of 25, in a fixed number of queries; search by ID code."""
    client = _client(registrar)
    with django_assert_max_num_queries(9):
        response = client.get("/academics/tuition/contracts/")
    assert response.status_code == 200 and len(response.context["rows"]) == 25
    assert response.context["page"].paginator.num_pages == 2
    target = debtors["late"][3].student.user
    found = client.get("/academics/tuition/contracts/", {"q": target.id_code})
    assert [c.student.user for c, _l in found.context["rows"]] == [target]


def test_registrar_creates_a_contract_and_records_a_payment_on_the_pages(registrar):
    """The forms: a contract registered, a payment confirmed; bad input shows errors and saves nothing."""
    year = _year_due_around(2030, first_due_days_ago=5)
    student = make_student(funding=PAID)
    client = _client(registrar)
    assert client.get("/academics/tuition/contracts/new/").status_code == 200
    data = {"student": student.user.id_code, "academic_year": year.pk, "number": "Ш-77", "amount": "600 000,00"}
    response = client.post("/academics/tuition/contracts/new/", {**data, "plan": TRANCHES})
    contract = TuitionContract.objects.get()
    assert response.status_code == 302 and contract.amount == D("600000.00") and contract.number == "Ш-77"
    again = client.post("/academics/tuition/contracts/new/", {**data, "number": "Ш-78", "plan": TRANCHES})
    assert again.status_code == 200 and again.context["form"].errors and TuitionContract.objects.count() == 1

    url = f"/academics/tuition/contracts/{contract.pk}/"
    today = timezone.localdate()
    for bad in (
        {"paid_on": today.isoformat(), "amount": "-5", "reference": "Q-1"},
        {"paid_on": (today + timedelta(days=3)).isoformat(), "amount": "100", "reference": "Q-1"},
        {"paid_on": today.isoformat(), "amount": "9000000", "reference": "Q-1"},
        {"paid_on": "not a date", "amount": "100", "reference": "Q-1"},
    ):
        response = client.post(url, bad)
        assert response.status_code == 200 and response.context["form"].errors
    assert not TuitionPayment.objects.exists()
    # The first tranche (300 000) fell due 5 days ago: with its penalty (1 500) it clears the debt.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(url, {"paid_on": today.isoformat(), "amount": "301500.00", "reference": "Q-1"}, follow=True)
    body = response.content.decode()
    assert "Payment recorded: 301,500.00 KZT" in body and "Q-1" in body
    assert TuitionPayment.objects.get().amount == D("301500.00")
    assert response.context["status"].overdue == 0 and not response.context["status"].in_debt


def test_student_sees_their_own_tuition_and_not_anothers(registrar):
    """A student's page and dashboard panel; another student's page is 403; a teacher gets 403 on staff pages."""
    year = _year_due_around(2030, first_due_days_ago=5)
    contract = _contract(registrar, year, "400000")
    me = contract.student.user
    client = _client(me)
    page = client.get("/academics/tuition/")
    assert page.status_code == 200 and page.context["status"].overdue == D("200000.00")
    assert client.get(f"/academics/tuition/students/{contract.student.pk}/").status_code == 200
    assert 'id="tuition-panel"' in client.get("/dashboard/student/").content.decode()
    other = make_student(funding=PAID)
    assert client.get(f"/academics/tuition/students/{other.pk}/").status_code == 403
    assert 'id="tuition-panel"' not in _client(other.user).get("/dashboard/student/").content.decode()
    for url in (
        "/academics/tuition/contracts/",
        "/academics/tuition/not-admitted/",
        f"/academics/tuition/contracts/{contract.pk}/",
    ):
        assert client.get(url).status_code == 403


def test_a_teacher_gets_403_on_the_registrar_pages_and_nothing_changes(registrar, year):
    contract = _contract(registrar, year)
    teacher = UserFactory.create()
    RoleAssignmentFactory.create(user=teacher, role=Role.TEACHER)
    client = _client(teacher)
    urls = [
        "/academics/tuition/contracts/",
        "/academics/tuition/contracts/new/",
        f"/academics/tuition/contracts/{contract.pk}/",
        "/academics/tuition/not-admitted/",
        "/academics/tuition/not-admitted.csv",
        "/academics/tuition/expulsion/",
        "/academics/tuition/expulsion.csv",
        f"/academics/tuition/students/{contract.student.pk}/",
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    posted = client.post(
        f"/academics/tuition/contracts/{contract.pk}/", {"paid_on": "2026-08-01", "amount": "1", "reference": "T"}
    )
    created = client.post(
        "/academics/tuition/contracts/new/",
        {
            "student": contract.student.user.id_code,
            "academic_year": year.pk,
            "number": "N",
            "amount": "1",
            "plan": TRANCHES,
        },
    )
    assert posted.status_code == created.status_code == 403
    assert not TuitionPayment.objects.exists() and TuitionContract.objects.count() == 1


def test_registrar_dashboard_links_the_lists(registrar, debtors, django_assert_max_num_queries):
    client = _client(registrar)
    with django_assert_max_num_queries(24):
        response = client.get("/dashboard/registrar/")
    body = response.content.decode()
    assert "/academics/tuition/not-admitted/" in body and "/academics/tuition/expulsion/" in body
    [panel] = [p for p in response.context["panels"] if p.template == "academics/panels/tuition_lists.html"]
    assert (panel.context["not_admitted"], panel.context["expulsion"]) == (40, 20)


def test_ac18_debtor_counts_are_the_sizes_of_the_two_lists(registrar, debtors):
    """AC-18: the board's numbers (no students loaded) match the lists: 40 not admitted, 20 for expulsion,
    on the whole university and on one group's scope; the 5 who paid are in neither."""
    today = timezone.localdate()
    assert tuition.debtor_counts(today) == (40, 20)
    assert len(tuition.students_not_admitted(today)) == 40 and len(tuition.students_due_for_expulsion(today)) == 20
    scope = StudyGroup.objects.filter(pk=debtors["group"].pk)
    assert tuition.debtor_counts(today, scope) == (40, 20)
    assert tuition.debtor_counts(today, StudyGroup.objects.exclude(pk=debtors["group"].pk)) == (0, 0)


def test_ledgers_count_each_payment_once_through_a_repeating_join(registrar, year):
    """A contract reached through two enrolments (two rows per payment) still counts its payment once."""
    contract = _contract(registrar, year)
    for _ in range(2):
        OfferingFactory.create().enrolments.create(student=contract.student)
    tuition.record_payment(registrar, contract, date(2026, 8, 20), D("250000"), "ONE")
    repeated = TuitionContract.objects.filter(student__enrolments__isnull=False)
    assert repeated.count() == 2
    [(_c, ledger)] = tuition.ledgers(repeated, date(2026, 9, 1))
    assert ledger.paid == D("250000.00") and ledger.overdue == 0
