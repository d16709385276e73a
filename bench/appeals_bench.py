"""Appeals benchmark (issue 5): the dean's triage page over 100,000 applications and filing an application over
HTTP, through gunicorn on Postgres, each next to the framework floor of the same run.

Usage: .venv/bin/python bench/appeals_bench.py [--applications N] [--duration S] [--connections N] [--workers N]
See bench/README.md ("Appeals: bench/appeals_bench.py").
"""

import argparse
import os
import random
import signal
import socket
import sys
import time
import urllib.parse
from dataclasses import asdict, replace
from datetime import date, datetime, timedelta
from typing import Any

import run  # bench/run.py: the environment, gunicorn, the HTTP client and wrk's report
import vote  # bench/vote.py: Django in this process, timed steps

RESULTS = run.RESULTS
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/portal_bench_appeals"
DEAN = "T00008"  # the demo dean of the first institute (portal.demo); run.USER, the demo student, is one of its
YEARS = 3  # the applications are spread over the last three years
P95_TARGET_MS, FILE_RATIO_TARGET = 150.0, 0.5
FILE_BODY = {
    "kind": "complaint",
    "subject": "Емтихан кестесінің өзгеруі",
    "text": "Емтихан кестесі соңғы сәтте өзгертілді, топқа ешкім хабарламады. Кестені қайта қарауды сұраймын.",
}
SUBJECTS = (
    "Емтихан кестесінің өзгеруі",
    "Жатақханадан орын беру туралы",
    "Жатақхана бөлмелерінің жылытылмауы",
    "Аралық бақылау бағасын қайта қарау",
    "Таңдау пәнін бағдарламаға қосу",
    "Кітапхананың жұмыс уақыты",
    "Әскери есепке арналған анықтама",
    "Оқу корпусындағы интернет",
    "Әлеуметтік стипендия тағайындау",
    "Оқу жүктемесін қайта бөлу",
    "Әріптестің іскерлік әдепті бұзуы",
    "Зертхананы жаңарту",
)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--applications", type=int, default=100_000, help="applications in the journal (default 100000)")
    p.add_argument("--students", type=int, default=10_000, help="students seed_demo creates in an empty database")
    p.add_argument("--duration", type=int, default=10, help="seconds of load per endpoint, the floor included")
    p.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    p.add_argument("--rebuild", action="store_true", help="delete every application and load them again")
    p.add_argument("--only", action="append", choices=[e.name for e in ENDPOINTS], help="run only these endpoints")
    return p.parse_args()


# The floor first; the paths are filled in at setup. `file` posts the applicant's filing form ("appeals:file").
ENDPOINTS = [
    run.Endpoint("triage", "GET", "{triage}", user="dean"),
    run.Endpoint("triage_filtered", "GET", "{triage}?kind=complaint&status=in_review", user="dean"),
    run.Endpoint("journal", "GET", "{journal}", user="dean"),
    run.Endpoint("file", "POST", "{file}", urllib.parse.urlencode(FILE_BODY), 302),
]


def working_days(first: date, last: date) -> list[date]:
    """Every working day in [first, last], the calendar's decree overrides read once (PT-04)."""
    from portal import workdays

    overrides = workdays.overrides_between(first, last)
    days, day = [], first
    while day <= last:
        if workdays.is_working_day_in(day, overrides):
            days.append(day)
        day += timedelta(days=1)
    return days


