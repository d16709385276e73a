"""AC-11 GPA in the database, AC-12 stored transfer decisions, AC-17 the state scholarship list, and their pages."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from academics import rules
from academics.models import AcademicYear, GradeRecord, Term, TransferDecision, TransferRun
from academics.services.calendar import save_calendar
from academics.services.decisions import decide_transfers, gpa_table, scholarship_list
from academics.services.standing import gpa_for, standing
from portal.models import Role, StudentProfile
from tests.academics.factories import AcademicYearFactory, OfferingFactory, TermFactory
from tests.factories import RoleAssignmentFactory, UserFactory, make_student

pytestmark = pytest.mark.django_db
Outcome = TransferDecision.Outcome
Funding = StudentProfile.Funding
GRANT, ORDER, PAID = Funding.STATE_GRANT, Funding.STATE_ORDER, Funding.PAID


def _year(start: int) -> AcademicYear:
    return AcademicYearFactory.create(start_year=start, starts_on=date(start, 9, 2), ends_on=date(start + 1, 8, 31))


def _term(year: AcademicYear, kind: str = Term.Kind.AUTUMN) -> Term:
    y = year.start_year
    dates: dict[str, tuple[date, date, date, date]] = {
        Term.Kind.AUTUMN: (date(y, 9, 2), date(y, 12, 15), date(y, 12, 16), date(y + 1, 1, 10)),
        Term.Kind.SPRING: (date(y + 1, 1, 20), date(y + 1, 5, 1), date(y + 1, 5, 2), date(y + 1, 5, 25)),
        Term.Kind.SUMMER: (date(y + 1, 6, 20), date(y + 1, 7, 31), date(y + 1, 8, 1), date(y + 1, 8, 5)),
    }
    starts, ends, exams_start, exams_end = dates[kind]
    return TermFactory.create(
        academic_year=year, kind=kind, starts_on=starts, ends_on=ends, exams_start=exams_start, exams_end=exams_end
    )


def _student(year_of_study: int = 1, funding: str = GRANT, start_year: int = 2026, **kwargs: object) -> StudentProfile:
    """A student in `year_of_study` during the academic year starting in `start_year` (by cohort)."""
    return make_student(
        year_of_study=year_of_study,
        funding=funding,
        group__admission_year=start_year - year_of_study + 1,
        **kwargs,
    )


def _grade(student, term, letter, credits=5, *, signed=True, offering=None) -> GradeRecord:
    offering = offering or OfferingFactory.create(term=term, discipline__credits=credits)
    enrolment = offering.enrolments.create(student=student)
    return GradeRecord.objects.create(
        enrolment=enrolment,
        letter=letter,
        points=rules.letter_points(letter),
        signed_at=timezone.now() if signed else None,
        policy_version=term.academic_year.policy_version,
    )


def _registrar():
    user = UserFactory.create()
    RoleAssignmentFactory.create(user=user, role=Role.REGISTRAR)
    return user


def _client(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"  # English text on the pages, whatever the catalogues hold
    client.force_login(user)
    return client


def _decision(student, year) -> TransferDecision:
    return TransferDecision.objects.select_related("academic_year").get(student=student, academic_year=year)


# AC-12: the thresholds at their boundary, for each year.
@pytest.mark.parametrize(
    ("year_of_study", "grades", "gpa", "outcome", "threshold"),
    [
        (1, [("A-", 1), ("D+", 6)], "1.66", Outcome.REPEATS, "1.67"),
        (1, [("C-", 5)], "1.67", Outcome.TRANSFERS, "1.67"),
        (2, [("A-", 8), ("FX", 9)], "1.99", Outcome.REPEATS, "2.00"),
        (2, [("C", 5)], "2.00", Outcome.TRANSFERS, "2.00"),
        (3, [("A-", 4), ("D", 5)], "2.19", Outcome.REPEATS, "2.20"),
        (3, [("A", 2), ("D", 3)], "2.20", Outcome.TRANSFERS, "2.20"),
    ],
)
def test_ac12_thresholds_167_200_220_decide_at_the_boundary(year_of_study, grades, gpa, outcome, threshold):
    """AC-12: GPA >= 1.67 to year 2, >= 2.00 to year 3, >= 2.20 to year 4; one hundredth below repeats."""
    year = _year(2026)
    term = _term(year)
    student = _student(year_of_study)
    for letter, credits in grades:
        _grade(student, term, letter, credits)
    assert decide_transfers(_registrar(), year) == 1
    d = _decision(student, year)
    assert (d.gpa_year, d.gpa_deciding, d.outcome) == (Decimal(gpa), Decimal(gpa), outcome)
    assert (d.year_of_study, d.to_year, d.threshold) == (year_of_study, year_of_study + 1, Decimal(threshold))
    assert d.policy_version == year.policy_version and not d.is_stale


def test_ac12_final_year_of_a_bachelor_is_not_a_transfer():
    """AC-12: year 4 of a bachelor programme ends in graduation: no threshold, no grant lost even with a low GPA."""
    year = _year(2026)
    student = _student(4)
    _grade(student, _term(year), "D")
    decide_transfers(_registrar(), year)
    d = _decision(student, year)
    assert (d.outcome, d.to_year, d.threshold, d.state_grant_lost) == (Outcome.FINAL_YEAR, None, None, False)


def test_ac11_half_up_rounding_in_the_database_lets_1665_transfer():
    """AC-11/AC-12: B+ (3.33) and F (0) over one credit each is 1.665, rounded half up to 1.67: transfers.

    Banker's rounding (or a float 1.66499...) would give 1.66 and a repeated year."""
    year = _year(2026)
    term = _term(year)
    student = _student(1)
    _grade(student, term, "B+", 1)
    _grade(student, term, "F", 1)
    [row] = gpa_table(year)
    assert row.gpa_year == row.gpa_cumulative == rules.gpa([("3.33", 1), ("0", 1)]) == Decimal("1.67")
    decide_transfers(_registrar(), year)
    assert _decision(student, year).outcome == Outcome.TRANSFERS


