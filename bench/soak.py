"""Soak bench: a mixed petition load at half the surge rate for an hour, memory and p95 watched.

The portal runs as deployed: gunicorn with ``deploy/gunicorn.conf.py`` (gthread, several
workers), two job workers (``flask jobs worker``; one runs the periodic schedule, which counts
the signatures every minute, both drain the outbox to a local SMTP server), PostgreSQL (a
scratch database, emptied first) and Redis (rate limits, the job queue; its database is
flushed). This process plays the visitors, arriving at a steady rate (open loop: a visitor
arrives on time whether or not the portal kept up):

- signers (40 % of visitors): the petition surge bench's whole flow, reused from
  ``petition_surge.sign_once`` (page, sign, confirmation page, confirm: four requests), each
  from its own loopback address and e-mail address;
- viewers (40 %): one petition page (a bench petition or a demo one);
- browsers (20 %): the petitions' list (a tab, sometimes a search) and the municipality's home.

Rate: the petition surge's target is 35 signatures/s plus 35 confirmations/s, four requests
a signer (docs/performance.md, ``petition_surge.py``), 140 requests/s; half of it is
``--rate 70`` requests/s, spread over the mix above (about 12 signatures/s).

Every ~10 s the resident memory (RSS, from psutil or /proc) of every gunicorn worker and job
worker is sampled. The run is cut into windows (5 minutes; 20 s in ``--quick``) and each
window's p95 over all requests is compared with the first window's. Pass when:

- ``errors`` = 0: unexpected statuses, network errors, visitors who could not start on time
  (the client's backlog over ``MAX_BACKLOG``), accepted signatures not stored or confirmations
  not recorded, failed job runs, a worker process that died or was replaced;
- ``p95_drift`` <= 0.20: the worst later window's p95 against the first's
  (``p95_last_drift``: the last window's);
- ``rss_growth_web`` and ``rss_growth_worker`` <= 0.10: the largest growth of one process's
  RSS from the end of the first window (every cache warmed by a window of load) to the end.

    .venv/bin/python bench/soak.py --database-url postgresql://postgres@127.0.0.1:5432/<scratch>
    .venv/bin/python bench/soak.py --quick --database-url ...   # 2 minutes, windows of 20 s

The full run takes 60 minutes and is not part of CI; figures come last as ``key=value`` lines.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402
    BIN,
    PROJECT_ROOT,
    BenchError,
    Servers,
    free_port,
    portal_environment,
    prepared_portal,
    print_figures,
)
from petition_surge import (  # noqa: E402
    TENANT,
    Browser,
    Tally,
    create_petition,
    percentile,
    petition_state,
    reachable,
    sign_once,
    signer_address,
    token_finder,
)

PRODUCTION_GUNICORN = PROJECT_ROOT / "deploy" / "gunicorn.conf.py"
DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/soak"
DEFAULT_REDIS = "redis://127.0.0.1:6379/4"
#: The petition surge's target (docs/performance.md): 35 signers/s, four requests each.
SURGE_REQUESTS_PER_S = 35 * 4
#: (seconds, window seconds, RSS sample every seconds)
FULL = (3600, 300, 10)
QUICK = (120, 20, 10)
#: Visitor kinds in arrival order, repeated: 4 signers, 4 viewers, 2 browsers in 10.
MIX = ("sign", "view", "browse", "sign", "view", "sign", "view", "browse", "sign", "view")
REQUESTS_PER_VISITOR = {"sign": 4, "view": 1, "browse": 2}
#: Bench petitions the signers spread over (each from its own addresses; none near a threshold).
PETITIONS = 3
#: Visitors waiting for a free client thread beyond which arrivals are late (an error).
MAX_BACKLOG = 200
CLIENT_THREADS = 48
#: So that no bench petition nears its threshold in an hour (set as today's voter count).
VOTERS = 50_000_000
TABS = ("open", "awaiting", "decided")
GROWTH_LIMIT, DRIFT_LIMIT = 0.10, 0.20


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 minutes, windows of 20 s")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE,
                        help="a scratch PostgreSQL database, WIPED first (default %(default)s)")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS,
                        help="rate limits and job queue, FLUSHED first (default %(default)s)")
    parser.add_argument("--rate", type=float, default=SURGE_REQUESTS_PER_S / 2,
                        help="requests per second (default half the surge's: %(default)s)")
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument("--job-workers", type=int, default=2, help="job worker processes (2)")
    parser.add_argument("--seconds", type=int, help="run length (default 3600; quick 120)")
    parser.add_argument("--window", type=int, help="window length (default 300; quick 20)")
    return parser.parse_args(argv)


# --- processes and their memory ------------------------------------------------------------

def rss_bytes(pid: int) -> int | None:
    """Resident memory of ``pid`` (psutil when installed, else /proc); None once it ended."""
    try:
        import psutil
    except ImportError:
        psutil = None
    try:
        if psutil is not None:
            return psutil.Process(pid).memory_info().rss
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except Exception:  # noqa: BLE001 - ended meanwhile, whichever library said so
        return None
    return None


def children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (gunicorn's workers under its master)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


@dataclass
class Memory:
    """RSS samples per process: {pid: [(seconds since start, bytes), ...]}."""

    web: dict[int, list[tuple[float, int]]] = field(default_factory=dict)
    worker: dict[int, list[tuple[float, int]]] = field(default_factory=dict)

    def sample(self, at: float, web_pids: list[int], worker_pids: list[int]) -> None:
        for pids, into in ((web_pids, self.web), (worker_pids, self.worker)):
            for pid in pids:
                value = rss_bytes(pid)
                if value is not None:
                    into.setdefault(pid, []).append((at, value))

    @staticmethod
    def growth(samples: dict[int, list[tuple[float, int]]], baseline_at: float) -> float:
        """The largest growth of one process: the last sample against the first one taken at
        or after ``baseline_at`` (the end of the first window)."""
        worst = 0.0
        for series in samples.values():
            base = next((value for at, value in series if at >= baseline_at), None)
            if base:
                worst = max(worst, series[-1][1] / base - 1)
        return worst

    @staticmethod
    def megabytes(samples: dict[int, list[tuple[float, int]]], index: int) -> float:
        return sum(series[index][1] for series in samples.values() if series) / 2**20


def start_gunicorn(env: dict[str, str], workers: int) -> Servers:
    """gunicorn with production's configuration file, on a free loopback port."""
    port = free_port()
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", str(PRODUCTION_GUNICORN), "--log-level", "warning",
         "wsgi:app"],
        cwd=PROJECT_ROOT, stdout=log, stderr=log, start_new_session=True,
        env={**env, "PORTAL_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)})
    return Servers([f"http://127.0.0.1:{port}"], [(process, log)])


def start_job_worker(env: dict[str, str], periodic: bool, log) -> subprocess.Popen:
    command = [str(BIN / "flask"), "--app", "wsgi.py", "jobs", "worker", "--workers", "2"]
    if not periodic:
        command.append("--no-periodic")
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log,
                            start_new_session=True)


