"""Petition surge bench: a crowd signing and confirming one petition under gunicorn.

The portal runs as deployed (gunicorn with production's worker class and threads from
``deploy/gunicorn.conf.py``, 2 workers, production settings, Redis for the rate limits when
reachable) on a fresh database with one collecting petition in Poti, beside
a counting worker (``count_confirmed`` in a loop, as ``tasks.count_signatures`` runs it). A
separate process, this one, fires concurrent signers on loopback; each signer:

1. GETs the petition's page (no form, no cookie), then its sign form as htmx does (session
   cookie, CSRF token),
2. POSTs the signing form with its own 11-digit personal number and e-mail address,
3. reads its signature's id from the database (the e-mail's link is sealed in the outbox) and
   builds the link's token the way ``signing.confirmation_token`` does,
4. GETs the confirmation page and POSTs its button.

Each signer comes from its own loopback address (127.x.y.z), so the per-address signing
limit stays in the path, as it is for a real crowd, without being raised. Halfway through the
surge the counting worker is killed (SIGKILL) and started again (``--kill-counter``; always in
the full run). Then the count is left to settle and checked: every accepted signature stored
once, confirmed once and counted once (``reconcile()`` empty). ``/healthz`` of the same server,
hammered by the same client and concurrency, is the bare endpoint.

    .venv/bin/python bench/petition_surge.py            # full run, about 80 s
    .venv/bin/python bench/petition_surge.py --worker-class sync   # the other worker class
    .venv/bin/python bench/petition_surge.py --quick    # ~22 s (SQLite if no PostgreSQL)

Figures come last as ``key=value`` lines.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402
    BIN,
    PROJECT_ROOT,
    BenchError,
    gunicorn,
    portal_environment,
    prepared_portal,
    print_figures,
)

PRODUCTION_GUNICORN = PROJECT_ROOT / "deploy" / "gunicorn.conf.py"
DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/h3"
DEFAULT_REDIS = "redis://127.0.0.1:6379/3"
TENANT = "poti"
BARE_PATH = "/healthz"
TITLE = "სატესტო პეტიცია: ტალღა"  # the bench's own petition
#: (surge seconds, bare seconds, concurrent signers, settle timeout seconds)
FULL = (60, 10, 16, 60)
QUICK = (8, 3, 8, 15)
#: How often the counting worker counts (production: every minute; here the settle is short).
COUNT_EVERY = 0.5
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short surge, under 30 s")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE,
                        help=f"a scratch PostgreSQL database, WIPED first (default {DEFAULT_DATABASE});"
                        " with --quick, SQLite when it is unreachable")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS,
                        help="rate limits and job queue (default %(default)s; skipped if down)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    worker_class, threads = production_workers()
    parser.add_argument("--worker-class", default=worker_class,
                        help="gunicorn worker class (default production's: %(default)s)")
    parser.add_argument("--threads", type=int,
                        help=f"threads per gthread worker (default production's: {threads})")
    parser.add_argument("--signers", type=int, help="concurrent signers (default 16; quick 8)")
    parser.add_argument("--seconds", type=int, help="surge length (default 60; quick 8)")
    parser.add_argument("--kill-counter", action="store_true",
                        help="kill and restart the counting worker mid-surge (always in full)")
    parser.add_argument("--count-loop", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.threads is None:  # gunicorn turns a sync worker with threads into gthread
        args.threads = threads if args.worker_class == "gthread" else 1
    return args


def production_workers() -> tuple[str, int]:
    """The worker class and threads of the production set-up (``deploy/gunicorn.conf.py``)."""
    import runpy

    settings = runpy.run_path(str(PRODUCTION_GUNICORN))
    return settings["worker_class"], settings["threads"]


# --- set-up (importable) ----------------------------------------------------------------

def reachable(url: str, timeout: float = 2) -> bool:
    """Whether a PostgreSQL or Redis URL answers."""
    try:
        if url.startswith("redis"):
            import redis

            return bool(redis.Redis.from_url(url, socket_timeout=timeout).ping())
        import psycopg

        psycopg.connect(url.replace("+psycopg", ""), connect_timeout=int(timeout)).close()
        return True
    except Exception:
        return False


def choose_database(url: str | None, quick: bool) -> str | None:
    """The database URL to use, or None for SQLite (only a quick run falls back to it)."""
    if url and reachable(url):
        return url
    if quick:
        return None
    raise BenchError(f"PostgreSQL at {url} is unreachable; the full run needs it")


def personal_number(n: int) -> str:
    """A valid, unique 11-digit personal number for signer ``n`` (prefix 01: no real one)."""
    return f"01{n:09d}"


#: Signers' e-mail domains: enough that none reaches the per-domain signing limit
#: (``DOMAIN_LIMIT``, 60 in 10 minutes) in a full run, and none a shared webmail provider, so
#: that limit is checked on every signature (the big providers are exempt from it).
EMAIL_DOMAINS = 500


def signer_email(n: int) -> str:
    """Signer ``n``'s own e-mail address, at one of ``EMAIL_DOMAINS`` domains."""
    return f"signer{n}@mail{n % EMAIL_DOMAINS}.example.ge"


