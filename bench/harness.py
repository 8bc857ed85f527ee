"""What every bench shares: a throw-away portal instance, a gunicorn server, wrk runs.

Load comes from Debian's ``wrk`` (C, event loop): a Python client on the same two cores
would be the bottleneck long before the portal is. A Lua ``done`` hook prints wrk's latency
histogram, so rounds can be merged and p50/p95 are exact, not averages of percentiles.
"""

from __future__ import annotations

import base64
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BIN = PROJECT_ROOT / ".venv" / "bin"

#: Printed by wrk at the end of a run: counters, then the latency histogram (µs:count,...).
WRK_DONE_HOOK = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d status_errors=%d socket_errors=%d\\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout))
  local parts = {}
  for i = 1, #latency do
    local value, count = latency(i)
    parts[#parts + 1] = string.format("%d:%d", value, count)
  end
  io.write("BENCH histogram=" .. table.concat(parts, ",") .. "\\n")
end
"""


class BenchError(RuntimeError):
    """The bench cannot run or measured something invalid (errors, no requests)."""


@dataclass
class Measurement:
    """Requests and latencies of one URL, merged over several wrk rounds."""

    requests: int = 0
    seconds: float = 0.0
    errors: int = 0
    histogram: dict[int, int] = field(default_factory=dict)
    #: requests/s of each round, to show how steady the machine was
    round_rps: list[float] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile_ms(self, pct: float) -> float:
        """Latency under which ``pct`` % of the requests completed, in milliseconds."""
        total = sum(self.histogram.values())
        if not total:
            return 0.0
        rank, seen = pct / 100 * total, 0
        for micros in sorted(self.histogram):
            seen += self.histogram[micros]
            if seen >= rank:
                return micros / 1000
        return max(self.histogram) / 1000

    def add(self, wrk_output: str) -> None:
        fields = {}
        for line in wrk_output.splitlines():
            if line.startswith("BENCH "):
                for item in line[6:].split(" "):
                    key, _, value = item.partition("=")
                    fields[key] = value
        if "requests" not in fields:
            raise BenchError(f"wrk printed no results:\n{wrk_output}")
        requests, seconds = int(fields["requests"]), int(fields["duration_us"]) / 1e6
        self.requests += requests
        self.seconds += seconds
        self.round_rps.append(requests / seconds if seconds else 0.0)
        self.errors += int(fields["status_errors"]) + int(fields["socket_errors"])
        for pair in filter(None, fields.get("histogram", "").split(",")):
            micros, count = (int(x) for x in pair.split(":"))
            self.histogram[micros] = self.histogram.get(micros, 0) + count


def ensure_wrk() -> str:
    """Path of ``wrk``; installed from Debian when missing and we are root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise BenchError("wrk is missing: run 'sudo apt-get install wrk' and try again.")
    print("installing wrk from Debian", file=sys.stderr)
    quiet = {"stdout": subprocess.DEVNULL, "check": True}
    subprocess.run(["apt-get", "update", "-qq"], **quiet)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env={
        **os.environ, "DEBIAN_FRONTEND": "noninteractive"}, **quiet)
    return shutil.which("wrk") or "/usr/bin/wrk"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def reset_postgres(url: str) -> None:
    """Empty a scratch PostgreSQL database (the bench owns it for the run)."""
    from sqlalchemy import create_engine, make_url, text

    if make_url(url).database in (None, "", "test", "postgres"):
        raise BenchError(f"refusing to wipe {url}: give a scratch database such as test_bench")
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@contextmanager
def portal_environment(database_url: str | None = None) -> Iterator[dict[str, str]]:
    """The environment of a throw-away portal in a temporary folder (SQLite by default).

    Production settings (no debug, secure cookies, page cache on) with a random
    ``SECRET_KEY``, so the figures are those of a deployment.
    """
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
        yield {
            **os.environ,
            "PORTAL_ENV": "production",
            "SECRET_KEY": os.urandom(16).hex(),
            **bench_keys(),
            "PORTAL_BASE_DOMAIN": "localhost",
            "PORTAL_INSTANCE_PATH": tmp,
            "DATABASE_URL": database_url or f"sqlite:///{tmp}/portal.db",
        }


#: Prepared demo portals, one backup archive per database kind and code (``flask backup``'s
#: format): a bench restores it in seconds instead of migrating and loading the demo (a minute
#: on PostgreSQL), so a quick run stays a quick run. ``PORTAL_BENCH_FRESH=1`` skips it.
DEMO_CACHE = PROJECT_ROOT / "bench" / "results" / "demo-cache"
#: What the prepared content is made from: a change to any of it makes a new archive.
DEMO_SOURCES = ("portal", "migrations", "tenants")


def bench_keys() -> dict[str, str]:
    """The encryption and lookup keys of every bench portal on this machine, made once and
    kept beside the prepared demos: what a prepared demo holds encrypted (staff's two-factor
    secrets, personal numbers) opens only with the key it was written with."""
    import json

    path = DEMO_CACHE / "keys.json"
    if not path.is_file():
        DEMO_CACHE.mkdir(parents=True, exist_ok=True)
        keys = {"PORTAL_ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
                "PORTAL_LOOKUP_KEY": os.urandom(32).hex()}
        with tempfile.NamedTemporaryFile("w", dir=DEMO_CACHE, delete=False) as out:
            json.dump(keys, out)  # mode 0600: mkstemp's
        try:
            os.link(out.name, path)  # a bench that made its own first keeps it
        except FileExistsError:
            pass
        finally:
            os.unlink(out.name)
    return json.loads(path.read_text())


