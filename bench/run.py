"""Benchmark harness: gunicorn on Postgres, loaded with wrk, every endpoint compared with the floor of the same run.

Usage: .venv/bin/python bench/run.py [--duration S] [--connections N] [--workers N] [--only NAME ...]
See bench/README.md.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import asdict, dataclass, replace
from http.cookies import SimpleCookie
from pathlib import Path
from subprocess import PIPE
from typing import Any

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LUA = ROOT / "bench" / "request.lua"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/portal_bench"
USER, PASSWORD = "240000035", "Demo2026!"  # a demo student; setup re-sets the password (and its expiry clock)
LOGIN_PATH = "/accounts/login/"
USER_SNIPPET = f"""from portal.models import User
u = User.objects.filter(id_code={USER!r}).first() or User(id_code={USER!r}, last_name="Bench", first_name="Bench")
u.is_active = True
u.set_password({PASSWORD!r})
u.save()
"""
# The gradebook endpoint: this term's (unsigned) offering of one 30-student group, as its first teacher.
GRADEBOOK_STUDENTS = 30
TEACHER_SNIPPET = f"""import json
from django.db.models import Count
from academics.models import Offering
o = (Offering.objects.filter(statement__isnull=True).annotate(n=Count("enrolments"))
     .filter(n={GRADEBOOK_STUDENTS}).order_by("pk").first())
if o is None:
    raise SystemExit("no unsigned offering with {GRADEBOOK_STUDENTS} students: run seed_academics on seed_demo's 600")
t = o.teachers.order_by("pk").first()
t.is_active = True
t.set_password({PASSWORD!r})
t.save()
print(json.dumps({{"offering": o.pk, "teacher": t.id_code}}))
"""
MAX_BAD_SHARE = 0.01
TO_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}  # wrk's latency units
COUNTS = (r"Non-2xx or 3xx responses: (\d+)", r"Unexpected status: (\d+)")  # the second line is request.lua's


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str  # may name {offering}: filled in from the demo data at setup
    body: str = ""  # form-encoded
    expect: int = 200  # the status every response must have (a POST that redirects: 302)
    user: str = "student"  # who is signed in: the demo student, or the offering's "teacher"


# The floor runs first: each ratio is an endpoint's req/s over the floor's req/s from the same run.
FLOOR = Endpoint("floor", "POST", "/bench/floor/")
ENDPOINTS = [
    FLOOR,
    Endpoint("student_dashboard", "GET", "/dashboard/student/"),
    Endpoint("notifications", "GET", "/notifications/"),
    Endpoint("gradebook_30", "GET", "/academics/offerings/{offering}/gradebook/", user="teacher"),
    Endpoint("transcript", "GET", "/academics/transcript/"),
]


@dataclass
class Result:
    name: str
    method: str
    path: str
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    non_2xx_3xx: int
    unexpected_status: int
    socket_errors: int
    ratio: float = 0.0


def parse_args() -> argparse.Namespace:
    """Read the command line."""
    names = [e.name for e in ENDPOINTS if e is not FLOOR] + ["login"]
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=int, default=10, help="seconds of load per endpoint (default 10)")
    p.add_argument("--login-duration", type=int, default=5, help="seconds of the logins/s run (default 5)")
    p.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    p.add_argument("--only", action="append", choices=names, help="run only this one besides the floor (repeatable)")
    return p.parse_args()


def bench_env() -> dict[str, str]:
    """The environment for manage.py and gunicorn: production settings, reachable over plain HTTP."""
    return {
        **os.environ,
        "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_DB),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        # Every wrk connection comes from 127.0.0.1: raise the per-address cap on successful logins
        # (the limiter itself still runs on every login).
        "PORTAL_LOGIN_RATE": os.environ.get("BENCH_LOGIN_RATE", "10000/s/ip"),
        "PORTAL_VAR_DIR": str(RESULTS / "var"),
        "PORTAL_BENCH_ENDPOINTS": "1",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        **dict.fromkeys(("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"), "0"),
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
    }


def create_database(url: str) -> None:
    """Create the database named in url unless it exists."""
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    with psycopg.connect(url, dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}.")


def static_stale() -> bool:
    """Whether collectstatic must run (it takes ~40 s): no manifest yet, or a static source newer than it."""
    manifest = RESULTS / "var" / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return True
    sources = [*ROOT.glob("static/**/*"), *ROOT.glob("*/static/**/*"), Path(sys.prefix) / ".installed"]
    return any(p.stat().st_mtime > manifest.stat().st_mtime for p in sources if p.exists())


def prepare(env: dict[str, str]) -> dict[str, str]:
    """Database, schema, cache table, demo data, static files and the bench users' known passwords.

    Returns the values the endpoint paths name ({offering}) and the teacher's ID code."""

    def manage(*args: str) -> str:
        out = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=PIPE)
        return out.stdout.decode()

    create_database(env["DATABASE_URL"])
    manage("migrate", "--no-input", "-v", "0")
    manage("createcachetable")
    print(manage("seed_demo", "--if-empty").strip())
    print(manage("seed_academics", "--if-empty").strip())
    if static_stale():
        manage("collectstatic", "--noinput", "-v", "0")
    manage("shell", "-v", "0", "-c", USER_SNIPPET)
    values: dict[str, str] = {
        k: str(v) for k, v in json.loads(manage("shell", "-v", "0", "-c", TEACHER_SNIPPET)).items()
    }
    return values


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    """Start gunicorn on loopback; its output goes to bench/results/gunicorn.log."""
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    cmd = [gunicorn, "portal.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", str(workers), "-k", "sync"]
    cmd.append("--no-control-socket")  # gunicorn 27 would otherwise share ~/.gunicorn/gunicorn.ctl with others
    with (RESULTS / "gunicorn.log").open("wb") as log:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn: TERM, then KILL if it lingers."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Client:
    """A minimal HTTP client for one port on loopback: keeps cookies, never follows redirects."""

    def __init__(self, port: int) -> None:
        self.port, self.base = port, f"http://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def cookie(self, name: str) -> str:
        """The value of one cookie ('' if unset)."""
        return self.cookies.get(name, "")

    def send(self, method: str, path: str, body: str = "") -> tuple[int, str]:
        """One request with cookies, CSRF header and Referer; returns the status and the Location header."""
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {"Cookie": cookie, "X-CSRFToken": self.cookie("csrftoken"), "Referer": self.base + path}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body.encode() or None, headers)
            resp = conn.getresponse()
            resp.read()
        finally:
            conn.close()
        for header in resp.headers.get_all("Set-Cookie") or []:
            self.cookies.update({name: morsel.value for name, morsel in SimpleCookie(header).items()})
        return resp.status, resp.getheader("Location", "")

    def login_form(self, user: str = USER) -> str:
        """GET the login page for a csrftoken cookie; return the form body that signs `user` in."""
        status, _ = self.send("GET", LOGIN_PATH)
        if status != 200 or not self.cookie("csrftoken"):
            sys.exit(f"GET {LOGIN_PATH} answered {status} without a csrftoken cookie")
        token = self.cookie("csrftoken")
        return urllib.parse.urlencode({"login": user, "password": PASSWORD, "csrfmiddlewaretoken": token})

    def sign_in(self, user: str) -> None:
        """Sign `user` in over HTTP (the session cookie is kept); stop if it fails."""
        status, location = self.send("POST", LOGIN_PATH, self.login_form(user))
        if status != 302 or not self.cookie("sessionid"):
            sys.exit(f"login as {user} answered {status} (Location: {location!r}); see {RESULTS / 'gunicorn.log'}")