def signer_address(n: int) -> str:
    """Signer ``n``'s own loopback address (127.0.0.0/8 all reaches the local server)."""
    n = n % (250 * 250 * 250)
    return f"127.{1 + n // 62500}.{1 + n // 250 % 250}.{1 + n % 250}"


def create_petition(app, slug: str = TENANT) -> tuple[int, int]:
    """One collecting petition in ``slug``; returns (petition id, tenant id)."""
    from portal.blueprints.petitions import lifecycle, voters
    from portal.blueprints.petitions.models import Petition
    from portal.extensions import db
    from portal.tenancy import get_directory, tenant_context

    with app.app_context():
        tenant = get_directory(app).by_slug(slug)
        with tenant_context(tenant):
            if voters.newest() is None:
                from datetime import date

                voters.set_voter_count(1_000_000, date(2022, 6, 21))
            petition = Petition(title=TITLE, text="ბენჩმარკის პეტიცია.",
                                requested_action="არაფერი.", form="request_to_discuss")
            db.session.add(petition)
            db.session.flush()
            lifecycle.move(petition, "moderation")
            lifecycle.publish(petition)
            db.session.commit()
            ids = petition.id, tenant.id
        db.session.remove()
    return ids


def petition_state(app, petition_id: int) -> dict[str, int]:
    """Rows, confirmed rows, counted rows and the public count of the petition."""
    from sqlalchemy import func, select

    from portal.blueprints.petitions.models import Petition, Signature
    from portal.extensions import db
    from portal.tenancy import get_directory, tenant_context

    with app.app_context(), tenant_context(get_directory(app).by_slug(TENANT)):
        def rows(*where):
            return db.session.scalar(select(func.count(Signature.id))
                                     .where(Signature.petition_id == petition_id, *where))

        state = {
            "stored": rows(),
            "distinct": db.session.scalar(
                select(func.count(func.distinct(Signature.personal_number_hash)))
                .where(Signature.petition_id == petition_id)),
            "confirmed": rows(Signature.confirmed_at.is_not(None)),
            "counted": rows(Signature.counted_at.is_not(None)),
            "count": db.session.scalar(
                select(Petition.signature_count).where(Petition.id == petition_id)),
        }
        db.session.remove()
    return state


def reconcile_all(app, slug: str = TENANT) -> list:
    from portal.blueprints.petitions.counting import reconcile
    from portal.extensions import db
    from portal.tenancy import get_directory, tenant_context

    with app.app_context():
        tenant = get_directory(app).by_slug(slug)
        with tenant_context(tenant):
            found = reconcile()
        db.session.remove()
    return found


def count_loop(slug: str = TENANT) -> None:
    """The counting worker: ``count_confirmed`` for the municipality every COUNT_EVERY s."""
    sys.path.insert(0, str(PROJECT_ROOT))
    from portal import create_app
    from portal.blueprints.petitions.counting import count_confirmed
    from portal.extensions import db
    from portal.tenancy import get_directory, tenant_context

    app = create_app()
    with app.app_context():
        tenant = get_directory(app).by_slug(slug)
        while True:
            with tenant_context(tenant):
                count_confirmed(checkpoint=db.session.commit)
                db.session.commit()
            db.session.remove()
            time.sleep(COUNT_EVERY)


