"""Benchmark harness: gunicorn on Postgres, loaded with wrk, every endpoint compared with the floor of the same run.

Usage: .venv/bin/python bench/run.py [--duration S] [--connections N] [--workers N] [--only NAME ...]
See bench/README.md.
"""

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from email.message import Message
from pathlib import Path
from typing import IO

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
LUA = BENCH / "request.lua"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/portal_bench"
USER, PASSWORD = "240000035", "Demo2026!"  # a demo student; setup resets the password (and its expiry clock)
LOGIN_PATH = "/accounts/login/"
MAX_BAD_SHARE = 0.01


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    body: str = ""


# The floor comes first: every ratio is an endpoint's req/s over the floor's, measured in the same run.
FLOOR = Endpoint("floor", "POST", "/bench/floor/")
ENDPOINTS = [
    FLOOR,
    Endpoint("student_dashboard", "GET", "/dashboard/student/"),
    Endpoint("notifications", "GET", "/notifications/"),
]


@dataclass
class Result:
    name: str
    method: str
    path: str
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    ratio: float
    non_2xx_3xx: int
    socket_errors: int
    unexpected_status: int


def parse_args() -> argparse.Namespace:
    """Read the command line."""
    names = [e.name for e in ENDPOINTS if e is not FLOOR] + ["login"]
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=int, default=10, help="seconds of load per endpoint (default 10)")
    p.add_argument("--login-duration", type=int, default=5, help="seconds of the logins/s run (default 5)")
    p.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    p.add_argument("--only", action="append", choices=names, help="run only this endpoint (repeatable)")
    return p.parse_args()


def bench_env() -> dict[str, str]:
    """The environment for manage.py and gunicorn: production settings made reachable over plain HTTP."""
    return {
        **os.environ,
        "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_DB),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PORTAL_VAR_DIR": str(RESULTS / "var"),
        "PORTAL_BENCH_ENDPOINTS": "1",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
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


def manage(env: dict[str, str], *args: str) -> None:
    """Run one manage.py command, failing the run if it fails."""
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(env: dict[str, str]) -> None:
    """Database, schema, demo data, static files and the bench user's known password."""
    create_database(env["DATABASE_URL"])
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "createcachetable")
    manage(env, "seed_demo", "--if-empty")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    snippet = (
        "from portal.models import User\n"
        f"u = User.objects.filter(id_code={USER!r}).first() or User(id_code={USER!r}, last_name='Bench',"
        " first_name='Bench', email='bench@example.invalid')\n"
        f"u.is_active = True\nu.set_password({PASSWORD!r})\nu.save()\n"
    )
    manage(env, "shell", "-v", "0", "-c", snippet)


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    """Start gunicorn on loopback; its output goes to bench/results/gunicorn.log."""
    log = (RESULTS / "gunicorn.log").open("wb")
    gunicorn = Path(sys.executable).parent / "gunicorn"
    cmd = [str(gunicorn), "portal.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", str(workers), "-k", "sync", "--no-control-socket"]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn: TERM, then KILL if it lingers."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand 3xx responses back instead of following them."""

    def redirect_request(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: Message, newurl: str
    ) -> urllib.request.Request | None:
        """Follow nothing."""
        return None


class Client:
    """A cookie-keeping HTTP client that never follows redirects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def cookie(self, name: str) -> str:
        """The value of one cookie ('' if unset)."""
        return next((c.value or "" for c in self.jar if c.name == name), "")

    def send(self, method: str, path: str, body: str = "") -> tuple[int, str]:
        """One request; returns the status and the Location header."""
        headers = {"Referer": self.base + path, "X-CSRFToken": self.cookie("csrftoken")}
        req = urllib.request.Request(self.base + path, body.encode() or None, headers, method=method)
        if body:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with self.opener.open(req, timeout=30) as resp:
                return resp.status, resp.headers.get("Location", "")
        except urllib.error.HTTPError as err:
            return err.code, err.headers.get("Location", "")


def login_form(client: Client) -> str:
    """GET the login page for a csrftoken and return the form body that signs the bench user in."""
    status, _ = client.send("GET", LOGIN_PATH)
    if status != 200 or not client.cookie("csrftoken"):
        sys.exit(f"GET {LOGIN_PATH} answered {status} without a csrftoken cookie")
    fields = {"login": USER, "password": PASSWORD, "csrfmiddlewaretoken": client.cookie("csrftoken")}
    return urllib.parse.urlencode(fields)


def wait_ready(client: Client, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """Wait until gunicorn answers, or fail if it dies or never does."""
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


def to_ms(value: str, unit: str) -> float:
    """Convert one of wrk's durations to milliseconds."""
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}[unit]