def test_ac11_gpa_in_sql_equals_rules_gpa_per_year_and_cumulative():
    """AC-11: the set-based GPA equals rules.gpa (and gpa_for) for every student: signed grades only,
    credit-weighted, the summer term in its academic year, earlier years in the cumulative GPA only,
    later years in neither."""
    last, year, later = _year(2025), _year(2026), _year(2027)
    autumn, spring, summer, old, future = (
        _term(year),
        _term(year, Term.Kind.SPRING),
        _term(year, Term.Kind.SUMMER),
        _term(last),
        _term(later),
    )
    letters = [letter for _lowest, letter, _points in rules.LETTER_SCALE]
    expected = {}
    for n in range(12):
        student = _student(2)
        year_pairs, all_pairs = [], []
        for i, term in enumerate((autumn, spring, summer, old)):
            letter, credits = letters[(n * 5 + i * 7) % len(letters)], 1 + (n + i) % 6
            _grade(student, term, letter, credits)
            all_pairs.append((rules.letter_points(letter), credits))
            if term is not old:
                year_pairs.append((rules.letter_points(letter), credits))
        _grade(student, autumn, "F", 5, signed=False)  # a draft does not count
        _grade(student, future, "F", 5)  # nor does a later year
        expected[student.pk] = (rules.gpa(year_pairs), rules.gpa(all_pairs))
        assert gpa_for(student, year) == expected[student.pk][0]
    rows = {r.student_id: (r.gpa_year, r.gpa_cumulative) for r in gpa_table(year)}
    assert rows == expected


def test_ac12_the_cumulative_basis_decides_when_the_year_chooses_it():
    """AC-12: the year's GPA decides by default; with the cumulative basis a weak earlier year counts."""
    last, year = _year(2025), _year(2026)
    student = _student(2)
    _grade(student, _term(last), "D")  # 1.0 last year
    _grade(student, _term(year), "B")  # 3.0 this year; cumulative 2.0 over equal credits
    registrar = _registrar()
    year.transfer_to_year_3 = Decimal("2.10")
    year.save()
    decide_transfers(registrar, year)
    d = _decision(student, year)
    assert (d.basis, d.gpa_year, d.gpa_cumulative, d.gpa_deciding) == ("year", Decimal("3.00"), Decimal("2.00"), 3)
    assert d.outcome == Outcome.TRANSFERS
    assert save_calendar(registrar, year, {"transfer_basis": "cumulative"}, {})
    decide_transfers(registrar, AcademicYear.objects.get(pk=year.pk))
    d = _decision(student, year)
    assert (d.basis, d.gpa_deciding, d.outcome) == ("cumulative", Decimal("2.00"), Outcome.REPEATS)