def stop(process: subprocess.Popen, timeout: float = 10) -> None:
    import signal

    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- the visitors --------------------------------------------------------------------------

class Timeline:
    """``Tally.latencies`` for the soak: every request's (start, kind, seconds), start measured
    from the beginning of the load, so requests fall into their windows."""

    def __init__(self, started: float):
        self.started = started
        self.samples: list[tuple[float, str, float]] = []

    def __getitem__(self, kind: str):
        timeline = self

        class Appender:
            @staticmethod
            def append(seconds: float) -> None:
                # under the tally's lock (``Browser.request``)
                timeline.samples.append(
                    (time.perf_counter() - seconds - timeline.started, kind, seconds))

        return Appender


class SoakTally(Tally):
    """The surge bench's tally with a timeline instead of per-kind lists."""

    def __init__(self, started: float):
        super().__init__()
        self.latencies = Timeline(started)  # type: ignore[assignment]
        self.viewed = 0
        self.browsed = 0
        self.late = 0


def _visit(n: int, port: int, tally: SoakTally, kind: str, paths: list[str], counter: str) -> None:
    """One visitor's GETs in turn; any answer but 200 is an error, else ``counter`` counts one."""
    browser = Browser(port, signer_address(n), tally)
    try:
        for path in paths:
            status, _, _ = browser.request(kind, "GET", path)
            if status != 200:
                return tally.error(f"{kind} {path}: {status}")
        with tally.lock:
            setattr(tally, counter, getattr(tally, counter) + 1)
    except OSError as exc:
        tally.error(f"{kind} {type(exc).__name__}: {exc}")
    finally:
        browser.close()


