"""Reminder sweep benchmark (AP-19): 100,000 open cases on Postgres with deadlines spread around today, so
that many are due in 3 or 1 working days, due today or overdue; times the sweep (target under 30 s) and a
second sweep, which must send nothing (each reminder once).

Usage: .venv/bin/python bench/appeals_sweep.py [--cases N] [--rebuild]   (or: make bench-appeals-sweep)
The cases are inserted set-based (INSERT ... SELECT generate_series) into DATABASE_URL, by default
postgres://postgres@127.0.0.1:5432/portal_bench_sweep; each run starts from no reminders.
"""

import argparse
import json
import os
import shutil
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any

from gpa import RESULTS, ROOT, create_database, drop_database, setup_django, timed

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/portal_bench_sweep"
TARGET_S = 30.0
SPREAD = 30  # working days either side of today over which the deadlines are spread
CLOSED_SHARE = 10  # one case in 10 more is answered already (the sweep must skip them)
SAMPLE = 1000  # cases checked one by one against rules.reminder_threshold


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cases", type=int, default=100_000, help="open cases (default 100000)")
    p.add_argument("--rebuild", action="store_true", help="drop and rebuild the database first")
    return p.parse_args()


def sweep_day() -> date:
    """Today if it is a working day, else the next one (the sweep sends nothing on a day off)."""
    from django.utils import timezone

    from portal import workdays

    return workdays.next_working_day_on_or_after(timezone.localdate())


def build(cases: int, today: date) -> dict[str, float]:
    """The demo university (3 institutes, 300 staff as handlers), then `cases` open cases and a tenth as
    many answered ones, each open case with a handler of its institute; deadlines on the working days from
    30 before today to 30 after it, one in ten extended by a week; levels mixed so that overdue cases
    escalate to heads of department, deans, the vice-rector and the rector."""
    from django.core.management import call_command
    from django.db import connection

    from portal import workdays
    from portal.models import Role, RoleAssignment, StaffProfile, StudentProfile

    took: dict[str, float] = {}
    took["seed_demo"], _ = timed(
        "seed_demo --students 3000 --staff 300",
        lambda: call_command("seed_demo", students=3000, staff=300, verbosity=0),
    )
    students = list(
        StudentProfile.objects.values_list("user_id", "group__programme__department__institute_id").order_by("pk")
    )
    deans = dict(RoleAssignment.objects.filter(role=Role.DEAN).values_list("institute_id", "user_id"))
    teachers: dict[int, list[int]] = {}
    for user_id, institute_id in RoleAssignment.objects.filter(role=Role.TEACHER).values_list(
        "user_id", "department__institute_id"
    ):
        teachers.setdefault(institute_id, []).append(user_id)
    departments: dict[int, list[int]] = {}
    for department_id, institute_id in StaffProfile.objects.values_list("department_id", "department__institute_id"):
        if department_id not in departments.setdefault(institute_id, []):
            departments[institute_id].append(department_id)
    days = workdays.working_days_in(today - timedelta(days=2 * SPREAD), today + timedelta(days=2 * SPREAD))
    middle = days.index(today)
    deadlines = days[middle - SPREAD : middle + SPREAD + 1]
    total = cases + cases // CLOSED_SHARE
    # i-th case: applicant students[i % n], its institute; a deadline from the list; closed if i >= cases.
    case_sql = """
        INSERT INTO appeals_application (
            number, registered_on, received_at, institute_id, kind, channel, applicant_type, applicant_id,
            representative_name, representation_reason, postal_address, phone, subject, text, reports_offence,
            forwarded_to, status, body, level, department_id, due_on, extended_to, extension_reason, outcome,
            answer_text, answered_on, closing_note, delay_reason)
        SELECT 'BENCH-' || i, d - 21, (d - 21) + time '10:00', s.institute_id,
            (ARRAY['application','complaint','proposal','request'])[1 + i %% 4],
            (ARRAY['portal','portal','email','paper'])[1 + i %% 4], 'student', s.user_id,
            '', '', '', '', 'Емтихан кестесі ' || i, 'Емтихан кестесі өзгертілді, топқа ешкім хабарламады.', false,
            '', CASE WHEN i >= %(cases)s THEN 'answered' WHEN i %% 7 = 0 THEN 'registered' ELSE 'in_review' END,
            CASE WHEN i %% 7 = 0 THEN '' ELSE 'deans_council' END,
            (ARRAY[3,3,3,3,3,3,2,1,4,5])[1 + i %% 10], s.department_id, d,
            CASE WHEN i %% 10 = 3 THEN d + 7 END, CASE WHEN i %% 10 = 3 THEN 'Құжат күтілуде' ELSE '' END,
            CASE WHEN i >= %(cases)s THEN 'explained' ELSE '' END, '',
            CASE WHEN i >= %(cases)s THEN d - 2 END, '', ''
        FROM generate_series(0, %(total)s - 1) AS i
        CROSS JOIN LATERAL (SELECT (%(deadlines)s::date[])[1 + (i * 7919) %% %(n_days)s] AS d) AS due
        JOIN bench_students s ON s.k = i %% %(n_students)s
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_students (k int, user_id bigint, institute_id bigint, department_id bigint)"
        )
        rows = []
        for k, (user_id, institute_id) in enumerate(students):
            pool = departments[institute_id]
            rows.append((k, user_id, institute_id, pool[k % len(pool)]))
        cursor.executemany("INSERT INTO bench_students VALUES (%s, %s, %s, %s)", rows)
        params: dict[str, Any] = {
            "cases": cases,
            "total": total,
            "deadlines": deadlines,
            "n_days": len(deadlines),
            "n_students": len(students),
        }
        took["cases"], _ = timed(
            f"{cases:,} open + {total - cases:,} answered cases (INSERT ... SELECT)",
            lambda: cursor.execute(case_sql, params),
        )

        def assign() -> None:
            for institute_id, pool in teachers.items():
                cursor.execute(
                    "INSERT INTO appeals_assignment (application_id, user_id, assigned_by_id, assigned_at) "
                    "SELECT a.id, (%s::bigint[])[1 + a.id %% %s], %s, now() FROM appeals_application a "
                    "WHERE a.institute_id = %s AND a.status = 'in_review'",
                    [pool, len(pool), deans[institute_id], institute_id],
                )

        took["handlers"], _ = timed("a handler for every case under consideration", assign)
        took["analyze"], _ = timed("ANALYZE", lambda: cursor.execute("ANALYZE"))
    return took


def reset() -> None:
    """Every run starts from no reminders, no reminder events and no notifications."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE appeals_reminder, portal_notification")
        cursor.execute("DELETE FROM appeals_event WHERE type IN ('reminded', 'escalated')")
    broker = RESULTS / "var" / "celery-broker" / "out"
    if broker.exists():  # the sweep's "send the e-mails" tasks of earlier runs; no worker reads them here
        shutil.rmtree(broker)
        broker.mkdir(parents=True)