@pytest.mark.parametrize(
    ("funding", "letter", "lost"),
    [(GRANT, "D", True), (ORDER, "D", True), (PAID, "D", False), (GRANT, "A", False)],
)
def test_ac12_a_state_funded_student_who_repeats_loses_the_grant(funding, letter, lost):
    """AC-12: below the threshold the year is repeated (paid) and a state grant (or state order) is lost."""
    year = _year(2026)
    student = _student(1, funding)
    _grade(student, _term(year), letter)
    decide_transfers(_registrar(), year)
    assert _decision(student, year).state_grant_lost is lost


def test_ac12_ac23_recompute_after_a_threshold_change_updates_outcome_and_version():
    """AC-12/AC-23: a new threshold is a new rules version; the old decision shows as stale until the
    recompute, which updates outcome and version and keeps the change in the decision's history."""
    year = _year(2026)
    student, other = _student(1), _student(1)
    _grade(student, _term(year), "C-")  # 1.67: transfers under the handbook
    _grade(other, _term(year), "A")
    registrar = _registrar()
    decide_transfers(registrar, year)
    before = _decision(student, year)
    assert (before.outcome, before.policy_version) == (Outcome.TRANSFERS, "handbook")

    assert save_calendar(registrar, year, {"transfer_to_year_2": Decimal("1.70")}, {})
    year.refresh_from_db()
    assert year.policy_version != "handbook"
    assert _decision(student, year).is_stale
    body = _client(registrar).get(f"/academics/registrar/transfers/?year={year.pk}").content.decode()
    assert body.count("stale-marker") == 2 and 'id="stale-warning"' in body

    assert decide_transfers(registrar, year) == 2
    after = _decision(student, year)
    assert (after.outcome, after.threshold, after.policy_version) == (
        Outcome.REPEATS,
        Decimal("1.70"),
        year.policy_version,
    )
    assert not after.is_stale and after.state_grant_lost
    history = list(after.history.order_by("history_date", "history_id").values_list("history_type", "outcome"))
    assert history == [("+", Outcome.TRANSFERS), ("~", Outcome.REPEATS)]
    assert history_user_ids(after) == {registrar.pk}
    runs = list(TransferRun.objects.filter(academic_year=year).order_by("run_at", "pk"))
    assert [(r.policy_version, r.students, r.transfers, r.repeats, r.grants_lost, r.changed) for r in runs] == [
        ("handbook", 2, 2, 0, 0, 2),
        (year.policy_version, 2, 1, 1, 1, 2),  # the other student's version changed too
    ]
    body = _client(registrar).get(f"/academics/registrar/transfers/?year={year.pk}").content.decode()
    assert "stale-marker" not in body


def history_user_ids(decision: TransferDecision) -> set[int]:
    return set(decision.history.values_list("history_user_id", flat=True))


def _grade_many(term: Term, students: list[StudentProfile], letters: tuple[str, ...] = ("B", "D", "C")) -> None:
    """Signed grades for many students at once: one offering per letter, every student in each."""
    for i, letter in enumerate(letters):
        offering = OfferingFactory.create(term=term, discipline__credits=3 + i)
        enrolments = offering.enrolments.bulk_create(
            offering.enrolments.model(offering=offering, student=s) for s in students
        )
        GradeRecord.objects.bulk_create(
            GradeRecord(enrolment=e, letter=letter, points=rules.letter_points(letter), signed_at=timezone.now())
            for e in enrolments
        )


def _queries(registrar, year) -> int:
    registrar = type(registrar).objects.get(pk=registrar.pk)  # roles are cached per user object: start cold
    with CaptureQueriesContext(connection) as ctx:
        decide_transfers(registrar, year)
    return len(ctx.captured_queries)


