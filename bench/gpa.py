"""GPA benchmark: 30,000 students with 40 signed grades each (1.2 million rows) on Postgres; times the
set-based GPA and the transfer decisions (AC-11/AC-12) and the scholarship list (AC-17) against a floor.

Usage: .venv/bin/python bench/gpa.py [--students N] [--rebuild] [--sample N]
See bench/README.md ("GPA and transfer decisions").
"""

import argparse
import os
import secrets
import sys
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import psycopg
import run  # bench/run.py: the results file
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/portal_gpa_bench"
TARGET_S = 60.0  # the whole recompute for every student, on the 2-core machine
YEARS = 4  # academic years of grades; the decisions are for the last one
OFFERINGS_PER_SEMESTER = 5  # 4 years x 2 semesters x 5 = 40 signed grades per student
T = TypeVar("T")


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--students", type=int, default=30_000, help="students to build (default 30000)")
    p.add_argument("--rebuild", action="store_true", help="drop and rebuild the database first")
    p.add_argument("--sample", type=int, default=300, help="students timed on the per-student path (default 300)")
    return p.parse_args()


def create_database(url: str) -> None:
    """Create the database named in url unless it exists."""
    with psycopg.connect(url, dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db_name(url),)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db_name(url))))
            print(f"Created database {db_name(url)}.")


def drop_database(url: str) -> None:
    with psycopg.connect(url, dbname="postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db_name(url))))


def db_name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


def setup_django(url: str) -> None:
    """Production settings (DEBUG off: no query log in memory) against the benchmark database."""
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "PORTAL_VAR_DIR": str(RESULTS / "var"),
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
        }
    )
    import django

    django.setup()


def timed(label: str, fn: Callable[[], T]) -> tuple[float, T]:
    print(f"{label} ...", end=" ", flush=True)
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    print(f"{seconds:.2f} s", flush=True)
    return seconds, result


def letter_case(column: str, index: int) -> str:
    """A SQL CASE giving the letter (index 1) or the points (index 2) of a whole percent, from the AC-05 scale."""
    from academics import rules

    whens = " ".join(
        f"WHEN {column} >= {row[0]} THEN " + (f"'{row[1]}'" if index == 1 else str(row[2]))
        for row in rules.LETTER_SCALE
    )
    return f"CASE {whens} END"