class Counter:
    """The counting worker process: started, killed (SIGKILL, mid-batch or not) and restarted."""

    def __init__(self, env: dict[str, str]):
        self.env, self.process, self.restarts = env, None, 0

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(BIN / "python"), str(Path(__file__).resolve()), "--count-loop"],
            cwd=PROJECT_ROOT, env=self.env, start_new_session=True)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def restart(self) -> None:
        self.kill()
        self.start()
        self.restarts += 1


# --- the crowd --------------------------------------------------------------------------

@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    signed: int = 0
    confirmed: int = 0
    requests: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    latencies: dict[str, list[float]] = field(default_factory=lambda: {
        "page": [], "form": [], "sign": [], "confirm_page": [], "confirm": [], "bare": []})

    def error(self, what: str) -> None:
        with self.lock:
            self.errors += 1
            if len(self.error_samples) < 5:
                self.error_samples.append(what)


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


class Browser:
    """One signer: its own source address and cookies, one keep-alive connection."""

    def __init__(self, port: int, source: str, tally: Tally):
        self.port, self.source, self.tally, self.cookies = port, source, tally, {}
        self.conn = None

    def request(self, kind: str, method: str, path: str, form: dict | None = None,
                extra: dict | None = None) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(form) if form is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   **(extra or {})}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=30, source_address=(self.source, 0))
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode(errors="replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()  # a sync worker closes kept-alive connections: reconnect
                self.conn = None
                if attempt == 2:
                    raise
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        with self.tally.lock:
            self.tally.requests += 1
            self.tally.latencies[kind].append(elapsed)
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return response.status, text, dict(response.headers)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def csrf_token(html: str) -> str | None:
    found = CSRF.search(html)
    return (found.group(1) or found.group(2)) if found else None


def sign_once(n: int, port: int, petition_id: int, tally: Tally, find_token) -> None:
    """Signer ``n``, as a browser with JavaScript: the petition's page (no form, no token, no
    cookie: in production nginx's micro-cache answers it), its "Sign" button (htmx fetches
    the form: session cookie and CSRF token), sign, link from the mailbox, confirmation page,
    confirm."""
    browser = Browser(port, signer_address(n), tally)
    base = f"/{TENANT}/petitions/{petition_id}"
    email = signer_email(n)
    try:
        status, _, _ = browser.request("page", "GET", base)
        if status != 200:
            return tally.error(f"petition page: {status}")
        status, html, _ = browser.request("form", "GET", f"{base}/sign", extra={"HX-Request": "true"})
        token = csrf_token(html)
        if status != 200 or not token:
            return tally.error(f"petition page: {status}, csrf {bool(token)}")
        status, html, _ = browser.request("sign", "POST", f"{base}/sign", {
            "csrf_token": token, "full_name": f"ხელმომწერი {n}",
            "personal_number": personal_number(n), "email": email, "consent": "y",
            "website": ""})
        if status != 303:
            return tally.error(f"sign: {status} {html[:200]!r}")
        with tally.lock:
            tally.signed += 1
        link = find_token(email)
        if link is None:
            return tally.error("sign: no signature stored for an accepted form")
        path = f"/{TENANT}/petitions/confirm/{link}"
        status, html, _ = browser.request("confirm_page", "GET", path)
        token = csrf_token(html)
        if status != 200 or not token:
            return tally.error(f"confirm page: {status}, csrf {bool(token)}")
        status, html, _ = browser.request("confirm", "POST", path, {"csrf_token": token})
        if status != 200:
            return tally.error(f"confirm: {status} {html[:200]!r}")
        with tally.lock:
            tally.confirmed += 1
    except OSError as exc:
        tally.error(f"{type(exc).__name__}: {exc}")
    finally:
        browser.close()


def link_token(secret_key: str, signature_id: int, tenant_id: int) -> str:
    """The token of a signature's confirmation link, built as ``signing.confirmation_token``
    builds it (valid a minute less than a real one)."""
    from datetime import timedelta

    from itsdangerous import URLSafeSerializer

    from portal.blueprints.petitions.signing import _SALT, CONFIRM_WITHIN
    from portal.db import utcnow

    expires = int((utcnow() + CONFIRM_WITHIN - timedelta(minutes=1)).timestamp())
    return URLSafeSerializer(secret_key, salt=_SALT).dumps(
        {"s": signature_id, "t": tenant_id, "e": expires})


def token_finder(app, tenant_id: int):
    """What reading the e-mail gives a signer: the link's token for the address's signature
    (the outbox keeps the link sealed, so it is built from the signature's id)."""
    from sqlalchemy import text

    from portal.blueprints.petitions.addresses import normalise_email
    from portal.extensions import db

    with app.app_context():
        engine = db.engine

    def find(email: str) -> str | None:
        with engine.connect() as conn:
            signature_id = conn.execute(
                text("SELECT id FROM petition_signatures WHERE email_normalised = :e"),
                {"e": normalise_email(email)}).scalar()
        return None if signature_id is None else link_token(app.secret_key, signature_id,
                                                            tenant_id)

    return find


def run_crowd(seconds: float, concurrency: int, work, on_half=None) -> float:
    """``concurrency`` threads calling ``work(n)`` with fresh n until ``seconds`` passed;
    ``on_half()`` runs once halfway. Returns the wall time from start to the last finish."""
    next_n, lock = iter(range(10**9)), threading.Lock()
    started = time.perf_counter()
    stop_at = started + seconds

    def loop():
        while time.perf_counter() < stop_at:
            with lock:
                n = next(next_n)
            work(n)

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    if on_half is not None:
        time.sleep(seconds / 2)
        on_half()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def group_cpu_seconds(pgid: int) -> float:
    """CPU seconds used so far by the processes of group ``pgid`` (gunicorn's master and
    workers), from /proc; 0 where there is no /proc."""
    total, tick = 0, os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[2]) == pgid:  # pgrp; utime and stime follow at 11 and 12
            total += int(fields[11]) + int(fields[12])
    return total / tick


