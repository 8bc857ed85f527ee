"""Cluster bench: the production set-up of deploy/ on this machine, under load, losing parts.

Started on loopback, as deploy/ describes it: nginx (Debian's package, run as this user with a
temporary prefix, the site rendered from ``deploy/nginx/portal.conf``), two gunicorn instances
(``deploy/gunicorn.conf.py``, one worker each) in its upstream, two job workers
(``--no-periodic``) and the scheduler, on PostgreSQL (its own database, emptied) and Redis
(its own database, flushed), with the test suite's local SMTP server and SMS provider. The
demo content of Poti and Abasha is loaded, plus one "viral" petition.

A crowd of threads (each with its own loopback address, passed on by nginx in
X-Forwarded-For) then browses public pages, searches the council archive, signs the viral
petition and writes letters to the mayor, through nginx, in three phases: before, during
(one gunicorn instance and one worker are killed with SIGKILL as it starts) and after. Then
the outbox is left to drain and the bench checks:

- every signature and letter answered 2xx/3xx is in the database (``lost_writes``);
- every outbox message was delivered exactly once (``duplicate_messages``: a Message-ID the
  SMTP server saw twice; ``undelivered_messages``: still waiting after the drain);
- the load kept being served (req/s and errors per phase).

Last, wrk measures the viral petition's HTML page through nginx: as a visitor without
cookies (served from the micro-cache) and with a cookie (nginx passes it to gunicorn), the
same URL, the same nginx; the ratio is ``microcache_ratio`` (target at least 20). The page
holds no form needing a CSRF token (the sign form is a page of its own, ``/sign``), so a
visitor without cookies gets it without one, marked public, and nginx keeps it
(``viral_page_cached`` says so after two requests).

    .venv/bin/python bench/cluster.py            # 20 s per phase, about 2 minutes
    .venv/bin/python bench/cluster.py --quick    # 3 s per phase, under 30 s on an idle machine

Figures come last as ``key=value`` lines.
"""

from __future__ import annotations

import argparse
import getpass
import http.client
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import (  # noqa: E402
    BIN,
    PROJECT_ROOT,
    BenchError,
    Measurement,
    ensure_wrk,
    free_port,
    portal_environment,
    prepared_portal,
    print_figures,
    run_wrk,
    wrk_script,
)
from petition_surge import (  # noqa: E402
    create_petition,
    csrf_token,
    personal_number,
    reachable,
    signer_address,
    signer_email,
)

from deploy.render import render_file  # noqa: E402
from tests.servers import SmsServer, SmtpServer  # noqa: E402

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/cluster17"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"
NGINX_SITE = PROJECT_ROOT / "deploy" / "nginx" / "portal.conf"
GUNICORN_CONF = PROJECT_ROOT / "deploy" / "gunicorn.conf.py"
MICROCACHE_SECONDS = 5
#: (seconds per phase, concurrent visitors, wrk seconds per side, drain timeout)
FULL = (20, 12, 5, 90)
QUICK = (3, 8, 1, 45)
#: How often the warm-up fetches each page, and how many wrk rounds each side gets: fewer in
#: the quick run, which must stay under 30 s.
ROUNDS = {"full": 2, "quick": 1}
BROWSE = ("/poti/", "/abasha/", "/poti/petitions/", "/abasha/petitions/", "/poti/news/",
          "/poti/letters/published/", "/poti/sessions/")
SEARCHES = ("ბიუჯეტი", "პეტიცია", "წყალი", "სკოლა", "გზა", "საკრებულო")
#: What a visitor does next, by weight (reads dominate, as on a real portal).
MIX = (("browse", 50), ("search", 20), ("viral", 15), ("sign", 10), ("letter", 5))
PHASES = ("before", "during", "after")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 s per phase, 1 s per wrk round (under 30 s)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE,
                        help="a scratch PostgreSQL database, WIPED first (default %(default)s)")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS,
                        help="a scratch Redis database, FLUSHED first (default %(default)s)")
    parser.add_argument("--seconds", type=int, help="seconds per phase")
    parser.add_argument("--visitors", type=int, help="concurrent visitors")
    return parser.parse_args(argv)


# --- the processes ----------------------------------------------------------------------