def build(students: int) -> dict[str, float]:
    """The demo university with `students` students, 4 academic years, 40 offerings and every student
    enrolled in each with a signed grade, inserted set-based (INSERT ... SELECT)."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from academics.models import Discipline, Offering, Term
    from academics.services.calendar import create_academic_year
    from portal.demo import current_academic_year_start
    from portal.models import Role, RoleAssignment

    took: dict[str, float] = {}
    took["seed_demo"], _ = timed(
        f"seed_demo --students {students}", lambda: call_command("seed_demo", students=students, verbosity=0)
    )
    registrar = RoleAssignment.objects.filter(role=Role.REGISTRAR).select_related("user").get().user
    year0 = current_academic_year_start()
    offering_ids: list[int] = []
    with transaction.atomic():
        for n, start in enumerate(range(year0 - YEARS + 1, year0 + 1)):
            year = create_academic_year(registrar, start)
            for s, kind in enumerate((Term.Kind.AUTUMN, Term.Kind.SPRING)):
                term = Term.objects.get(academic_year=year, kind=kind)
                for i in range(OFFERINGS_PER_SEMESTER):
                    code = f"B{n}{s}{i}"
                    discipline = Discipline.objects.create(code=code, name_kk=code, credits=(5, 5, 3, 4, 6)[i])
                    offering_ids.append(Offering.objects.create(discipline=discipline, term=term).pk)
    with connection.cursor() as cursor:
        took["enrolments"], _ = timed(
            "enrolments (INSERT ... SELECT)",
            lambda: cursor.execute(
                "INSERT INTO academics_enrolment (offering_id, student_id) "
                "SELECT o.id, s.id FROM academics_offering o CROSS JOIN portal_studentprofile s "
                "WHERE o.id = ANY(%s)",
                [offering_ids],
            ),
        )
        # Each student gets a level of their own (45-89 %) and each grade a spread of +-10 around it, so
        # GPAs range from about 1 to 3.7 and students both transfer and repeat.
        level = "45 + mod(e.student_id::bigint * 7919, 45)"
        pct = f"LEAST(100, GREATEST(0, {level} + mod(e.id::bigint * 2654435761, 21) - 10))"
        took["grades"], _ = timed(
            "signed grades (INSERT ... SELECT)",
            lambda: cursor.execute(
                "INSERT INTO academics_graderecord (enrolment_id, r1, r2, exam, exam_no_show, final_percent, "
                "letter, points, policy_version, signed_at) "
                f"SELECT id, pct, pct, pct, false, pct, {letter_case('pct', 1)}, {letter_case('pct', 2)}, "
                "'handbook', now() "
                f"FROM (SELECT e.id, {pct} AS pct FROM academics_enrolment e WHERE e.offering_id = ANY(%s)) g",
                [offering_ids],
            ),
        )
        took["analyze"], _ = timed("ANALYZE", lambda: cursor.execute("ANALYZE"))
    return took


def reset_decisions() -> None:
    """Start every run from no decisions and the handbook thresholds, so runs are comparable."""
    from django.db import connection

    from academics.models import AcademicYear

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE academics_transferdecision, academics_historicaltransferdecision, academics_transferrun"
        )
    AcademicYear.objects.update(
        policy_version="handbook", transfer_to_year_2="1.67", transfer_to_year_3="2.00", transfer_to_year_4="2.20"
    )


def measure(sample: int) -> dict[str, Any]:
    from decimal import Decimal

    from django.db import connection
    from django.db.models import Count
    from django.test.utils import override_settings

    from academics.models import AcademicYear, GradeRecord, Term, TransferDecision
    from academics.services import decisions
    from academics.services.calendar import save_calendar
    from academics.services.standing import gpa_for
    from portal.models import Role, RoleAssignment, StudentProfile

    registrar = RoleAssignment.objects.filter(role=Role.REGISTRAR).select_related("user").get().user
    reset_decisions()
    year = AcademicYear.objects.order_by("-start_year").first()
    assert year is not None
    students = StudentProfile.objects.count()
    grades = GradeRecord.objects.count()
    print(f"\n{students:,} students, {grades:,} signed grades; decisions for {year}\n")

    def count_grades() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM academics_graderecord")
            cursor.fetchone()

    count_grades()  # warm the cache once, as every later step finds it
    s: dict[str, float] = {}
    s["floor_count"], _ = timed("floor: SELECT count(*) over the grades", count_grades)
    s["gpa_table"], rows = timed("GPA of every student, year and cumulative", lambda: decisions.gpa_table(year))
    s["decide_first"], decided = timed(
        "decide_transfers, first run (inserts + history)", lambda: decisions.decide_transfers(registrar, year)
    )
    save_calendar(registrar, year, {"transfer_to_year_2": Decimal("1.80"), "transfer_to_year_3": Decimal("2.10")}, {})
    year.refresh_from_db()
    s["decide_changed"], _ = timed(
        f"decide_transfers after a threshold change ({year.policy_version})",
        lambda: decisions.decide_transfers(registrar, year),
    )
    s["decide_unchanged"], _ = timed(
        "decide_transfers again, nothing changed", lambda: decisions.decide_transfers(registrar, year)
    )
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE academics_transferdecision")
        s["decide_no_history"], _ = timed(
            "decide_transfers, first run without decision history", lambda: decisions.decide_transfers(registrar, year)
        )
    term = Term.objects.get(academic_year=year, kind=Term.Kind.AUTUMN)
    s["scholarship"], eligible = timed(f"scholarship list, {term}", lambda: decisions.scholarship_list(term))
    s["scholarship_again"], _ = timed(
        "scholarship list again (as a page view does)", lambda: decisions.scholarship_list(term)
    )
    sample_students = list(StudentProfile.objects.order_by("?")[:sample])

    def per_student() -> None:
        for student in sample_students:
            gpa_for(student, year)
            gpa_for(student)

    sample_s, _ = timed(f"per-student gpa_for x2 for {sample} students (the N+1 path)", per_student)
    s["per_student_estimate"] = sample_s / max(sample, 1) * students
    outcomes = dict(TransferDecision.objects.values_list("outcome").annotate(n=Count("pk")).order_by())
    worst = max(s["decide_first"], s["decide_changed"], s["decide_unchanged"])
    return {
        "students": students,
        "grades": grades,
        "decisions": decided,
        "gpa_rows": len(rows),
        "eligible": len(eligible),
        "outcomes": outcomes,
        "seconds": s,
        "worst_recompute_s": worst,
        "target_s": TARGET_S,
        "passed": worst < TARGET_S,
    }


def report(result: dict[str, Any], built: dict[str, float]) -> None:
    s = result["seconds"]
    floor = s["floor_count"] or 1e-9
    print(f"\n{'step':<56} {'seconds':>9} {'x floor':>9}")
    labels = {
        "floor_count": "floor: SELECT count(*) FROM academics_graderecord",
        "gpa_table": "GPA, year + cumulative, every student (2 queries)",
        "decide_first": "transfer decisions, first run (+ history)",
        "decide_changed": "transfer decisions after a threshold change",
        "decide_unchanged": "transfer decisions, nothing changed",
        "decide_no_history": "transfer decisions, first run, no decision history",
        "scholarship": "scholarship list, one semester (first call)",
        "scholarship_again": "scholarship list again",
        "per_student_estimate": "per-student gpa_for for all (estimated from a sample)",
    }
    for key, label in labels.items():
        print(f"{label:<56} {s[key]:>9.2f} {s[key] / floor:>9.0f}")
    if built:
        print("built in: " + ", ".join(f"{k} {v:.1f} s" for k, v in built.items()))
    print(f"outcomes: {result['outcomes']}; eligible for the scholarship: {result['eligible']:,}")
    verdict = "PASS" if result["passed"] else "FAIL"
    print(f"\nrecompute for {result['students']:,} students: worst {result['worst_recompute_s']:.1f} s, ", end="")
    print(f"target < {TARGET_S:.0f} s: {verdict}")
    run.write_json("gpa.json", {**result, "built": built, "when": time.strftime("%Y-%m-%dT%H:%M:%S%z")})


def main() -> int:
    args = parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    if not url.startswith("postgres"):
        sys.exit("bench/gpa.py needs Postgres (DATABASE_URL=postgres://...)")
    if args.rebuild:
        drop_database(url)
    create_database(url)
    setup_django(url)
    from django.core.management import call_command

    from portal.models import University

    call_command("migrate", "--no-input", verbosity=0)
    built = {} if University.objects.exists() else build(args.students)
    result = measure(args.sample)
    report(result, built)
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
