"""Voting benchmark (issue 4): every voter of a 30,000-voter roll casts one ballot over HTTP through gunicorn
on Postgres, next to the framework floor of the same run; then the database is checked (one ballot per
participation, one participation per voter) and the tally of 100,000 ballots with the protocol PDF is timed.

Usage: .venv/bin/python bench/vote.py [--duration S] [--connections N] [--workers N] [--students N]
See bench/README.md ("Voting: bench/vote.py").
"""

import argparse
import os
import random
import secrets
import signal
import socket
import string
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from datetime import time as clock
from subprocess import PIPE
from typing import TYPE_CHECKING, Any, TypeVar

import run  # bench/run.py: the environment, gunicorn, the HTTP client and wrk's report

ROOT = run.ROOT
sys.path.insert(0, str(ROOT))
RESULTS = run.RESULTS
LUA = ROOT / "bench" / "vote.lua"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/portal_bench_vote"
SESSIONS = RESULTS / "vote-sessions.txt"  # one voter's session key a line
DONE_DIR = RESULTS / "vote-done"  # vote.lua's threads mark the end of their slice here
# Bench elections are known by these hours (a real one never has them): voting is open all day, so the
# benchmark runs at any time (EL-01's 09:00-18:00 is only the default of the hours an election stores).
OPENS, CLOSES = clock(0, 0), clock(23, 59, 59)
CANDIDATES = 3
STALL_S = 45  # more than gunicorn's worker timeout (30 s)
RATIO_TARGET, P99_TARGET_MS, TALLY_TARGET_S = 0.6, 250.0, 2.0
BACKEND = "allauth.account.auth_backends.AuthenticationBackend"  # what allauth's login stores in the session
T = TypeVar("T")