def ensure_nginx() -> str:
    """Path of nginx; Debian's nginx-light installed when missing and we are root."""
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)
    if found:
        return found
    if os.geteuid() != 0:
        raise BenchError("nginx is missing: run 'sudo apt-get install nginx-light' and try again.")
    print("installing nginx-light from Debian", file=sys.stderr)
    quiet = {"stdout": subprocess.DEVNULL, "check": True}
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], **quiet)
    subprocess.run(["apt-get", "install", "-y", "-qq", "nginx-light"], env=env, **quiet)
    return shutil.which("nginx") or "/usr/sbin/nginx"


class Cluster:
    """Every process of the set-up, each in its own process group (so a kill takes a gunicorn
    master with its workers), always stopped at the end."""

    def __init__(self, env: dict[str, str], workdir: Path):
        self.env, self.workdir = env, workdir
        self.web: list[tuple[subprocess.Popen, int]] = []
        self.workers: list[subprocess.Popen] = []
        self.nginx: subprocess.Popen | None = None
        self.nginx_port = free_port()
        self.logs: list = []

    def _start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = (self.workdir / f"{name}.log").open("ab")
        self.logs.append(log)
        return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log,
                                start_new_session=True)

    def start_web(self, count: int) -> None:
        for n in range(count):
            port = free_port()
            env = {**self.env, "PORTAL_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"}
            process = self._start(f"gunicorn{n}", [str(BIN / "gunicorn"), "-c", str(GUNICORN_CONF),
                                                   "--log-level", "warning", "wsgi:app"], env)
            self.web.append((process, port))

    def start_workers(self, count: int) -> None:
        flask = [str(BIN / "flask"), "--app", "wsgi", "jobs", "worker"]
        for n in range(count):
            self.workers.append(self._start(f"worker{n}", [*flask, "--workers", "2",
                                                           "--no-periodic"], self.env))
        self.workers.append(self._start("scheduler", [*flask, "--workers", "1"], self.env))

    def start_nginx(self, nginx: str) -> None:
        prefix = self.workdir / "nginx"
        (prefix / "cache").mkdir(parents=True)
        site = render_file(NGINX_SITE, {
            "SERVER_NAME": "localhost 127.0.0.1",
            "LISTEN": f"127.0.0.1:{self.nginx_port}",
            "UPSTREAM_SERVERS": "\n    ".join(
                f"server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for _, port in self.web),
            "STATIC_ROOT": str(PROJECT_ROOT / "portal" / "static"),
            "CACHE_DIR": str(prefix / "cache"),
            "MICROCACHE_SECONDS": str(MICROCACHE_SECONDS),
        })
        (prefix / "portal.conf").write_text(site)
        # The main file a Debian machine has in /etc/nginx/nginx.conf, cut to what a user
        # without root can run: no "user", everything under the prefix.
        # As root (a container), nginx's workers would drop to "nobody": keep this user.
        user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
        (prefix / "nginx.conf").write_text(f"""
{user}
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/portal.conf;
}}
""")
        arguments = ["-e", str(prefix / "error.log"), "-p", str(prefix), "-c",
                     str(prefix / "nginx.conf")]
        test = subprocess.run([nginx, "-t", *arguments], capture_output=True, text=True)
        if test.returncode:
            raise BenchError(f"nginx refused the rendered configuration:\n{test.stderr}")
        self.nginx = self._start("nginx", [nginx, *arguments], self.env)

    def wait_until_up(self) -> None:
        targets = [port for _, port in self.web] + [self.nginx_port]
        deadline = time.monotonic() + 30
        for port in targets:
            while True:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    conn.request("GET", "/healthz", headers={"Host": "localhost"})
                    if conn.getresponse().status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise BenchError(f"nothing answered on port {port} within 30 s; logs in "
                                     f"{self.workdir}")
                time.sleep(0.2)

    def wait_for_workers(self) -> None:
        """Until every job worker's consumer runs: their start (an interpreter and the app
        each) would otherwise eat the CPU of the first phase."""
        names = [f"worker{n}" for n in range(len(self.workers) - 1)] + ["scheduler"]
        deadline = time.monotonic() + 60
        for name in names:
            log = self.workdir / f"{name}.log"
            while b"Huey consumer started" not in log.read_bytes():
                if time.monotonic() > deadline:
                    raise BenchError(f"{name} did not start within 60 s; see {log}")
                time.sleep(0.2)

    def warm_up(self, petition_id: int, rounds: int) -> None:
        """Every page of the mix once on each gunicorn (templates compiled, connections
        open), so "before" measures a running portal, not its start."""
        paths = [*BROWSE, f"/poti/petitions/{petition_id}", f"/poti/petitions/{petition_id}/sign",
                 "/poti/letters/mayor",
                 "/poti/sessions/search?q=" + urllib.parse.quote(SEARCHES[0])]
        for _, port in self.web:
            for path in paths * rounds:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", path, headers={"Host": "localhost"})
                status = conn.getresponse().status
                conn.close()
                if status != 200:
                    raise BenchError(f"warm-up: {path} answered {status}")

    def nginx_errors(self) -> list[str]:
        """nginx's error log, without the lines the kill is expected to cause and the "no live
        upstreams" that follow a failure: what made nginx give up a server."""
        log = self.workdir / "nginx" / "error.log"
        lines = log.read_text(errors="replace").splitlines() if log.exists() else []
        causes = [line for line in lines
                  if "Connection refused" not in line and "no live upstreams" not in line]
        return causes or lines

    def kill_one(self) -> None:
        """SIGKILL the first gunicorn instance (master and worker) and the first job worker."""
        os.killpg(self.web[0][0].pid, signal.SIGKILL)
        os.killpg(self.workers[0].pid, signal.SIGKILL)

    def stop(self) -> None:
        processes = [p for p, _ in self.web] + self.workers + ([self.nginx] if self.nginx else [])
        for process in processes:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGINT)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 5
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for log in self.logs:
            log.close()