def wait_ready(client: Client, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """Wait until gunicorn answers at all; fail if it exits or never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited with {proc.returncode}; see {RESULTS / 'gunicorn.log'}")
        try:
            client.send("GET", "/healthz")
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer within {timeout:.0f} s")


def run_wrk(base: str, ep: Endpoint, cookie: str, csrf: str, args: argparse.Namespace) -> Result:
    """Load one endpoint with wrk (request.lua shapes the request) and parse its report."""
    duration = args.login_duration if ep.path == LOGIN_PATH else args.duration
    cmd = ["wrk", f"-t{min(2, args.connections)}", f"-c{args.connections}", f"-d{duration}s", "--timeout", "30s"]
    shape = {"METHOD": ep.method, "BODY": ep.body, "COOKIE": cookie, "CSRF": csrf, "REFERER": base + ep.path}
    env = {**os.environ, **{f"BENCH_{k}": v for k, v in shape.items()}, "BENCH_EXPECT": str(ep.expect)}
    print(f"wrk {ep.method} {ep.path} for {duration} s ...", flush=True)
    out = subprocess.run([*cmd, "--latency", "-s", str(LUA), base + ep.path], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"wrk failed ({out.returncode}): {out.stderr or out.stdout}")
    return parse_wrk(ep, out.stdout)


def parse_wrk(ep: Endpoint, text: str) -> Result:
    """Read wrk's report (with --latency and a script printing request.lua's two extra lines) into a Result."""
    pct = {p: float(v) * TO_MS[u] for p, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M)}
    pct["95"] = float(match.group(1)) / 1000 if (match := re.search(r"Latency p95: (\d+)", text)) else 0.0
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)

    def number(pattern: str) -> float:
        return float(match.group(1)) if (match := re.search(pattern, text)) else 0.0

    requests, bad, unexpected = (int(number(pattern)) for pattern in (r"(\d+) requests in", *COUNTS))
    errors = sum(int(n) for n in sock.groups()) if sock else 0
    rps = number(r"Requests/sec:\s+([\d.]+)")
    return Result(ep.name, ep.method, ep.path, requests, rps, pct["50"], pct["95"], pct["99"], bad, unexpected, errors)


def measure(port: int, args: argparse.Namespace, values: dict[str, str]) -> list[Result]:
    """Log in, check each chosen endpoint answers as expected, then load the floor, the endpoints and the login."""
    chosen = [e for e in ENDPOINTS if e is FLOOR or not args.only or e.name in args.only]
    chosen = [replace(e, path=e.path.format(**values)) for e in chosen]
    logins = {"student": USER, "teacher": values["teacher"]}
    clients: dict[str, Client] = {}
    for role in dict.fromkeys(e.user for e in chosen):
        clients[role] = Client(port)
        clients[role].sign_in(logins[role])
    for ep in chosen:
        status, location = clients[ep.user].send(ep.method, ep.path, ep.body)
        if status != ep.expect:
            sys.exit(f"{ep.method} {ep.path} answered {status} (Location: {location!r}), not {ep.expect}")
    results = []
    for ep in chosen:
        client = clients[ep.user]
        csrf = client.cookie("csrftoken")  # login rotates the token: use the new one
        cookie = f"sessionid={client.cookie('sessionid')}; csrftoken={csrf}"
        results.append(run_wrk(client.base, ep, cookie, csrf, args))
    if not args.only or "login" in args.only:
        anonymous = Client(port)  # no session cookie: a signed-in user would just be redirected
        login = Endpoint("login", "POST", LOGIN_PATH, anonymous.login_form(), 302)
        token = anonymous.cookie("csrftoken")
        results.append(run_wrk(anonymous.base, login, f"csrftoken={token}", token, args))
    for r in results:
        r.ratio = round(r.rps / results[0].rps, 3) if results[0].rps else 0.0
    return results


def print_table(results: list[Result]) -> None:
    """The table every HTTP benchmark prints: req/s, p50, p95, p99 and the ratio to the floor, a row each.

    A login run is set apart below a rule: it is the costliest request on purpose."""
    print(f"\n{'endpoint':<20} {'req/s':>10} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9} {'ratio':>7}")
    for r in results:
        if r.path == LOGIN_PATH:
            print("-" * 69 + "\nlogins/s, reported apart (the costliest request on purpose):")
        print(f"{r.name:<20} {r.rps:>10.1f} {r.p50_ms:>9.2f} {r.p95_ms:>9.2f} {r.p99_ms:>9.2f} {r.ratio:>7.2f}")


def print_targets(targets: dict[str, bool]) -> bool:
    """Print each target as met or MISSED; True if all are met."""
    for name, ok in targets.items():
        print(f"{'met   ' if ok else 'MISSED'} {name}")
    return all(targets.values())


def bad_responses(results: list[Result], share: float = MAX_BAD_SHARE) -> list[str]:
    """Failures for runs with more than `share` of responses not as expected, or with any socket error."""
    failures: list[str] = []
    for r in results:
        bad = max(r.non_2xx_3xx, r.unexpected_status)
        failures += [f"{r.name}: {bad} of {r.requests} responses not as expected"] if bad > share * r.requests else []
        failures += [f"{r.name}: {r.socket_errors} socket errors"] if r.socket_errors else []
    return failures


def write_json(name: str, data: dict[str, Any]) -> None:
    """Write bench/results/<name> (kept to compare runs) and say where."""
    out = RESULTS / name
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    print(f"Written to {out.relative_to(ROOT)}")


def report(results: list[Result], args: argparse.Namespace) -> int:
    """Print the table, write bench/results/latest.json, return 1 if any run is untrustworthy."""
    print_table(results)
    settings = {"workers": args.workers, "connections": args.connections, "duration_s": args.duration}
    data = {"when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **settings, "results": [asdict(r) for r in results]}
    print()
    write_json("latest.json", data)
    failures: list[str] = []
    for r in results:
        bad = {"responses were not 2xx/3xx": r.non_2xx_3xx, "had an unexpected status": r.unexpected_status}
        failures += [
            f"{r.name}: {n} of {r.requests} {what}" for what, n in bad.items() if n > MAX_BAD_SHARE * r.requests
        ]
        failures += [f"{r.name}: {r.socket_errors} socket errors"] if r.socket_errors else []
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


def main() -> int:
    """Prepare, start gunicorn, measure, always stop gunicorn, report."""
    args = parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = bench_env()
    values = prepare(env)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so `finally` stops gunicorn on TERM as on Ctrl-C
    proc = start_gunicorn(env, port, args.workers)
    try:
        wait_ready(Client(port), proc)
        results = measure(port, args, values)
    finally:
        stop(proc)
    return report(results, args)


if __name__ == "__main__":
    sys.exit(main())