def test_ac12_decide_transfers_uses_a_fixed_number_of_queries_whatever_the_number_of_students():
    """AC-12: set-based; 3 students or 40 (first run, and a recompute after a rules change) cost the same queries."""
    registrar = _registrar()
    small, large = _year(2025), _year(2026)
    _grade_many(_term(small), [_student(1, start_year=2025) for _ in range(3)])
    _grade_many(_term(large), [_student(1) for _ in range(40)])
    assert _queries(registrar, small) == _queries(registrar, large)
    for year in (small, large):
        save_calendar(registrar, year, {"transfer_to_year_2": Decimal("2.50")}, {})
    assert _queries(registrar, AcademicYear.objects.get(pk=small.pk)) == _queries(
        registrar, AcademicYear.objects.get(pk=large.pk)
    )
    assert TransferDecision.objects.filter(academic_year=large, outcome=Outcome.REPEATS).count() == 40


def test_ac12_non_registrars_get_403_and_nothing_changes():
    """AC-12: only the registrar's office (or a superuser) computes and lists decisions."""
    year = _year(2026)
    _grade(_student(1), _term(year), "B")
    teacher = UserFactory.create()
    RoleAssignmentFactory.create(user=teacher, role=Role.TEACHER)
    dean = UserFactory.create()
    RoleAssignmentFactory.create(user=dean, role=Role.DEAN)
    student = _student(1)
    for user in (teacher, dean, student.user):
        client = _client(user)
        assert client.post("/academics/registrar/transfers/compute/", {"year": year.pk}).status_code == 403
        assert client.get(f"/academics/registrar/transfers/compute/?year={year.pk}").status_code == 403
        assert client.get("/academics/registrar/transfers/").status_code == 403
        assert client.get("/academics/registrar/transfers/export.csv").status_code == 403
        with pytest.raises(PermissionDenied):
            decide_transfers(user, year)
    assert _client(student.user).get("/academics/registrar/scholarship/").status_code == 403
    assert not TransferDecision.objects.exists() and not TransferRun.objects.exists()
    assert Client().get("/academics/registrar/transfers/").status_code == 302  # to the login page


def test_ac12_registrar_confirms_then_computes_and_filters_searches_and_exports():
    """AC-12: GET asks for confirmation, POST computes; the list filters by outcome, group and search; CSV."""
    year = _year(2026)
    term = _term(year)
    good, weak = _student(1), _student(1, PAID)
    _grade(good, term, "A")
    _grade(weak, term, "D")
    client = _client(_registrar())
    confirm = client.get(f"/academics/registrar/transfers/compute/?year={year.pk}")
    assert confirm.status_code == 200 and not TransferDecision.objects.exists()
    assert "Compute transfer decisions" in confirm.content.decode()
    response = client.post("/academics/registrar/transfers/compute/", {"year": year.pk})
    assert response.status_code == 302 and TransferDecision.objects.count() == 2
    url = f"/academics/registrar/transfers/?year={year.pk}"
    page = client.get(url)
    assert {d.student for d in page.context["page"]} == {good, weak}
    assert page.context["summary"] == {
        "total": 2,
        "transfers": 1,
        "repeats": 1,
        "final_year": 0,
        "grants_lost": 0,
        "stale": 0,
    }
    assert [d.student for d in client.get(url + "&outcome=repeats").context["page"]] == [weak]
    assert [d.student for d in client.get(url + f"&group={good.group_id}").context["page"]] == [good]
    assert [d.student for d in client.get(url + f"&q={weak.user.id_code}").context["page"]] == [weak]
    assert list(client.get(url + "&stale=on").context["page"]) == []
    export = client.get(f"/academics/registrar/transfers/export.csv?year={year.pk}&outcome=transfers")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert export["Content-Type"].startswith("text/csv")
    assert rows[0][:2] == ["ID code", "Student"] and len(rows) == 2
    assert rows[1][0] == good.user.id_code and rows[1][5] == "4.00" and rows[1][10] == "Transfers to the next year"