# --- the crowd --------------------------------------------------------------------------

@dataclass
class Record:
    at: float
    kind: str
    status: int
    seconds: float


@dataclass
class Load:
    lock: threading.Lock = field(default_factory=threading.Lock)
    records: list[Record] = field(default_factory=list)
    #: (kind, key) of every write answered 2xx/3xx: a signer's or a letter writer's e-mail.
    accepted: list[tuple[str, str]] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)

    def add(self, record: Record, sample: str | None = None) -> None:
        with self.lock:
            self.records.append(record)
            if sample and len(self.samples) < 6:
                self.samples.append(sample)


class Visitor:
    """One person: their own loopback address, cookies and kept-alive connection to nginx."""

    def __init__(self, port: int, n: int, load: Load):
        self.port, self.n, self.load = port, n, load
        self.source = signer_address(n)
        self.cookies: dict[str, str] = {}
        #: What this visitor already sent: one signature, one letter (the portal refuses a
        #: second from one address within minutes, rightly: not an error of the cluster).
        self.wrote: set[str] = set()
        self.conn: http.client.HTTPConnection | None = None

    def request(self, kind: str, method: str, path: str, form: dict | None = None,
                ok: tuple[int, ...] = (200,)) -> tuple[int, str]:
        body = urllib.parse.urlencode(form) if form is not None else None
        headers = {"Host": "localhost"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        status, text = 0, ""
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30,
                                                       source_address=(self.source, 0))
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode(errors="replace")
            status = response.status
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            if response.getheader("Connection", "").lower() == "close":
                self.close()
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            text = f"{type(exc).__name__}: {exc}"
        elapsed = time.perf_counter() - started
        sample = None if status in ok else f"{kind} {method} {path}: {status} {text[:120]!r}"
        self.load.add(Record(time.monotonic(), kind, status if status in ok else -abs(status) or -1,
                             elapsed), sample)
        return status, text

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


SUBMISSION = re.compile(r'name="submission"[^>]*value="([0-9a-f]{32})"')


