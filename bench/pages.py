"""Page bench: a municipality's home page against a bare endpoint of the same gunicorn server.

Both URLs are measured in one run, in alternating rounds (bare, home, bare, home, ...) after
a warm-up, so drift of a shared machine hits both alike and the ratio stays meaningful even
when the absolute figures move. Target: ``ratio`` (home_rps / bare_rps) >= 0.5.

    .venv/bin/python bench/pages.py            # full run, about three minutes
    .venv/bin/python bench/pages.py --quick    # under 30 s
    .venv/bin/python bench/pages.py --database-url postgresql://postgres@127.0.0.1/test_bench

Figures come last as ``key=value`` lines.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

from harness import (
    BenchError,
    Measurement,
    ensure_wrk,
    gunicorn,
    portal_instance,
    print_figures,
    run_wrk,
    wrk_script,
)

BARE_PATH = "/healthz"
HOME_PATH = "/poti/"

#: (warm-up seconds per URL, rounds, seconds per URL per round)
FULL = (5, 6, 12)
QUICK = (1, 2, 3)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a reduced run, under 30 s")
    parser.add_argument("--database-url", help="a scratch PostgreSQL database, WIPED first "
                        "(e.g. postgresql://postgres@127.0.0.1:5432/test_bench); default SQLite")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class")
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument("--connections", type=int, default=4,
                        help="concurrent wrk connections (default 4: two per worker)")
    return parser.parse_args(argv)


def count_home_queries(app) -> int:
    """SQL statements one warm home-page request runs (the tenant cache already filled)."""
    from sqlalchemy import event

    from portal.extensions import db

    client = app.test_client()
    client.get(HOME_PATH)  # fills the per-process tenant directory, as a warm worker has it
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(HOME_PATH)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    if response.status_code != 200:
        raise BenchError(f"{HOME_PATH} answered {response.status_code} in process")
    return len(statements)


def measure(args: argparse.Namespace) -> dict[str, object]:
    warmup, rounds, seconds = QUICK if args.quick else FULL
    wrk = ensure_wrk()
    bare, home = Measurement(), Measurement()
    with portal_instance(args.database_url) as (env, app), wrk_script() as script:
        queries = count_home_queries(app)
        with gunicorn(env, args.workers, args.worker_class, args.threads) as base:
            for path in (BARE_PATH, HOME_PATH):
                run_wrk(wrk, base + path, warmup, args.connections, Measurement(), script)
            for _ in range(rounds):
                run_wrk(wrk, base + BARE_PATH, seconds, args.connections, bare, script)
                run_wrk(wrk, base + HOME_PATH, seconds, args.connections, home, script)
    for name, m in (("bare", bare), ("home", home)):
        if m.errors or not m.requests:
            raise BenchError(f"{name}: {m.errors} errors in {m.requests} requests")
    round_ratios = [h / b for h, b in zip(home.round_rps, bare.round_rps, strict=True) if b]
    return {
        "home_rps": home.rps,
        "bare_rps": bare.rps,
        "ratio": home.rps / bare.rps,
        "p50_ms": home.percentile_ms(50),
        "p95_ms": home.percentile_ms(95),
        "bare_p50_ms": bare.percentile_ms(50),
        "bare_p95_ms": bare.percentile_ms(95),
        "ratio_min": min(round_ratios),
        "ratio_max": max(round_ratios),
        "home_queries": queries,
        "home_requests": home.requests,
        "bare_requests": bare.requests,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    try:
        figures = measure(args)
    except BenchError as exc:
        print(f"bench failed: {exc}", file=sys.stderr)
        return 1
    database = "postgresql" if args.database_url else "sqlite"
    print(f"# {HOME_PATH} vs {BARE_PATH}; gunicorn {args.workers}x{args.worker_class}"
          f" (threads {args.threads}); wrk 1 thread, {args.connections} connections;"
          f" {database}; {os.cpu_count()} CPUs; Python {platform.python_version()};"
          f" {time.monotonic() - started:.1f} s")
    print_figures(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