def test_transfer_decisions_page_query_count_does_not_grow_with_rows(django_assert_max_num_queries):
    """A full page of 50 decisions (of 60) costs a fixed number of queries: no N+1 over students or groups."""
    year = _year(2026)
    students = [_student(1 + i % 3) for i in range(60)]
    _grade_many(_term(year), students)
    registrar = _registrar()
    decide_transfers(registrar, year)
    client = _client(registrar)
    client.get("/academics/registrar/transfers/")  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(f"/academics/registrar/transfers/?year={year.pk}")
    assert len(response.context["page"]) == 50
    with django_assert_max_num_queries(8):
        export = client.get(f"/academics/registrar/transfers/export.csv?year={year.pk}")
    assert export.content.decode("utf-8-sig").count("\n") == 61


def test_ac12_student_sees_own_transfer_decision_on_the_dashboard_and_in_the_standing():
    """AC-12: the standing carries the latest decision; the student's dashboard shows it, stale after a rules change."""
    year = _year(2026)
    student = _student(1)
    _grade(student, _term(year), "D")
    assert standing(student).transfer_decision is None
    registrar = _registrar()
    decide_transfers(registrar, year)
    record = standing(student)
    assert record.transfer_decision is not None and record.transfer_decision.outcome == Outcome.REPEATS
    client = _client(student.user)
    assert 'id="my-transfer-decision"' not in _client(_student(1).user).get("/dashboard/student/").content.decode()
    body = client.get("/dashboard/student/").content.decode()
    assert 'id="my-transfer-decision"' in body and "Repeats the year (paid)" in body and "stale-marker" not in body
    save_calendar(registrar, year, {"transfer_to_year_2": Decimal("1.00")}, {})
    assert "stale-marker" in client.get("/dashboard/student/").content.decode()


def test_registrar_dashboard_links_to_transfers_and_scholarship():
    body = _client(_registrar()).get("/dashboard/registrar/").content.decode()
    assert "/academics/registrar/transfers/" in body and "/academics/registrar/scholarship/" in body


@pytest.mark.parametrize(
    ("language", "applies_for"), [("kk", "Өтінім беру"), ("ru", "Подать заявку")], ids=["kk", "ru"]
)
def test_transfer_filter_button_shows_the_list_and_does_not_read_apply_for_a_course(language, applies_for):
    """The filter button shares its text with the other list filters ("Show"), not with the summer
    application's "Apply", which kk and ru translate as "submit an application"."""
    _year(2026)
    client = _client(_registrar())
    client.cookies["django_language"] = language
    body = client.get("/academics/registrar/transfers/").content.decode()
    with translation.override(language):
        show = translation.gettext("Show")
    assert show != "Show" and f">{show}</button>" in body
    assert applies_for not in body


# AC-17: the state scholarship.
@pytest.fixture
def sessions():
    """Last year's spring session, this autumn and this spring."""
    last, year = _year(2025), _year(2026)
    return {
        "last_autumn": _term(last),
        "last_spring": _term(last, Term.Kind.SPRING),
        "last_summer": _term(last, Term.Kind.SUMMER),
        "autumn": _term(year),
        "spring": _term(year, Term.Kind.SPRING),
    }


def test_ac17_every_first_year_state_funded_student_in_the_first_semester_and_never_a_paid_one(sessions):
    """AC-17: in year one's autumn, every grant (and state-order) student is listed, with no grades yet; paid never."""
    grant, order, paid = _student(1, GRANT), _student(1, ORDER), _student(1, PAID)
    second_year = _student(2, GRANT)  # not first-year: needs last spring's session, has none
    rows = scholarship_list(sessions["autumn"])
    assert {r.student_id for r in rows} == {grant.pk, order.pk}
    assert all(r.first_semester for r in rows)
    assert not {paid.pk, second_year.pk} & {r.student_id for r in rows}


def test_ac17_afterwards_only_students_with_every_grade_of_the_previous_session_at_least_c_plus(sessions):
    """AC-17: spring by the autumn session, autumn of year 2 by last spring's; one C (below C+) loses it."""
    autumn, spring = sessions["autumn"], sessions["spring"]
    keeps, loses, ungraded, paid = _student(1), _student(1), _student(1), _student(1, PAID)
    for letter in ("A", "C+"):
        _grade(keeps, autumn, letter)
        _grade(paid, autumn, letter)
    _grade(loses, autumn, "B")
    _grade(loses, autumn, "C")
    _grade(ungraded, autumn, "D", signed=False)  # a draft is not a session grade
    assert [r.student_id for r in scholarship_list(spring)] == [keeps.pk]

    second, second_weak = _student(2), _student(2)
    _grade(second, sessions["last_spring"], "B-")
    _grade(second, sessions["last_autumn"], "D")  # an older session does not matter
    _grade(second_weak, sessions["last_spring"], "A")
    _grade(second_weak, sessions["last_spring"], "C")
    _grade(second_weak, sessions["last_summer"], "A")  # summer is not the session
    rows = scholarship_list(autumn)
    assert [r.student_id for r in rows if not r.first_semester] == [second.pk]
    assert [r.letters for r in rows if r.student_id == second.pk] == [("B-",)]