def visit(visitor: Visitor, action: str, petition_id: int, rng: random.Random) -> None:
    n = visitor.n
    if action in visitor.wrote:
        action = "viral"
    if action in ("sign", "letter"):
        visitor.wrote.add(action)
    if action == "browse":
        visitor.request("browse", "GET", rng.choice(BROWSE))
    elif action == "search":
        query = urllib.parse.urlencode({"q": rng.choice(SEARCHES)})
        visitor.request("search", "GET", f"/poti/sessions/search?{query}")
    elif action == "viral":
        visitor.request("viral", "GET", f"/poti/petitions/{petition_id}")
    elif action == "sign":
        base = f"/poti/petitions/{petition_id}"
        visitor.request("viral", "GET", base)  # the page, then its sign form (a page of its own)
        status, html = visitor.request("viral", "GET", f"{base}/sign")
        token = csrf_token(html)
        if status != 200 or not token:
            return
        email = signer_email(n)
        status, _ = visitor.request("sign", "POST", f"{base}/sign", {
            "csrf_token": token, "full_name": f"ხელმომწერი {n}",
            "personal_number": personal_number(n), "email": email, "consent": "y",
            "website": ""}, ok=(303,))
        if status == 303:
            with visitor.load.lock:
                visitor.load.accepted.append(("signature", email))
    elif action == "letter":
        path = "/poti/letters/mayor"
        status, html = visitor.request("browse", "GET", path)
        token = csrf_token(html)
        if status != 200 or not token:
            return
        email = f"writer{n}@mail{n % 500}.example.ge"
        key = SUBMISSION.search(html)  # the form's key: a retry would store the letter once
        status, _ = visitor.request("letter", "POST", path, {
            "csrf_token": token, "full_name": f"მწერალი {n}", "email": email,
            "subject": f"ქუჩის განათება {n}", "text": "გთხოვთ, შეაკეთოთ ნათურა ჩვენს ქუჩაზე.",
            "website": "", "submission": key.group(1) if key else ""}, ok=(303,))
        if status == 303:
            with visitor.load.lock:
                visitor.load.accepted.append(("letter", email))