def run_wrk(base: str, endpoint: Endpoint, cookie: str, csrf: str, expect: int, args: argparse.Namespace) -> Result:
    """Load one endpoint with wrk and parse its report."""
    duration = args.login_duration if endpoint.path == LOGIN_PATH else args.duration
    threads = min(2, args.connections)
    cmd = ["wrk", f"-t{threads}", f"-c{args.connections}", f"-d{duration}s", "--timeout", "30s", "--latency"]
    env = {
        **os.environ,
        **{"BENCH_METHOD": endpoint.method, "BENCH_BODY": endpoint.body, "BENCH_COOKIE": cookie},
        **{"BENCH_CSRF": csrf, "BENCH_REFERER": base + endpoint.path, "BENCH_EXPECT": str(expect)},
    }
    print(f"wrk {endpoint.method} {endpoint.path} for {duration} s ...", flush=True)
    out = subprocess.run([*cmd, "-s", str(LUA), base + endpoint.path], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"wrk failed ({out.returncode}): {out.stderr or out.stdout}")
    text = out.stdout
    pct = {p: to_ms(v, u) for p, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M)}
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)

    def number(pattern: str) -> float:
        match = re.search(pattern, text)
        return float(match.group(1)) if match else 0.0

    return Result(
        name=endpoint.name,
        method=endpoint.method,
        path=endpoint.path,
        requests=int(number(r"(\d+) requests in")),
        rps=number(r"Requests/sec:\s+([\d.]+)"),
        p50_ms=pct["50"],
        p99_ms=pct["99"],
        ratio=0.0,
        non_2xx_3xx=int(number(r"Non-2xx or 3xx responses: (\d+)")),
        socket_errors=sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
        unexpected_status=int(number(r"Unexpected status: (\d+)")),
    )


def problems(result: Result) -> list[str]:
    """What makes a run untrustworthy: error responses above 1 %, unexpected statuses, socket errors."""
    found = []
    total = max(result.requests, 1)
    if result.non_2xx_3xx / total > MAX_BAD_SHARE:
        found.append(f"{result.name}: {result.non_2xx_3xx} of {result.requests} responses were not 2xx/3xx")
    if result.unexpected_status / total > MAX_BAD_SHARE:
        found.append(f"{result.name}: {result.unexpected_status} of {result.requests} had an unexpected status")
    if result.socket_errors:
        found.append(f"{result.name}: {result.socket_errors} socket errors")
    return found


def print_table(results: list[Result]) -> None:
    """Print endpoint, req/s, p50, p99 and the ratio to the floor; logins apart."""
    print(f"\n{'endpoint':<20} {'req/s':>10} {'p50 ms':>9} {'p99 ms':>9} {'ratio':>7}")
    for r in results:
        if r.path == LOGIN_PATH:
            print("-" * 59 + "\nlogins (the costliest request on purpose; not an endpoint under test)")
        print(f"{r.name:<20} {r.rps:>10.1f} {r.p50_ms:>9.2f} {r.p99_ms:>9.2f} {r.ratio:>7.2f}")


def main() -> int:
    """Prepare, start gunicorn, log in, load every endpoint, report."""
    args = parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = bench_env()
    prepare(env)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    proc = start_gunicorn(env, port, args.workers)
    try:
        client = Client(base)
        wait_ready(client, proc)
        status, location = client.send("POST", LOGIN_PATH, login_form(client))
        if status != 302 or not client.cookie("sessionid") or "password" in location:
            sys.exit(f"login as {USER} answered {status} (Location: {location!r}); see {RESULTS / 'gunicorn.log'}")
        cookie = f"sessionid={client.cookie('sessionid')}; csrftoken={client.cookie('csrftoken')}"
        chosen = [e for e in ENDPOINTS if e is FLOOR or not args.only or e.name in args.only]
        for endpoint in chosen:
            status, location = client.send(endpoint.method, endpoint.path, endpoint.body)
            if status != 200:
                sys.exit(f"{endpoint.method} {endpoint.path} answered {status} (Location: {location!r}), not 200")
        results = [run_wrk(base, e, cookie, client.cookie("csrftoken"), 200, args) for e in chosen]
        if not args.only or "login" in args.only:
            anonymous = Client(base)
            form = login_form(anonymous)
            login = Endpoint("login", "POST", LOGIN_PATH, form)
            token = anonymous.cookie("csrftoken")
            results.append(run_wrk(base, login, f"csrftoken={token}", token, 302, args))
    finally:
        stop(proc)
    for r in results:
        r.ratio = r.rps / results[0].rps if results[0].rps else 0.0
    print_table(results)
    summary = {"when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "workers": args.workers, "connections": args.connections}
    report = {**summary, "duration_s": args.duration, "results": [asdict(r) for r in results]}
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWritten to {(RESULTS / 'latest.json').relative_to(ROOT)}")
    found = [msg for r in results for msg in problems(r)]
    for msg in found:
        print(f"FAIL {msg}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