def test_ac17_the_years_minimum_letter_applies(sessions):
    """AC-17: the Academic Council may set another minimum letter for the year (here B-)."""
    year = sessions["spring"].academic_year
    year.scholarship_minimum_letter = "B-"
    year.save()
    student = _student(1)
    _grade(student, sessions["autumn"], "C+")
    assert scholarship_list(Term.objects.get(pk=sessions["spring"].pk)) == []


def test_ac17_scholarship_page_registrar_sees_all_dean_sees_scope_csv(sessions, django_assert_max_num_queries):
    """AC-17: the registrar sees every faculty, a dean only theirs (read-only); CSV export; fixed query count."""
    mine = [_student(1) for _ in range(30)]
    institute = mine[0].group.programme.department.institute
    for s in mine[1:]:
        s.group = mine[0].group
        s.save()
    theirs = _student(1)
    for s in [*mine, theirs]:
        _grade(s, sessions["autumn"], "A")
    dean = UserFactory.create()
    RoleAssignmentFactory.create(user=dean, role=Role.DEAN, institute=institute)
    registrar_client, dean_client = _client(_registrar()), _client(dean)
    url = f"/academics/registrar/scholarship/?term={sessions['spring'].pk}"
    registrar_client.get(url)
    with django_assert_max_num_queries(10):
        response = registrar_client.get(url)
    assert response.context["total"] == 31
    dean_rows = dean_client.get(url).context["page"].object_list
    assert {r.student_id for r in dean_rows} == {s.pk for s in mine}
    export = dean_client.get(f"/academics/registrar/scholarship/export.csv?term={sessions['spring'].pk}")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][0] == "ID code" and len(rows) == 31
    assert {r[0] for r in rows[1:]} == {s.user.id_code for s in mine}


def test_ac17_the_scholarship_list_takes_a_fixed_number_of_queries():
    """AC-17: set-based: the students and their previous-session letters, whatever their number."""
    year = _year(2026)
    autumn, spring = _term(year), _term(year, Term.Kind.SPRING)
    _grade_many(autumn, [_student(1) for _ in range(3)], ("A",))
    with CaptureQueriesContext(connection) as few:
        assert len(scholarship_list(spring)) == 3
    _grade_many(autumn, [_student(1) for _ in range(30)], ("B",))
    with CaptureQueriesContext(connection) as many:
        assert len(scholarship_list(spring)) == 33
    assert len(few.captured_queries) == len(many.captured_queries) <= 3


def test_ac17_previous_session_is_last_spring_for_autumn_and_this_autumn_for_spring():
    """AC-17: the session that decides a semester's scholarship; the paid summer semester has none."""
    assert rules.previous_session("autumn", 2026) == ("spring", 2025)
    assert rules.previous_session("spring", 2026) == ("autumn", 2026)
    with pytest.raises(ValueError):
        rules.previous_session("summer", 2026)


def test_ac12_transfer_rule_on_plain_values():
    """AC-12: the pure rule: the basis picks the GPA; the last year of the programme is no transfer."""
    policy = rules.Policy(transfer_basis="cumulative")
    result = rules.transfer_decision(1, 4, Decimal("3.00"), Decimal("1.50"), True, policy)
    assert (result.outcome, result.deciding_gpa, result.to_year, result.state_grant_lost) == ("repeats", 1.5, 2, True)
    assert rules.transfer_decision(2, 2, Decimal("0"), Decimal("0"), True).outcome == "final_year"  # master, year 2
    assert rules.year_of_study_in(2026, 2027) == 1