def demo_key(database_url: str) -> str:
    """The database kind and a digest of every file the demo content comes from, and of the
    keys it is encrypted with."""
    import hashlib

    digest = hashlib.sha256(repr(sorted(bench_keys().items())).encode())
    for folder in DEMO_SOURCES:
        for path in sorted((PROJECT_ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    return f"{kind}-{digest.hexdigest()[:16]}"


def _restore_cached(app, archive: Path) -> bool:
    """Restore a prepared demo portal; False when there is none or it did not match."""
    from portal.backup import BackupError, restore

    if not archive.is_file():
        return False
    try:
        report = restore(app, archive, force=True)
    except BackupError as error:
        print(f"the prepared demo at {archive} did not restore ({error}); preparing anew",
              file=sys.stderr)
        return False
    return not report.mismatches


def _keep_prepared(app, archive: Path) -> None:
    """Back up the freshly prepared portal as the cache of its key, older keys of the same
    database kind removed. Written beside and renamed into place: two benches preparing at
    once each see a whole archive or none."""
    from portal.backup import backup

    folder = archive.parent
    kind = folder.name.split("-")[0]
    for older in DEMO_CACHE.glob(f"{kind}-*"):
        if older != folder:
            shutil.rmtree(older, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as work:
        made = backup(app, Path(work)).path
        os.replace(made, archive)


def _empty_database(app, database_url: str) -> None:
    """Back to an empty database after a restore that did not match (or none)."""
    from sqlalchemy import make_url

    from portal.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if database_url.startswith("sqlite"):
        Path(make_url(database_url).database).unlink(missing_ok=True)
    else:
        reset_postgres(database_url)


@contextmanager
def prepared_portal(env: dict[str, str]) -> Iterator[object]:
    """Migrate the database and load the demo content; yields the app for in-process checks.

    Done in this process (what ``flask db upgrade`` and ``flask demo load`` run) while the
    servers start, which saves seconds of the quick run's 30. The result is kept as a backup
    archive under ``DEMO_CACHE`` and restored by later runs of the same code (``demo_key``);
    a restore replaces what the database held, and a fresh preparation empties it first.
    """
    os.environ.update(env)
    sys.path.insert(0, str(PROJECT_ROOT))
    from flask_migrate import upgrade

    from portal import create_app
    from portal.demo import load_demo
    from portal.extensions import db

    app = create_app()
    archive = DEMO_CACHE / demo_key(env["DATABASE_URL"]) / "demo.tar"
    fresh = os.environ.get("PORTAL_BENCH_FRESH") == "1"
    if fresh or not _restore_cached(app, archive):
        _empty_database(app, env["DATABASE_URL"])
        with app.app_context():
            upgrade()
            load_demo()
            db.session.commit()
            db.session.remove()
        if not fresh:
            _keep_prepared(app, archive)
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()


@dataclass
class Servers:
    urls: list[str]
    processes: list[tuple[subprocess.Popen, object]]

    def wait_until_up(self) -> None:
        for url, (process, log) in zip(self.urls, self.processes, strict=True):
            _wait_until_up(f"{url}/healthz", process, log)


@contextmanager
def gunicorn(envs: list[dict[str, str]], workers: int, worker_class: str, threads: int
             ) -> Iterator[Servers]:
    """Start one server of ``wsgi:app`` per environment, each on a free local port, side by
    side, and always stop them. They touch the database only when asked a first request, so
    the caller may prepare it meanwhile, then ``wait_until_up()``.
    """
    servers = Servers([], [])
    try:
        for env in envs:
            port = free_port()
            command = [str(BIN / "gunicorn"), "wsgi:app", "--bind", f"127.0.0.1:{port}",
                       "--workers", str(workers), "--worker-class", worker_class,
                       "--threads", str(threads), "--log-level", "warning",
                       "--preload"]  # import the app once, then fork: a quicker start
            log = tempfile.TemporaryFile()
            process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log,
                                       stderr=log, start_new_session=True)
            servers.urls.append(f"http://127.0.0.1:{port}")
            servers.processes.append((process, log))
        yield servers
    finally:
        for process, _ in servers.processes:
            process.send_signal(signal.SIGINT)  # quick shutdown; SIGTERM waits seconds
        deadline = time.monotonic() + 2
        for process, log in servers.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                # A loaded machine can take seconds to tear the interpreters down; the
                # figures are taken, so end the server's own process group (master, workers).
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log.close()


def _wait_until_up(url: str, server: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise BenchError(f"gunicorn exited:\n{log.read().decode(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise BenchError(f"gunicorn did not answer {url} within 20 s")


def run_wrk(wrk: str, url: str, seconds: int, connections: int, into: Measurement,
            script: Path) -> None:
    """One wrk round against ``url``; its counts and latencies are added to ``into``."""
    done = subprocess.run(
        [wrk, "--threads", "1", "--connections", str(connections), "--duration",
         f"{seconds}s", "--timeout", "10s", "--script", str(script), url],
        capture_output=True, text=True,
    )
    if done.returncode:
        raise BenchError(f"wrk failed on {url}:\n{done.stderr or done.stdout}")
    into.add(done.stdout)


@contextmanager
def wrk_script() -> Iterator[Path]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_DONE_HOOK)
    try:
        yield Path(fh.name)
    finally:
        os.unlink(fh.name)


def print_figures(figures: dict[str, object]) -> None:
    """The bench convention: figures last, one ``key=value`` per line."""
    for key, value in figures.items():
        print(f"{key}={value:.2f}" if isinstance(value, float) else f"{key}={value}")