def run_load(port: int, petition_id: int, concurrency: int, seconds: float, load: Load,
             marks: dict[str, float], on_phase) -> None:
    """``concurrency`` threads, each a series of visitors (a visitor does one to four things,
    then leaves), for a warm-up (not counted) and three phases of ``seconds``;
    ``on_phase(name)`` runs as each phase after the first starts."""
    counter, lock = iter(range(1, 10**9)), threading.Lock()
    kinds, weights = zip(*MIX, strict=True)
    warm = min(5.0, seconds / 3)
    stop_at = time.monotonic() + warm + 3 * seconds

    def loop(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < stop_at:
            with lock:
                n = next(counter)
            visitor = Visitor(port, n, load)
            for _ in range(rng.randint(1, 4)):
                if time.monotonic() >= stop_at:
                    break
                visit(visitor, rng.choices(kinds, weights)[0], petition_id, rng)
            visitor.close()

    threads = [threading.Thread(target=loop, args=(seed,), daemon=True)
               for seed in range(concurrency)]
    for thread in threads:
        thread.start()
    time.sleep(warm)  # the same load, not counted: connections, caches and pools fill
    marks["before"] = time.monotonic()
    for phase in PHASES[1:]:
        time.sleep(max(0.0, marks[PHASES[PHASES.index(phase) - 1]] + seconds - time.monotonic()))
        marks[phase] = time.monotonic()
        on_phase(phase)
    marks["end"] = stop_at
    for thread in threads:
        thread.join()


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def phase_figures(load: Load, marks: dict[str, float]) -> dict[str, object]:
    figures: dict[str, object] = {}
    bounds = [marks["before"], marks["during"], marks["after"], marks["end"]]
    for index, phase in enumerate(PHASES):
        start, end = bounds[index], bounds[index + 1]
        records = [r for r in load.records if start <= r.at < end]
        figures[f"{phase}_requests_per_s"] = len(records) / (end - start)
        figures[f"{phase}_p95_ms"] = percentile([r.seconds * 1000 for r in records], 95)
        figures[f"{phase}_errors"] = sum(1 for r in records if r.status < 0)
        figures[f"{phase}_writes_per_s"] = sum(
            1 for r in records if r.kind in ("sign", "letter") and r.status > 0) / (end - start)
    return figures


# --- the checks -------------------------------------------------------------------------

def check_writes(app, accepted: list[tuple[str, str]]) -> tuple[int, int]:
    """(accepted signatures and letters missing from the database, the bench's signatures and
    letters stored without a 2xx/3xx answer)."""
    from sqlalchemy import text

    from portal.blueprints.petitions.addresses import normalise_email
    from portal.extensions import db

    with app.app_context():
        with db.engine.connect() as conn:
            signed = set(conn.execute(text(
                "SELECT email_normalised FROM petition_signatures"
                " WHERE email_normalised LIKE 'signer%'")).scalars())
            written = set(conn.execute(text(
                "SELECT email FROM letters WHERE email LIKE 'writer%'")).scalars())
    got_signed = {normalise_email(key) for kind, key in accepted if kind == "signature"}
    got_written = {key for kind, key in accepted if kind == "letter"}
    lost = len(got_signed - signed) + len(got_written - written)
    return lost, len(signed - got_signed) + len(written - got_written)


def outbox_state(app) -> dict[str, int]:
    from sqlalchemy import text

    from portal.extensions import db

    with app.app_context():
        with db.engine.connect() as conn:
            rows = dict(conn.execute(text(
                "SELECT status, count(*) FROM outbox_messages GROUP BY status")).all())
    return rows


def drain_outbox(app, timeout: float) -> dict[str, int]:
    """Wake every municipality's outbox (what the scheduler's minute sweep does) until nothing
    waits, or ``timeout``; the killed worker's leased messages come back after the lease."""
    from portal.extensions import db
    from portal.jobs import get_queue
    from portal.tenancy import all_tenants
    from portal.tenancy.directory import get_directory

    deadline = time.monotonic() + timeout
    while True:
        state = outbox_state(app)
        if not state.get("pending") and not state.get("sending"):
            return state
        if time.monotonic() > deadline:
            return state
        with app.app_context():
            with all_tenants():
                for tenant in get_directory(app).active():
                    get_queue(app).enqueue("send_outbox", tenant.id)
            db.session.remove()
        time.sleep(2)


def microcache(port: int, petition_id: int, seconds: int, rounds: int) -> dict[str, object]:
    """wrk on the viral petition's page through nginx, without and with a cookie; the page's
    X-Cache after two requests without cookies."""
    wrk = ensure_wrk()
    path = f"http://127.0.0.1:{port}/poti/petitions/{petition_id}"
    cached, uncached = Measurement(), Measurement()
    with wrk_script() as plain, tempfile.NamedTemporaryFile(
            "w", suffix=".lua", delete=False) as cookie:
        cookie.write('wrk.headers["Cookie"] = "visited=1"\n' + plain.read_text())
        cookie.flush()
        try:
            for _ in range(rounds):  # alternate, so the machine's drift weighs on both
                run_wrk(wrk, path, seconds, 8, cached, plain)
                run_wrk(wrk, path, seconds, 8, uncached, Path(cookie.name))
        finally:
            os.unlink(cookie.name)
    from portal.web.templating import _file_version

    version = _file_version(str(PROJECT_ROOT / "portal" / "static"), "css/portal.css")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", f"/static/css/portal.css?v={version}", headers={"Host": "localhost"})
    response = conn.getresponse()
    response.read()
    static_cache = f"{response.status} {response.getheader('Cache-Control')}"
    conn.close()
    states = []
    for _ in range(2):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", f"/poti/petitions/{petition_id}", headers={"Host": "localhost"})
        response = conn.getresponse()
        response.read()
        states.append(response.getheader("X-Cache") or "-")
        conn.close()
    return {
        "microcache_path": "/poti/petitions/<viral>",
        "microcache_requests_per_s": cached.rps,
        "microcache_p95_ms": cached.percentile_ms(95),
        "uncached_requests_per_s": uncached.rps,
        "uncached_p95_ms": uncached.percentile_ms(95),
        "microcache_ratio": cached.rps / uncached.rps if uncached.rps else 0.0,
        "microcache_errors": cached.errors + uncached.errors,
        # STALE and UPDATING are answers from the cache too (refreshed in the background).
        "viral_page_cached": int(states[-1] in ("HIT", "STALE", "UPDATING")),
        "viral_page_x_cache": "/".join(states),
        "static_file": static_cache.replace(" ", "_").replace(",", ""),
    }


# --- the run ----------------------------------------------------------------------------

def measure(args: argparse.Namespace) -> tuple[dict[str, object], str]:
    seconds, concurrency, wrk_seconds, drain_timeout = QUICK if args.quick else FULL
    rounds = ROUNDS["quick" if args.quick else "full"]
    seconds = args.seconds or seconds
    concurrency = args.visitors or concurrency
    nginx = ensure_nginx()
    if not reachable(args.database_url):
        raise BenchError(f"PostgreSQL at {args.database_url} is unreachable")
    if not reachable(args.redis_url):
        raise BenchError(f"Redis at {args.redis_url} is unreachable")
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    with portal_environment(args.database_url) as env, SmtpServer(keep=False) as smtp, \
            SmsServer() as sms:
        workdir = Path(env["PORTAL_INSTANCE_PATH"])
        env.update({
            "REDIS_URL": args.redis_url, "PORTAL_PROXY_COUNT": "1",
            "PORTAL_SECURE_COOKIES": "false", "PORTAL_HSTS": "false",
            "MAIL_URL": smtp.url, "MAIL_FROM": "portal@example.ge",
            "SMS_API_URL": sms.url, "SMS_API_KEY": "test-key",
            # A killed worker's leased message is taken up again after this, not 5 minutes.
            "OUTBOX_LEASE_SECONDS": "5", "OUTBOX_RETRY_BASE_SECONDS": "1",
        })
        cluster = Cluster(env, workdir)
        timings, mark = {}, time.monotonic()
        try:
            # gunicorn touches the database at its first request only: it starts meanwhile.
            cluster.start_web(2)
            cluster.start_nginx(nginx)
            with prepared_portal(env) as app:
                petition_id, _tenant_id = create_petition(app)
                cluster.start_workers(2)
                cluster.wait_until_up()
                cluster.warm_up(petition_id, rounds)
                cluster.wait_for_workers()
                timings["start_s"], mark = time.monotonic() - mark, time.monotonic()
                load, marks = Load(), {}
                killed = []

                def on_phase(phase: str) -> None:
                    if phase == "during":
                        cluster.kill_one()
                        killed.append(time.monotonic())

                run_load(cluster.nginx_port, petition_id, concurrency, seconds, load, marks,
                         on_phase)
                figures = phase_figures(load, marks)
                timings["load_s"], mark = time.monotonic() - mark, time.monotonic()
                cache = microcache(cluster.nginx_port, petition_id, wrk_seconds, rounds)
                if cache["microcache_errors"]:
                    load.samples.append("nginx: " + " | ".join(cluster.nginx_errors()[:4]))
                timings["microcache_s"], mark = time.monotonic() - mark, time.monotonic()
                state = drain_outbox(app, drain_timeout)
                timings["drain_s"] = time.monotonic() - mark
                time.sleep(1)  # the last SMTP conversations end
                duplicates = sum(n - 1 for n in smtp.message_ids.values() if n > 1)
                duplicates += sum(n - 1 for n in sms.submissions.values() if n > 1)
                lost, unanswered = check_writes(app, load.accepted)
                signatures = sum(1 for kind, _ in load.accepted if kind == "signature")
                letters = sum(1 for kind, _ in load.accepted if kind == "letter")
                figures.update({
                    "visitors": concurrency,
                    "phase_s": seconds,
                    "requests": len(load.records),
                    "signatures_accepted": signatures,
                    "letters_accepted": letters,
                    "lost_writes": lost,
                    # Stored, but the writer got an error (the server died before answering):
                    # they may send it again. Not lost; a possible duplicate by the person.
                    "stored_unanswered_writes": unanswered,
                    "outbox_sent": state.get("sent", 0),
                    "emails_received": len(smtp.message_ids),
                    "duplicate_messages": duplicates,
                    "undelivered_messages": state.get("pending", 0) + state.get("sending", 0)
                    + state.get("failed", 0),
                    "survivors_up": int(all(p.poll() is None for p, _ in cluster.web[1:])
                                        and all(p.poll() is None for p in cluster.workers[1:])),
                })
                figures.update(cache)
                figures.update(timings)
        finally:
            cluster.stop()
    notes = "; ".join(load.samples) if load.samples else "no errors"
    return figures, notes


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started, load_before = time.monotonic(), os.getloadavg()[0]
    try:
        figures, notes = measure(args)
    except BenchError as exc:
        print(f"bench failed: {exc}", file=sys.stderr)
        return 1
    print(f"# cluster: nginx + 2 gunicorn (1 gthread worker each) + 2 job workers + scheduler;"
          f" PostgreSQL, Redis; SIGKILL of one gunicorn and one worker as 'during' starts;"
          f" {os.cpu_count()} CPUs; Python {platform.python_version()};"
          f" {time.monotonic() - started:.1f} s; load average {load_before:.1f} before,"
          f" {os.getloadavg()[0]:.1f} after")
    print(f"# error samples: {notes}")
    print_figures(figures)
    failed = (figures["lost_writes"] or figures["duplicate_messages"]
              or figures["undelivered_messages"] or not figures["after_requests_per_s"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