def load(total: int, rebuild: bool) -> dict[str, int]:
    """Fill the journal with `total` applications in bulk (no services, no history rows): spread over three
    years of working days and the institutes, numbered in order per institute and year with the counters
    set to match, due dates 15 working days on (AP-06), the old ones mostly answered, the recent ones open
    (registered, in review, at the commission) and some old ones still open, hence overdue."""
    from django.db import connection
    from django.utils import timezone

    from appeals.models import (
        ApplicantType,
        Application,
        Assignment,
        Body,
        Channel,
        Kind,
        Outcome,
        RegistrationCounter,
        Status,
    )
    from portal.models import Institute, Role, RoleAssignment, StaffProfile, StudentProfile

    if rebuild:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {Application._meta.db_table}, {RegistrationCounter._meta.db_table} CASCADE")
    have = Application.objects.count()
    if have >= total:
        return {"applications": have, "added": 0}
    if have:
        sys.exit(f"{have} applications already, fewer than {total}: use --rebuild")
    rng = random.Random(2026)
    today = timezone.localdate()
    days = working_days(today - timedelta(days=365 * YEARS), today + timedelta(days=90))
    last = max(i for i, d in enumerate(days) if d <= today)
    institutes = list(Institute.objects.order_by("pk"))
    students: dict[int, list[int]] = {i.pk: [] for i in institutes}
    for user_id, inst in StudentProfile.objects.values_list("user_id", "group__programme__department__institute"):
        students[inst].append(user_id)
    staff: dict[int, list[int]] = {i.pk: [] for i in institutes}
    for user_id, inst in StaffProfile.objects.values_list("user_id", "department__institute"):
        staff[inst].append(user_id)
    deans = RoleAssignment.objects.filter(role=Role.DEAN, institute__isnull=False)
    dean_ids = dict(deans.order_by("-pk").values_list("institute_id", "user_id"))
    bodies = [Body.DEANS_COUNCIL, Body.PROGRAMME_COMMITTEE, Body.QUALITY_COMMISSION, Body.ETHICS_COUNCIL]
    kinds = [Kind.APPLICATION, Kind.COMPLAINT, Kind.COMPLAINT, Kind.PROPOSAL, Kind.REQUEST]
    channels = [Channel.PORTAL] * 7 + [Channel.EMAIL, Channel.PAPER, Channel.RECTOR_BLOG]
    drafts: list[tuple[int, int, Application]] = []  # (institute, day index, row)
    for _ in range(total):
        institute = rng.choice(institutes)
        k = rng.randint(0, last)
        age = last - k
        a = Application(
            registered_on=days[k],
            received_at=timezone.make_aware(datetime.combine(days[k], datetime.min.time()).replace(hour=10)),
            institute=institute,
            kind=rng.choice(kinds),
            channel=rng.choice(channels),
            subject=rng.choice(SUBJECTS),
            text="Өтініштің мәтіні: мәселе, оның себептері және өтініш берушінің талабы.",
            due_on=days[k + 15],
        )
        roll = rng.random()
        if roll < 0.03 and age >= 15:  # anonymous (AP-05): not considered, now and then forwarded
            a.applicant_type = ApplicantType.ANONYMOUS
            a.status = Status.FORWARDED if roll < 0.005 else Status.NOT_CONSIDERED
        else:
            is_staff = rng.random() < 0.17 and staff[institute.pk]
            a.applicant_type = ApplicantType.STAFF if is_staff else ApplicantType.STUDENT
            a.applicant_id = rng.choice(staff[institute.pk] if is_staff else students[institute.pk])
            still_open = age < 15 or (age < 25 and rng.random() < 0.2) or rng.random() < 0.01
            if still_open:
                a.status = rng.choices([Status.REGISTERED, Status.IN_REVIEW, Status.COMMISSION], [25, 65, 10])[0]
                if age >= 15 and rng.random() < 0.5:  # put off (AP-06), some still in time
                    a.extended_to = days[k + rng.randint(20, 30)]
                    a.extension_reason = "Қосымша құжаттар сұратылды."
            else:
                a.status = rng.choices([Status.ANSWERED, Status.RETURNED, Status.TERMINATED], [92, 5, 3])[0]
                a.answered_on = days[min(k + rng.randint(1 if a.status != Status.ANSWERED else 5, 15), last)]
                if a.status == Status.ANSWERED:
                    a.outcome = rng.choice(Outcome.values)
                    a.answer_text = "Өтініш қаралды, жауап беріледі."
        if a.status in (Status.IN_REVIEW, Status.ANSWERED):
            a.body = rng.choice(bodies)
        elif a.status == Status.COMMISSION:
            a.body = Body.EXPANDED_COMMISSION
        drafts.append((institute.pk, k, a))
    # AP-04: numbers in registration order per institute and year; the counters continue from them.
    drafts.sort(key=lambda d: (d[0], d[1]))
    counters: dict[tuple[int, int], int] = {}
    codes = {i.pk: i.code for i in institutes}
    for inst, _k, a in drafts:
        key = (inst, a.registered_on.year)
        counters[key] = counters.get(key, 0) + 1
        a.number = f"{codes[inst]}-{key[1]}/{counters[key]:05d}"
    rows = [a for _i, _k, a in drafts]
    Application.objects.bulk_create(rows, batch_size=5000)
    RegistrationCounter.objects.bulk_create(
        RegistrationCounter(institute_id=inst, year=year, last=n) for (inst, year), n in counters.items()
    )
    handled = [a for a in rows if a.status in (Status.IN_REVIEW, Status.COMMISSION, Status.ANSWERED)]
    Assignment.objects.bulk_create(
        (
            Assignment(
                application=a,
                user_id=rng.choice(staff[a.institute_id] or [dean_ids[a.institute_id]]),
                assigned_by_id=dean_ids[a.institute_id],
            )
            for a in handled
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        for model in (Application, Assignment, RegistrationCounter):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        cursor.execute("ANALYZE")  # the people too: seed_demo's bulk inserts leave the planner guessing
    return {"applications": Application.objects.count(), "added": len(rows), "assignments": len(handled)}


def prepare(args: argparse.Namespace) -> dict[str, Any]:
    """Schema, demo people, static files, the journal of `--applications`, known passwords for the floor's
    student (who also files) and the dean; the paths of the endpoints."""
    from django.core.management import call_command
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from appeals.models import OPEN_STATUSES, Application
    from portal.models import User

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable")
    call_command("seed_demo", students=args.students, if_empty=True)
    if run.static_stale():
        call_command("collectstatic", interactive=False, verbosity=0)
    call_command("shell", command=run.USER_SNIPPET, verbosity=0)  # the floor's (and the filing) student
    dean = User.objects.get(id_code=DEAN)
    dean.set_password(run.PASSWORD)
    dean.save()
    User.objects.filter(id_code=run.USER).update(password_changed_at=timezone.now())
    _, counts = vote.timed(f"{args.applications} applications (bulk)", lambda: load(args.applications, args.rebuild))
    institute = dean.role_assignments.get(role="dean").institute
    counts["dean_open"] = Application.objects.filter(institute=institute, status__in=OPEN_STATUSES).count()
    counts["dean_total"] = Application.objects.filter(institute=institute).count()
    paths = {"triage": reverse("appeals:triage"), "journal": reverse("appeals:journal")}
    try:
        paths["file"] = reverse("appeals:file")
    except NoReverseMatch:
        paths["file"] = ""
    print("Journal: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return {"paths": paths, "counts": counts}


def measure(port: int, args: argparse.Namespace, paths: dict[str, str]) -> tuple[list[run.Result], list[str]]:
    """Sign in the student and the dean, check each endpoint answers as expected, then load the floor and
    each endpoint with wrk. Returns the results (floor first) and what was skipped."""
    chosen = [e for e in ENDPOINTS if not args.only or e.name in args.only]
    skipped = [e.name for e in chosen if e.name == "file" and not paths["file"]]
    chosen = [replace(e, path=e.path.format(**paths)) for e in chosen if e.name not in skipped]
    clients = {"student": run.Client(port), "dean": run.Client(port)}
    clients["student"].sign_in(run.USER)
    clients["dean"].sign_in(DEAN)
    for ep in [run.FLOOR, *chosen]:
        status, location = clients[ep.user].send(ep.method, ep.path, ep.body)
        if status != ep.expect:
            sys.exit(f"{ep.method} {ep.path} answered {status} (Location: {location!r}), not {ep.expect}")
    wrk_args = argparse.Namespace(duration=args.duration, login_duration=args.duration, connections=args.connections)
    results = []
    for ep in [run.FLOOR, *chosen]:
        client = clients[ep.user]
        csrf = client.cookie("csrftoken")
        cookie = f"sessionid={client.cookie('sessionid')}; csrftoken={csrf}"
        results.append(run.run_wrk(client.base, ep, cookie, csrf, wrk_args))
    for r in results:
        r.ratio = round(r.rps / results[0].rps, 3) if results[0].rps else 0.0
    return results, skipped


def forget_filings(since: datetime) -> int:
    """Delete the applications the load filed and what they notified (the dean's unread count is on every
    page), so runs repeat on the same journal."""
    from django.urls import reverse

    from appeals.models import Application
    from portal.models import Notification

    filed = Application.objects.filter(applicant__id_code=run.USER, received_at__gte=since)
    urls = [reverse("appeals:case", args=[pk]) for pk in filed.values_list("pk", flat=True)]
    Notification.objects.filter(url__in=urls).delete()
    return filed.delete()[1].get("appeals.Application", 0)


def report(results: list[run.Result], skipped: list[str], setup: dict[str, Any], args: argparse.Namespace) -> int:
    """Print run.py's table and the targets, write bench/results/appeals.json; 1 if a check or target fails."""
    run.print_table(results)
    for name in skipped:
        print(f"{name:<20} skipped: the filing form (URL name appeals:file) is not in this checkout")
    by_name = {r.name: r for r in results}
    targets: dict[str, bool] = {}
    if "triage" in by_name:
        targets[f"triage p95 < {P95_TARGET_MS:.0f} ms at {args.connections} connections"] = (
            by_name["triage"].p95_ms < P95_TARGET_MS
        )
    if "file" in by_name:
        targets[f"filing >= {FILE_RATIO_TARGET} x floor"] = by_name["file"].ratio >= FILE_RATIO_TARGET
    met = run.print_targets(targets)
    failures = run.bad_responses(results)
    data = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "workers": args.workers,
        "connections": args.connections,
        "duration_s": args.duration,
        "journal": setup["counts"],
        "results": [asdict(r) for r in results],
        "skipped": skipped,
        "targets": targets,
        "failures": failures,
    }
    print()
    run.write_json("appeals.json", data)
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures or not met else 0


def main() -> int:
    """Prepare, start gunicorn, measure, always stop gunicorn, clean up the filings, report."""
    args = parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = run.bench_env()
    env["DATABASE_URL"] = os.environ.get("DATABASE_URL", DEFAULT_DB)
    run.create_database(env["DATABASE_URL"])
    vote.setup_django(env)
    setup = prepare(args)
    from django.db import connections
    from django.utils import timezone

    connections.close_all()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so `finally` stops gunicorn on TERM as on Ctrl-C
    started = timezone.now()
    proc = run.start_gunicorn(env, port, args.workers)
    try:
        run.wait_ready(run.Client(port), proc)
        results, skipped = measure(port, args, setup["paths"])
    finally:
        run.stop(proc)
        filed = forget_filings(started)
    if filed:
        print(f"{filed} applications filed during the run, deleted again.")
    return report(results, skipped, setup, args)


if __name__ == "__main__":
    sys.exit(main())