def expected(today: date) -> Counter[str]:
    """What the sweep must write: the open cases per threshold, counted in SQL from the same ranges."""
    from django.db.models import Case, CharField, Count, Value, When
    from django.db.models.functions import Coalesce

    from appeals.models import OPEN_STATUSES, Application
    from appeals.services.reminders import windows

    span = windows(today)
    rows = (
        Application.objects.filter(status__in=OPEN_STATUSES)
        .annotate(dl=Coalesce("extended_to", "due_on"))
        .annotate(
            th=Case(
                When(dl__lt=span.today, then=Value("overdue")),
                When(dl__lt=span.one_left, then=Value("d0")),
                When(dl__lt=span.two_left, then=Value("d1")),
                When(dl__lt=span.four_left, then=Value("d3")),
                default=Value(""),
                output_field=CharField(),
            )
        )
        .values_list("th")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Counter({th: n for th, n in rows if th})


def check_sample(today: date) -> tuple[int, float]:
    """Compare the written thresholds with `rules.reminder_threshold` called per case, for a sample; the
    time it takes shows what the per-case path would cost for every case."""
    from appeals import rules
    from appeals.models import OPEN_STATUSES, Application, Reminder

    written = dict(Reminder.objects.values_list("application_id", "threshold"))
    sample = list(
        Application.objects.filter(status__in=OPEN_STATUSES)
        .order_by("?")
        .values_list("pk", "due_on", "extended_to")[:SAMPLE]
    )
    started = time.perf_counter()
    mismatches = 0
    for pk, due_on, extended_to in sample:
        if rules.reminder_threshold(extended_to or due_on, today) != written.get(pk):
            mismatches += 1
    return mismatches, time.perf_counter() - started


def measure(today: date) -> dict[str, Any]:
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from appeals.models import OPEN_STATUSES, Application, Event, Reminder
    from appeals.services import reminders
    from portal.models import Notification

    reset()
    now = timezone.make_aware(datetime.combine(today, clock(9, 5)))
    open_cases = Application.objects.filter(status__in=OPEN_STATUSES).count()
    closed = Application.objects.exclude(status__in=OPEN_STATUSES).count()
    must = expected(today)
    print(f"\n{open_cases:,} open cases ({closed:,} closed); sweep on {today:%a %d.%m.%Y} at 09:05")
    print("due today by threshold: " + ", ".join(f"{k} {must[k]:,}" for k in ("d3", "d1", "d0", "overdue")))

    def count_cases() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM appeals_application WHERE status IN ('registered','in_review')")
            cursor.fetchone()

    count_cases()
    # A worker imports the URLconf once, at its first reverse(); do it before the clock starts, as a running
    # worker has (it takes seconds on a busy machine and is no part of the sweep).
    from django.urls import reverse

    reverse("appeals:statistics")
    floor, _ = timed("floor: SELECT count(*) of the open cases", count_cases)
    first_s, first = timed("sweep, first run", lambda: reminders.send_reminders(now))
    second_s, second = timed("sweep, second run (the same day)", lambda: reminders.send_reminders(now))
    later = now + timedelta(hours=1)
    third_s, third = timed("sweep an hour later", lambda: reminders.send_reminders(later))
    written = Counter(dict(Reminder.objects.values_list("threshold").annotate(n=Count("pk")).order_by()))
    mismatches, sample_s = check_sample(today)
    notifications = Notification.objects.count()
    events = Event.objects.filter(type__in=[Event.Type.REMINDED, Event.Type.ESCALATED], public=False).count()
    return {
        "day": today.isoformat(),
        "open_cases": open_cases,
        "closed_cases": closed,
        "expected": dict(must),
        "written": dict(written),
        "first": {"seconds": first_s, **first.__dict__},
        "second": {"seconds": second_s, **second.__dict__},
        "hour_later": {"seconds": third_s, **third.__dict__},
        "floor_s": floor,
        "notifications": notifications,
        "events": events,
        "sample": SAMPLE,
        "sample_mismatches": mismatches,
        "per_case_estimate_s": sample_s / SAMPLE * open_cases,
        "target_s": TARGET_S,
        "passed": (
            first_s < TARGET_S
            and second.reminders == 0
            and second.notifications == 0
            and third.reminders == 0
            and written == must
            and first.reminders == sum(must.values())
            and events == first.reminders
            and mismatches == 0
        ),
    }


def report(result: dict[str, Any], built: dict[str, float]) -> None:
    first, second, later = result["first"], result["second"], result["hour_later"]
    print(f"\n{'run':<34} {'seconds':>8} {'reminders':>10} {'escalated':>10} {'messages':>9}")
    for label, r in (("first sweep", first), ("second sweep (same day)", second), ("an hour later", later)):
        print(f"{label:<34} {r['seconds']:>8.2f} {r['reminders']:>10,} {r['escalated']:>10,} {r['notifications']:>9,}")
    print(f"floor (count of the open cases): {result['floor_s'] * 1000:.1f} ms")
    print(
        "written by threshold: "
        + ", ".join(f"{k} {result['written'].get(k, 0):,}" for k in ("d3", "d1", "d0", "overdue"))
    )
    print(
        f"notifications queued in all: {result['notifications']:,} (one digest per person and kind); "
        f"internal timeline events: {result['events']:,}"
    )
    print(
        f"sample of {result['sample']:,} cases checked one by one against rules.reminder_threshold: "
        f"{result['sample_mismatches']} mismatches; that per-case path for every open case would take about "
        f"{result['per_case_estimate_s']:.0f} s"
    )
    if built:
        print("built in: " + ", ".join(f"{k} {v:.1f} s" for k, v in built.items()))
    verdict = "PASS" if result["passed"] else "FAIL"
    print(
        f"\nsweep over {result['open_cases']:,} open cases: {first['seconds']:.1f} s, target < {TARGET_S:.0f} s; "
        f"second run sent {second['reminders']} reminders and {second['notifications']} messages: {verdict}"
    )
    out = RESULTS / "appeals_sweep.json"
    out.write_text(json.dumps({**result, "built": built, "when": time.strftime("%Y-%m-%dT%H:%M:%S%z")}, indent=2))
    print(f"Written to {out.relative_to(ROOT)}")


def main() -> int:
    args = parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    if not url.startswith("postgres"):
        sys.exit("bench/appeals_sweep.py needs Postgres (DATABASE_URL=postgres://...)")
    if args.rebuild:
        drop_database(url)
    create_database(url)
    setup_django(url)
    from django.core.management import call_command

    from portal.models import University

    call_command("migrate", "--no-input", verbosity=0)
    today = sweep_day()
    built = {} if University.objects.exists() else build(args.cases, today)
    result = measure(today)
    report(result, built)
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