def view_once(n: int, port: int, petition_ids: list[int], tally: SoakTally) -> None:
    petition_id = petition_ids[n % len(petition_ids)]
    _visit(n, port, tally, "view", [f"/{TENANT}/petitions/{petition_id}"], "viewed")


def browse_once(n: int, port: int, tally: SoakTally) -> None:
    tab = TABS[n % len(TABS)]
    listing = f"/{TENANT}/petitions/?tab={tab}" + ("&q=%E1%83%92%E1%83%96%E1%83%90"  # გზა
                                                    if n % 4 == 0 else "")
    _visit(n, port, tally, "browse", [listing, f"/{TENANT}/"], "browsed")


def demo_petition_ids(app) -> list[int]:
    """The published demo petitions of the bench's municipality (viewers see them too)."""
    from sqlalchemy import select

    from portal.blueprints.petitions.models import Petition
    from portal.blueprints.petitions.queries import PUBLIC_STATUSES
    from portal.extensions import db
    from portal.tenancy import get_directory, tenant_context

    with app.app_context(), tenant_context(get_directory(app).by_slug(TENANT)):
        ids = list(db.session.scalars(select(Petition.id).where(
            Petition.status.in_(PUBLIC_STATUSES))))
        db.session.remove()
    return ids


def set_voters(app) -> None:
    from datetime import date

    from portal.blueprints.petitions import voters
    from portal.extensions import db
    from portal.tenancy import get_directory, tenant_context

    with app.app_context(), tenant_context(get_directory(app).by_slug(TENANT)):
        voters.set_voter_count(VOTERS, date.today())
        db.session.commit()
        db.session.remove()


def failed_jobs(app) -> int:
    from sqlalchemy import func, select

    from portal.extensions import db
    from portal.jobs.models import JobRun
    from portal.tenancy import all_tenants

    with app.app_context(), all_tenants():
        count = db.session.scalar(select(func.count(JobRun.id)).where(JobRun.state == "failed"))
        db.session.remove()
    return count or 0