if TYPE_CHECKING:
    from elections.models import Election


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=int, default=10, help="seconds of the floor's load (default 10)")
    p.add_argument("--connections", type=int, default=32, help="wrk connections, floor and ballots (default 32)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    p.add_argument("--students", type=int, default=30_000, help="students seeded into an empty database (30000)")
    p.add_argument("--voters", type=int, help="voters who cast, drawn at random from the roll (default: all)")
    p.add_argument("--tally-ballots", type=int, default=100_000, help="ballots in the timed tally (default 100000)")
    p.add_argument(
        "--threads",
        type=int,
        default=1,
        help="wrk threads of the ballot run, each with its slice of the voters (default 1; see bench/README.md)",
    )
    p.add_argument("--max-seconds", type=int, default=900, help="give up casting after this long (default 900)")
    return p.parse_args()


def timed(label: str, fn: Callable[[], T]) -> tuple[float, T]:
    print(f"{label} ...", end=" ", flush=True)
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    print(f"{seconds:.2f} s", flush=True)
    return seconds, result


def setup_django(env: dict[str, str]) -> None:
    """This process runs with gunicorn's environment: the sessions it writes are signed with gunicorn's
    SECRET_KEY, and it reads the same database."""
    os.environ.update(env)
    import django

    django.setup()


def academic_year(today: date) -> Any:
    """The academic year containing today, created (with its terms) if there is none."""
    from academics.models import AcademicYear
    from academics.services.calendar import create_academic_year
    from portal.demo import current_academic_year_start
    from portal.models import Role, RoleAssignment

    year = AcademicYear.objects.filter(starts_on__lte=today, ends_on__gte=today).first()
    if year is None:
        start = current_academic_year_start(today)
        year = AcademicYear.objects.filter(start_year=start).first()
        if year is None:
            registrar = RoleAssignment.objects.filter(role=Role.REGISTRAR).select_related("user").first()
            if registrar is None:
                sys.exit("no registrar to create the academic year with: seed_demo first")
            year = create_academic_year(registrar.user, start)
        AcademicYear.objects.filter(pk=year.pk).update(starts_on=min(year.starts_on, today))  # 1 September
        year.refresh_from_db()
    return year


def reset(election_ids: list[int]) -> None:
    """Forget earlier runs: the bench elections' ballots, participations (and their history) and every
    session (this database is the benchmark's own). Raw SQL: deleting through the ORM would write a
    history row per participation."""
    from django.db import connection

    from elections.models import Ballot, Participation

    history = Participation.history.model
    tables = [m._meta.db_table for m in (Ballot, Participation, history)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {table} WHERE election_id = ANY(%s)", [election_ids])
        cursor.execute("DELETE FROM django_session")
        for table in [*tables, "django_session"]:
            cursor.execute(f"VACUUM ANALYZE {table}")


def bench_election(now: datetime) -> "Election":
    """The online election voting today from 00:00 to 23:59:59, with three registered candidates and a
    chair, its roll frozen by `sync_phase`; earlier runs' votes deleted."""
    from django.utils import timezone

    from elections import rules
    from elections.models import Candidate, CommissionMember, Election, RollEntry
    from elections.services.calendar import sync_phase
    from portal.models import StudentProfile, User

    today = timezone.localdate(now)
    year = academic_year(today)
    bench = Election.objects.filter(voting_opens=OPENS, voting_closes=CLOSES)
    reset(list(bench.values_list("pk", flat=True)))
    election = bench.order_by("pk").first()
    if election is None:
        election = Election.objects.create(
            academic_year=year,
            mode=Election.Mode.ONLINE,
            election_day=today,
            registration_deadline=rules.registration_deadline(today),
            voting_opens=OPENS,
            voting_closes=CLOSES,
            phase=Election.Phase.CAMPAIGN,
            candidates_published_at=now,
        )
    elif election.election_day != today or election.stored_phase > rules.Phase.VOTING:
        # An earlier day's bench election votes again today, from a roll frozen afresh.
        RollEntry.objects.filter(election=election)._raw_delete(RollEntry.objects.db)
        Election.objects.filter(pk=election.pk).update(
            academic_year=year,
            election_day=today,
            registration_deadline=rules.registration_deadline(today),
            phase=Election.Phase.CAMPAIGN,
            roll_frozen_at=None,
            materials_hidden_at=None,
        )
        election.refresh_from_db()
    taken = set(election.candidates.values_list("student_id", flat=True))
    missing = CANDIDATES - election.candidates.filter(status=Candidate.Status.REGISTERED).count()
    for student in StudentProfile.objects.filter(year_of_study=3).exclude(pk__in=taken).order_by("pk")[:missing]:
        Candidate.objects.create(
            election=election, student=student, status=Candidate.Status.REGISTERED, programme="Bench."
        )
    if not election.commission.filter(role=CommissionMember.Role.CHAIR).exists():
        chair = User.objects.filter(student__isnull=True, id_code__startswith="T").order_by("id_code").first()
        if chair is None:
            sys.exit("no staff member to chair the bench election's commission")
        CommissionMember.objects.create(election=election, user=chair, role=CommissionMember.Role.CHAIR)
    sync_phase(election, now)
    if election.phase_at(now) != rules.Phase.VOTING or election.roll_frozen_at is None:
        sys.exit(f"the bench election {election.pk} is not open for voting at {now:%H:%M:%S} (phase {election.phase})")
    return election


def write_sessions(election: "Election", limit: int | None) -> int:
    """One signed-in session per voter on the roll (or `limit` voters drawn at random), written straight
    into the session store the way django.contrib.auth.login fills it (user id, backend, password hash),
    in bulk; the keys go to SESSIONS in random order. Returns how many."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from elections.models import RollEntry
    from portal.models import User

    engine = settings.SESSION_ENGINE
    if engine != "django.contrib.sessions.backends.db" or BACKEND not in settings.AUTHENTICATION_BACKENDS:
        sys.exit("bench/vote.py writes database sessions signed in through allauth: the settings changed")
    if settings.CSRF_USE_SESSIONS:
        sys.exit("CSRF_USE_SESSIONS is on: one csrftoken cookie no longer serves every voter")
    store = import_module(engine).SessionStore()
    expires = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    voters = User.objects.filter(student__pk__in=RollEntry.objects.filter(election=election).values("student_id"))
    users = list(voters.only("pk", "password").order_by("pk"))
    random.shuffle(users)  # voters come in no particular order
    keys: list[str] = []
    rows: list[Session] = []
    for user in users[:limit]:
        data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: BACKEND, HASH_SESSION_KEY: user.get_session_auth_hash()}
        keys.append(get_random_string(32, VALID_KEY_CHARS))
        rows.append(Session(session_key=keys[-1], session_data=store.encode(data), expire_date=expires))
    Session.objects.bulk_create(rows, batch_size=5000)
    SESSIONS.write_text("\n".join(keys) + "\n")
    return len(keys)


@dataclass
class Setup:
    election: int
    candidates: list[int]
    voters: int
    csrf: str


def prepare(args: argparse.Namespace) -> Setup:
    """Schema, cache table, demo data (seeded once), static files, the floor's student, the bench election
    with its frozen roll, and a session per voter."""
    from django.core.management import call_command
    from django.utils import timezone

    from elections.models import Candidate
    from portal.models import User

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable")
    call_command("seed_demo", students=args.students, if_empty=True)
    if run.static_stale():
        call_command("collectstatic", interactive=False, verbosity=0)
    call_command("shell", command=run.USER_SNIPPET, verbosity=0)  # the floor's student and password
    # A months-old bench database: restart every password's expiry clock (PT-05), or each ballot POST
    # would be redirected to the change-password page (the hashes the sessions are bound to stay).
    User.objects.update(password_changed_at=timezone.now())
    election = bench_election(timezone.now())
    candidates = list(
        election.candidates.filter(status=Candidate.Status.REGISTERED).order_by("pk").values_list("pk", flat=True)
    )
    _, voters = timed("sessions, one per voter (bulk)", lambda: write_sessions(election, args.voters))
    roll = election.roll.count()
    print(f"Election {election.pk}: {roll} voters on the frozen roll, {voters} of them cast; candidates {candidates}.")
    # The CSRF cookie is not tied to the session (CSRF_USE_SESSIONS is off): one token serves every voter.
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    return Setup(election.pk, candidates, voters, csrf)


def check_voter_session(port: int, path: str, csrf: str) -> None:
    """One voter's ballot page over HTTP: 200 means the written session signs the voter in."""
    client = run.Client(port)
    client.cookies = {"sessionid": SESSIONS.read_text().split()[0], "csrftoken": csrf}
    status, location = client.send("GET", path)
    if status != 200:
        sys.exit(f"GET {path} with a voter's session answered {status} (Location: {location!r})")


def measure_floor(port: int, args: argparse.Namespace) -> run.Result:
    """run.py's floor, signed in as its demo student, at the same concurrency as the ballots."""
    client = run.Client(port)
    client.sign_in(run.USER)
    status, location = client.send(run.FLOOR.method, run.FLOOR.path)
    if status != run.FLOOR.expect:
        sys.exit(f"{run.FLOOR.path} answered {status} (Location: {location!r})")
    csrf = client.cookie("csrftoken")
    cookie = f"sessionid={client.cookie('sessionid')}; csrftoken={csrf}"
    wrk_args = argparse.Namespace(duration=args.duration, login_duration=args.duration, connections=args.connections)
    return run.run_wrk(client.base, run.FLOOR, cookie, csrf, wrk_args)


def cast_ballots(port: int, setup: Setup, path: str, args: argparse.Namespace) -> tuple[run.Result, float]:
    """wrk with vote.lua until every thread has an answer for each voter of its slice; returns wrk's report
    and the casting time in seconds. Prints the progress; gives up when no ballot has come in for STALL_S."""
    from elections.models import Participation

    threads = max(1, min(args.threads, args.connections))
    DONE_DIR.mkdir(parents=True, exist_ok=True)
    for marker in DONE_DIR.glob("thread-*"):
        marker.unlink()
    base = f"http://127.0.0.1:{port}"
    shape = {
        "SESSIONS": str(SESSIONS),
        "THREADS": str(threads),
        "CANDIDATES": ",".join(map(str, setup.candidates)),
        "CSRF": setup.csrf,
        "REFERER": base + path,
        "EXPECT": "200",
        "DONE_DIR": str(DONE_DIR),
    }
    env = {**os.environ, **{f"BENCH_{k}": v for k, v in shape.items()}}
    cmd = ["wrk", f"-t{threads}", f"-c{args.connections}", f"-d{args.max_seconds}s", "--timeout", "30s", "--latency"]
    print(f"wrk POST {path}: {setup.voters} ballots, {args.connections} connections ...", flush=True)
    proc = subprocess.Popen([*cmd, "-s", str(LUA), base + path], env=env, stdout=PIPE, stderr=PIPE, text=True)
    cast = Participation.objects.filter(election_id=setup.election)
    started = last_change = last_print = time.monotonic()
    counted = 0
    while proc.poll() is None:
        time.sleep(0.02)
        if len(list(DONE_DIR.glob("thread-*"))) >= threads:
            proc.send_signal(signal.SIGINT)  # wrk then stops sleeping out its duration and reports
            break
        now = time.monotonic()
        if now - last_print >= 15:
            last_print = now
            if (n := cast.count()) != counted:
                counted, last_change = n, now
            print(f"  {counted} ballots in {now - started:.0f} s", flush=True)
            if now - last_change > STALL_S:
                print(f"no ballot for {STALL_S} s: stopping wrk", file=sys.stderr)
                proc.send_signal(signal.SIGINT)
                break
    out, err = proc.communicate()
    if proc.returncode != 0:
        sys.exit(f"wrk failed ({proc.returncode}): {err or out}")
    if len(list(DONE_DIR.glob("thread-*"))) < threads:
        print("wrk stopped before every voter had an answer", file=sys.stderr)
    for line in out.splitlines():
        if line.startswith("First unexpected"):
            print(line, file=sys.stderr)
    match = next((line for line in out.splitlines() if line.startswith("Duration us:")), "Duration us: 0")
    seconds = int(match.split(":")[1]) / 1e6
    return run.parse_wrk(run.Endpoint("ballot", "POST", path), out), seconds


def integrity(election_id: int, successes: int) -> dict[str, int]:
    """SQL counts after the load: ballots, participations and successful casts agree, every participation
    is one of a voter on the roll, nobody twice."""
    from django.db import connection

    from elections.models import Ballot, Participation, RollEntry

    participation = Participation._meta.db_table
    history = Participation.history.model._meta.db_table
    queries = {
        "ballots": f"SELECT count(*) FROM {Ballot._meta.db_table} WHERE election_id = %s",
        "participations": f"SELECT count(*) FROM {participation} WHERE election_id = %s",
        "distinct_voters": f"SELECT count(DISTINCT student_id) FROM {participation} WHERE election_id = %s",
        "voters_twice": f"SELECT count(*) FROM (SELECT student_id FROM {participation} WHERE election_id = %s "
        "GROUP BY student_id HAVING count(*) > 1) twice",
        "not_on_roll": f"SELECT count(*) FROM {participation} p WHERE p.election_id = %s AND NOT EXISTS "
        f"(SELECT 1 FROM {RollEntry._meta.db_table} r WHERE r.election_id = p.election_id "
        "AND r.student_id = p.student_id)",
        "not_online": f"SELECT count(*) FROM {participation} WHERE election_id = %s AND channel <> 'online'",
        "history_rows": f"SELECT count(*) FROM {history} WHERE election_id = %s",
    }
    counts = {"successful_responses": successes}
    with connection.cursor() as cursor:
        for name, query in queries.items():
            cursor.execute(query, [election_id])
            counts[name] = cursor.fetchone()[0]
    return counts


def integrity_failures(c: dict[str, int]) -> list[str]:
    failures = []
    if not c["ballots"] == c["participations"] == c["successful_responses"]:
        answered = c["successful_responses"]
        failures.append(f"{c['ballots']} ballots, {c['participations']} participations, {answered} casts answered 200")
    if c["distinct_voters"] != c["participations"] or c["voters_twice"]:
        failures.append(f"{c['voters_twice']} voters recorded more than once")
    if c["not_on_roll"] or c["not_online"]:
        failures.append(f"{c['not_on_roll']} participations off the roll, {c['not_online']} not online")
    if c["history_rows"] != c["participations"]:
        failures.append(f"{c['history_rows']} audit rows for {c['participations']} participations")
    return failures


def tally(election_id: int, total: int) -> dict[str, Any]:
    """Fill the ballot box up to `total` ballots, then time, after closing time, what the commission waits
    for: the online tally and the protocol (drawn up with its PDF). Everything after the extra ballots is
    rolled back, so the election stays in voting and no protocol is kept."""
    from django.db import connection, transaction

    from elections.models import Ballot, Candidate, CommissionMember, Election
    from elections.services import results
    from elections.services.calendar import sync_phase
    from elections.services.voting import online_tally

    election = Election.objects.get(pk=election_id)
    candidates = list(election.candidates.filter(status=Candidate.Status.REGISTERED).values_list("pk", flat=True))
    extra = total - Ballot.objects.filter(election=election).count()

    def add() -> None:
        rows = (Ballot(election=election, candidate_id=random.choice(candidates)) for _ in range(extra))
        Ballot.objects.bulk_create(rows, batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Ballot._meta.db_table}")  # as autovacuum would have by closing time

    took: dict[str, Any] = {"extra_ballots": extra}
    took["add_s"], _ = timed(f"{extra} more ballots (bulk)", add)
    closed = election.schedule.voting_closes_at
    chair = CommissionMember.objects.get(election=election, role=CommissionMember.Role.CHAIR).user
    pdf_seconds: list[float] = []
    render = results.render_pdf

    def timed_render(*a: Any, **kw: Any) -> bytes:
        started = time.perf_counter()
        pdf = render(*a, **kw)
        pdf_seconds.append(time.perf_counter() - started)
        return pdf

    with transaction.atomic():
        took["counting_begins_s"], _ = timed(
            "voting closes: sync_phase (the ballot table rewritten in random-key order)",
            lambda: sync_phase(election, closed),
        )
        took["online_tally_s"], counted = timed(
            f"online_tally of {total} ballots", lambda: online_tally(election, closed)
        )
        results.render_pdf = timed_render
        try:
            took["protocol_s"], protocol = timed(
                "draw_up_protocol (results, protocol PDF in two originals, stored document)",
                lambda: results.draw_up_protocol(chair, election, closed),
            )
        finally:
            results.render_pdf = render
        transaction.set_rollback(True)
    took["pdf_render_s"] = sum(pdf_seconds)
    took["tally_plus_pdf_s"] = took["online_tally_s"] + took["pdf_render_s"]
    took["ballots_counted"] = counted.ballots
    took["votes"] = {str(k): v for k, v in counted.votes.items()}
    took["protocol_ballots"] = sum(c["online"] for c in protocol.results["candidates"])
    return took


def report(
    floor: run.Result,
    ballot: run.Result,
    seconds: float,
    checks: dict[str, int],
    counted: dict[str, Any],
    setup: Setup,
    args: argparse.Namespace,
) -> int:
    """Print the figures against the targets, write bench/results/vote.json; 1 if a check or target fails."""
    successes = ballot.requests - ballot.unexpected_status
    per_s = successes / seconds if seconds else 0.0
    ratio = round(per_s / floor.rps, 3) if floor.rps else 0.0
    floor.ratio, ballot.ratio = 1.0, ratio
    run.print_table([floor, replace(ballot, name="ballot (cast)", rps=per_s)])  # its req/s: successful casts a second
    print(
        f"\n{successes} of {setup.voters} voters cast a ballot in {seconds:.1f} s: {per_s:.1f} ballots/s "
        f"({ballot.unexpected_status} unexpected statuses, {ballot.socket_errors} socket errors)"
    )
    print("Integrity: " + ", ".join(f"{k} {v}" for k, v in checks.items()))
    print(
        f"Tally: online_tally {counted['online_tally_s']:.2f} s + protocol PDF {counted['pdf_render_s']:.2f} s "
        f"= {counted['tally_plus_pdf_s']:.2f} s; draw_up_protocol end to end {counted['protocol_s']:.2f} s "
        f"({counted['ballots_counted']} ballots counted)"
    )
    targets = {
        f"ballots/s >= {RATIO_TARGET} x floor": ratio >= RATIO_TARGET,
        f"p99 < {P99_TARGET_MS:.0f} ms": ballot.p99_ms < P99_TARGET_MS,
        f"tally + protocol PDF < {TALLY_TARGET_S:.0f} s": counted["tally_plus_pdf_s"] < TALLY_TARGET_S,
        f"draw_up_protocol < {TALLY_TARGET_S:.0f} s": counted["protocol_s"] < TALLY_TARGET_S,
    }
    met = run.print_targets(targets)
    failures = [f"integrity: {f}" for f in integrity_failures(checks)]
    failures += run.bad_responses([floor, ballot], share=0.0)  # every voter casts once: no share may fail
    if successes != setup.voters:
        failures.append(f"{setup.voters - successes} voters without a successful cast")
    if counted["ballots_counted"] != counted["protocol_ballots"]:
        failures.append(f"the protocol counts {counted['protocol_ballots']} online ballots")
    data = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "voters": setup.voters,
        "connections": args.connections,
        "workers": args.workers,
        "floor_duration_s": args.duration,
        "floor": asdict(floor),
        "ballot": {**asdict(ballot), "ballots_per_s": round(per_s, 1), "seconds": round(seconds, 2)},
        "integrity": checks,
        "tally": counted,
        "targets": targets,
        "failures": failures,
    }
    print()
    run.write_json("vote.json", data)
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures or not met else 0


def main() -> int:
    """Prepare, start gunicorn, load the floor then the ballots, always stop gunicorn, check, tally, report."""
    args = parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = run.bench_env()
    env["DATABASE_URL"] = os.environ.get("DATABASE_URL", DEFAULT_DB)
    run.create_database(env["DATABASE_URL"])
    setup_django(env)
    setup = prepare(args)
    from django.db import connections

    connections.close_all()
    path = f"/elections/{setup.election}/ballot/"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so `finally` stops gunicorn on TERM as on Ctrl-C
    proc = run.start_gunicorn(env, port, args.workers)
    try:
        run.wait_ready(run.Client(port), proc)
        check_voter_session(port, path, setup.csrf)
        floor = measure_floor(port, args)
        ballot, seconds = cast_ballots(port, setup, path, args)
    finally:
        run.stop(proc)
    checks = integrity(setup.election, ballot.requests - ballot.unexpected_status)
    counted = tally(setup.election, args.tally_ballots)
    return report(floor, ballot, seconds, checks, counted, setup, args)


if __name__ == "__main__":
    sys.exit(main())