def bare_once(port: int, tally: Tally):
    def hit(n: int) -> None:
        browser = Browser(port, signer_address(n), tally)
        try:
            status, _, _ = browser.request("bare", "GET", BARE_PATH)
            if status != 200:
                tally.error(f"bare: {status}")
        except OSError as exc:
            tally.error(f"bare {type(exc).__name__}: {exc}")
        finally:
            browser.close()
    return hit


# --- the run ----------------------------------------------------------------------------

def measure(args: argparse.Namespace) -> tuple[dict[str, object], str]:
    surge, bare_seconds, concurrency, settle = QUICK if args.quick else FULL
    surge = args.seconds or surge
    concurrency = args.signers or concurrency
    kill = args.kill_counter or not args.quick
    database_url = choose_database(args.database_url, args.quick)
    with portal_environment(database_url) as env:
        if args.redis_url and reachable(args.redis_url):
            import redis

            redis.Redis.from_url(args.redis_url).flushdb()  # the bench's own Redis database
            env["REDIS_URL"] = args.redis_url
        else:
            env.pop("REDIS_URL", None)
        counter = Counter(env)
        with gunicorn([env], args.workers, args.worker_class, args.threads) as servers, \
                prepared_portal(env) as app:
            petition_id, tenant_id = create_petition(app)
            servers.wait_until_up()
            port = int(servers.urls[0].rsplit(":", 1)[1])
            counter.start()
            try:
                find = token_finder(app, tenant_id)
                warm = Tally()  # a few signers first: every worker has its templates compiled
                run_crowd(0.5, 2, lambda n: sign_once(10**8 + n, port, petition_id, warm, find))
                before = petition_state(app, petition_id)
                # The bare endpoint half before and half after the surge, so that the
                # machine's drift during the run weighs on both sides of the ratio.
                server_pgid = servers.processes[0][0].pid
                bare, bare_cpu = Tally(), group_cpu_seconds(server_pgid)
                bare_elapsed = run_crowd(bare_seconds / 2, concurrency, bare_once(port, bare))
                bare_cpu = group_cpu_seconds(server_pgid) - bare_cpu
                bare_before = bare.requests / bare_elapsed if bare_elapsed else 0.0
                tally = Tally()
                cpu = time.process_time(), group_cpu_seconds(server_pgid)
                elapsed = run_crowd(
                    surge, concurrency,
                    lambda n: sign_once(n, port, petition_id, tally, find),
                    on_half=counter.restart if kill else None)
                client_cpu = (time.process_time() - cpu[0]) / elapsed
                server_cpu = (group_cpu_seconds(server_pgid) - cpu[1]) / elapsed
                after, server_cpu_s = bare.requests, group_cpu_seconds(server_pgid)
                after_elapsed = run_crowd(bare_seconds / 2, concurrency, bare_once(port, bare))
                bare_cpu += group_cpu_seconds(server_pgid) - server_cpu_s
                bare_after = (bare.requests - after) / after_elapsed if after_elapsed else 0.0
                bare_elapsed += after_elapsed
                deadline, state = time.monotonic() + settle, petition_state(app, petition_id)
                while time.monotonic() < deadline and (
                        state["counted"] != state["confirmed"] or state["count"] != state["counted"]):
                    time.sleep(0.3)
                    state = petition_state(app, petition_id)
            finally:
                counter.kill()
            mismatches = reconcile_all(app)
    accepted = before["stored"] + tally.signed
    confirmed = before["confirmed"] + tally.confirmed
    lost = max(0, accepted - state["stored"]) + max(0, confirmed - state["confirmed"]) \
        + max(0, state["confirmed"] - state["counted"])
    double = max(0, state["stored"] - state["distinct"]) + max(0, state["count"] - state["confirmed"]) \
        + max(0, state["stored"] - accepted)
    lat = {k: [v * 1000 for v in vs] for k, vs in tally.latencies.items()}
    bare_per_s = bare.requests / bare_elapsed if bare_elapsed else 0.0
    surge_rps = tally.requests / elapsed
    figures = {
        "signers": concurrency,
        "surge_s": elapsed,
        "signed": tally.signed,
        "confirmed": tally.confirmed,
        "counter_restarts": counter.restarts,
        "stored": state["stored"],
        "counted": state["count"],
        "reconcile_mismatches": len(mismatches),
        "page_p95_ms": percentile(lat["page"], 95),
        "form_p95_ms": percentile(lat["form"], 95),
        "confirm_page_p95_ms": percentile(lat["confirm_page"], 95),
        "confirm_p50_ms": percentile(lat["confirm"], 50),
        "confirm_p95_ms": percentile(lat["confirm"], 95),
        "bare_p95_ms": percentile([v * 1000 for v in bare.latencies["bare"]], 95),
        "surge_requests_per_s": surge_rps,
        "client_cpu_cores": client_cpu,
        "server_cpu_cores": server_cpu,
        # gunicorn's CPU time per request: what the portal's code costs, whatever the load
        "server_cpu_ms_per_request": 1000 * server_cpu * elapsed / tally.requests
        if tally.requests else 0.0,
        "bare_server_cpu_ms_per_request": 1000 * bare_cpu / bare.requests if bare.requests else 0.0,
        "flow_ratio_vs_bare": (tally.signed / elapsed) / bare_per_s if bare_per_s else 0.0,
        "signatures_per_s": tally.signed / elapsed,
        "confirmations_per_s": tally.confirmed / elapsed,
        "p50_ms": percentile(lat["sign"], 50),
        "p95_ms": percentile(lat["sign"], 95),
        "p99_ms": percentile(lat["sign"], 99),
        "bare_per_s": bare_per_s,
        "bare_before_per_s": bare_before,
        "bare_after_per_s": bare_after,
        "ratio_vs_bare": surge_rps / bare_per_s if bare_per_s else 0.0,
        "errors": tally.errors + bare.errors + len(mismatches),
        "lost": lost,
        "double_counted": double,
    }
    samples = tally.error_samples + bare.error_samples
    database = "postgresql" if database_url else "sqlite"
    return figures, (f"{database}; redis {'on' if 'REDIS_URL' in env else 'off'}; "
                     + ("; ".join(samples) if samples else "no errors"))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.count_loop:
        count_loop()
        return 0
    started, load_before = time.monotonic(), os.getloadavg()[0]
    try:
        figures, notes = measure(args)
    except BenchError as exc:
        print(f"bench failed: {exc}", file=sys.stderr)
        return 1
    print(f"# petition surge: sign+confirm vs {BARE_PATH}; gunicorn {args.workers}x"
          f"{args.worker_class} (threads {args.threads}); {notes}; {os.cpu_count()} CPUs;"
          f" Python {platform.python_version()}; {time.monotonic() - started:.1f} s;"
          f" load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    print_figures(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