def windows_p95(samples: list[tuple[float, str, float]], window: float) -> list[float]:
    """p95 in ms of all requests started in each whole window."""
    buckets: dict[int, list[float]] = {}
    for start, _, seconds in samples:
        buckets.setdefault(int(start // window), []).append(seconds * 1000)
    return [percentile(buckets[i], 95) for i in sorted(buckets)]


# --- the run ---------------------------------------------------------------------------

def autovacuum(app) -> str:
    """The server's autovacuum setting, printed with the figures: with it off (our CI's
    PostgreSQL) the outbox's dead rows pile up in its indexes and p95 grows with the hour,
    which is the machine's configuration, not the portal (docs/performance.md, "Soak")."""
    from sqlalchemy import text

    from portal.extensions import db

    with app.app_context():
        return db.session.execute(text("SHOW autovacuum")).scalar()


def measure(args: argparse.Namespace) -> tuple[dict[str, object], str]:
    seconds, window, every = QUICK if args.quick else FULL
    seconds, window = args.seconds or seconds, args.window or window
    if not reachable(args.database_url):
        raise BenchError(f"PostgreSQL at {args.database_url} is unreachable")
    if not reachable(args.redis_url):
        raise BenchError(f"Redis at {args.redis_url} is unreachable")
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()  # the bench's own Redis database
    sys.path.insert(0, str(PROJECT_ROOT))
    from tests.servers import SmtpServer

    with portal_environment(args.database_url) as env, SmtpServer(keep=False) as smtp, \
            tempfile.TemporaryFile() as worker_log:
        env.update({"REDIS_URL": args.redis_url, "MAIL_URL": smtp.url,
                    "MAIL_FROM": "soak@example.ge"})
        servers = start_gunicorn(env, args.web_workers)
        jobs: list[subprocess.Popen] = []
        try:
            with prepared_portal(env) as app:
                set_voters(app)
                created = [create_petition(app) for _ in range(PETITIONS)]
                petitions, tenant_id = [pid for pid, _ in created], created[0][1]
                viewed = petitions + demo_petition_ids(app)
                servers.wait_until_up()
                jobs = [start_job_worker(env, i == 0, worker_log)
                        for i in range(args.job_workers)]
                port = int(servers.urls[0].rsplit(":", 1)[1])
                master = servers.processes[0][0].pid
                web_pids = children(master)
                job_pids = [job.pid for job in jobs]
                find = token_finder(app, tenant_id)
                # Warm every worker (templates compiled) before the clock starts.
                warm = Tally()
                with ThreadPoolExecutor(max_workers=8) as pool:
                    list(pool.map(lambda n: sign_once(10**8 + n, port, petitions[0], warm, find),
                                  range(8)))
                # The job workers up and delivering (the warm signers' e-mails arrived), so
                # their start-up is not in the first window.
                deadline = time.monotonic() + 60
                while smtp.received < 8 and time.monotonic() < deadline:
                    time.sleep(0.2)
                before = [petition_state(app, pid) for pid in petitions]
                figures, notes = run_load(args, seconds, window, every, port, petitions, viewed,
                                          find, web_pids, job_pids, master, jobs)
                tally = figures.pop("_tally")
                after = [petition_state(app, pid) for pid in petitions]
                stored = sum(a["stored"] - b["stored"] for a, b in zip(after, before, strict=True))
                confirmed = sum(a["confirmed"] - b["confirmed"]
                                for a, b in zip(after, before, strict=True))
                lost = max(0, tally.signed - stored) + max(0, tally.confirmed - confirmed)
                failed = failed_jobs(app)
                figures["signed"], figures["confirmed"] = tally.signed, tally.confirmed
                figures["lost"], figures["failed_jobs"] = lost, failed
                figures["emails_received"] = smtp.received
                figures["errors"] += lost + failed
                figures["pg_autovacuum"] = autovacuum(app)
        finally:
            for job in jobs:
                stop(job)
            process, log = servers.processes[0]
            stop(process, timeout=5)
            log.close()
        if figures["visitors_late"]:
            notes = "; ".join(filter(None, (
                f"{figures['visitors_late']} visitors could not start on time", notes)))
        if figures["failed_jobs"]:
            worker_log.seek(0)
            failures = [line for line in worker_log.read().decode(errors="replace").splitlines()
                        if "failed" in line or "Error" in line]
            notes += "; job workers: " + " | ".join(failures[-3:])
    figures["pass"] = int(figures["errors"] == 0 and figures["p95_drift"] <= DRIFT_LIMIT
                          and figures["rss_growth_web"] <= GROWTH_LIMIT
                          and figures["rss_growth_worker"] <= GROWTH_LIMIT)
    return figures, notes


def run_load(args, seconds: int, window: int, every: int, port: int, petitions: list[int],
             viewed: list[int], find, web_pids: list[int], job_pids: list[int], master: int,
             jobs: list[subprocess.Popen]) -> tuple[dict[str, object], str]:
    per_visitor = sum(REQUESTS_PER_VISITOR[kind] for kind in MIX) / len(MIX)
    interval = per_visitor / args.rate  # seconds between visitors
    started = time.perf_counter()
    tally = SoakTally(started)
    memory = Memory()
    memory.sample(0.0, web_pids, job_pids)
    backlog = threading.Semaphore(MAX_BACKLOG)
    max_backlog = 0
    pending = 0
    pending_lock = threading.Lock()

    def visit(kind: str, n: int) -> None:
        nonlocal pending
        try:
            if kind == "sign":
                sign_once(n, port, petitions[n % len(petitions)], tally, find)
            elif kind == "view":
                view_once(n, port, viewed, tally)
            else:
                browse_once(n, port, tally)
        finally:
            with pending_lock:
                pending -= 1
            backlog.release()

    next_sample = every
    replaced = 0
    with ThreadPoolExecutor(max_workers=CLIENT_THREADS) as pool:
        for n, kind in zip(itertools.count(), itertools.cycle(MIX)):
            due = started + n * interval
            now = time.perf_counter()
            if due - started >= seconds:
                break
            if due > now:
                time.sleep(due - now)
            if not backlog.acquire(blocking=False):
                tally.late += 1  # the client (or the portal) fell behind the arrival rate
                continue
            with pending_lock:
                pending += 1
                max_backlog = max(max_backlog, pending)
            pool.submit(visit, kind, n)
            elapsed = time.perf_counter() - started
            if elapsed >= next_sample:
                next_sample += every
                memory.sample(elapsed, web_pids, job_pids)
                if children(master) != web_pids or any(j.poll() is not None for j in jobs):
                    replaced += 1
                    tally.error("a gunicorn worker or job worker was replaced or died")
    elapsed = time.perf_counter() - started
    memory.sample(elapsed, web_pids, job_pids)
    p95s = windows_p95(tally.latencies.samples, window)
    whole = int(seconds // window)
    p95s = p95s[:whole] if len(p95s) > whole else p95s  # the tail's few requests: no window
    first, last = (p95s[0], p95s[-1]) if p95s else (0.0, 0.0)
    figures: dict[str, object] = {
        "duration_s": elapsed,
        "window_s": window,
        "rate_target_per_s": args.rate,
        "requests": tally.requests,
        "requests_per_s": tally.requests / elapsed,
        "visitors_late": tally.late,
        "max_backlog": max_backlog,
        "p50_ms": percentile([s * 1000 for _, _, s in tally.latencies.samples], 50),
        "p95_ms": percentile([s * 1000 for _, _, s in tally.latencies.samples], 95),
        "p95_windows_ms": "/".join(f"{p:.0f}" for p in p95s),
        "p95_first_ms": first,
        "p95_last_ms": last,
        "p95_last_drift": (last / first - 1) if first else 0.0,
        "p95_drift": max((p / first - 1 for p in p95s[1:]), default=0.0) if first else 0.0,
        "rss_web_mb_start": Memory.megabytes(memory.web, 0),
        "rss_web_mb_end": Memory.megabytes(memory.web, -1),
        "rss_worker_mb_start": Memory.megabytes(memory.worker, 0),
        "rss_worker_mb_end": Memory.megabytes(memory.worker, -1),
        "rss_growth_web": Memory.growth(memory.web, window),
        "rss_growth_worker": Memory.growth(memory.worker, window),
        "rss_samples": max((len(s) for s in memory.web.values()), default=0),
        **per_kind_percentiles(tally.latencies.samples),
        **per_kind_windows(tally.latencies.samples, window, len(p95s)),
        "processes_replaced": replaced,
        "errors": tally.errors + tally.late,
        "_tally": tally,
    }
    return figures, "; ".join(tally.error_samples)


def per_kind_percentiles(samples) -> dict[str, float]:
    """p50 and p95 of each kind of request (``page_p95_ms``, ``sign_p95_ms``...): which step
    of a visit the time goes to."""
    by_kind: dict[str, list[float]] = {}
    for _, kind, seconds in samples:
        by_kind.setdefault(kind, []).append(seconds * 1000)
    return {f"{kind}_p{pct}_ms": percentile(values, pct)
            for kind, values in sorted(by_kind.items()) for pct in (50, 95)}


def per_kind_windows(samples, window: float, count: int) -> dict[str, str]:
    """Each kind's p95 per window (``sign_p95_windows_ms``): which request a drift comes from."""
    by_kind: dict[str, list[tuple[float, str, float]]] = {}
    for sample in samples:
        by_kind.setdefault(sample[1], []).append(sample)
    return {f"{kind}_p95_windows_ms": "/".join(f"{p:.0f}" for p in windows_p95(rows, window)[:count])
            for kind, rows in sorted(by_kind.items())}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started, load_before = time.monotonic(), os.getloadavg()[0]
    try:
        figures, notes = measure(args)
    except BenchError as exc:
        print(f"bench failed: {exc}", file=sys.stderr)
        return 1
    print(f"# soak: {args.rate:.0f} requests/s (half the surge's {SURGE_REQUESTS_PER_S}), mix"
          f" {'/'.join(MIX)}; gunicorn {args.web_workers} workers ({PRODUCTION_GUNICORN.name}),"
          f" {args.job_workers} job workers; postgresql, redis; {os.cpu_count()} CPUs;"
          f" Python {platform.python_version()}; {time.monotonic() - started:.1f} s;"
          f" load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after;"
          f" {notes or 'no errors'}")
    print_figures(figures)
    return 0 if figures["pass"] else 2


if __name__ == "__main__":
    sys.exit(main())
