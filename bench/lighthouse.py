"""Front-end budgets in a real browser: Lighthouse (npm, pinned in bench/lighthouse/) driving
Debian's Chromium headless with its mobile emulation, one URL per public page template.

Targets (issue 17, mobile): largest contentful paint <= 2.5 s, cumulative layout shift <= 0.1,
total blocking time <= 200 ms; page weight <= 150 kB and JavaScript <= 25 kB, both as
transferred (gzip level 6: bench/compressed_wsgi.py), the map library excluded
by design (static/js/map.js fetches it on scroll or on the map's button, never at load).

The portal is a throw-away one on the demo content (Poti and Abasha), gunicorn with two
workers and production settings, unless ``--url`` names a running one (with the demo loaded:
the pages' ids are those of tests/e2e/public_pages.py). Every host but the portal's resolves
to nothing, so the tour's player and map tiles are never fetched.

Lighthouse times are simulated (Lantern: a mid-range phone, 4x CPU slowdown, slow 4G) from a
trace taken on this machine, so a loaded machine moves LCP and TBT; ``benchmark_index`` (the
higher the quicker) says how busy it was. ``--runs 3`` takes each page's median.

    scripts/ensure-lighthouse.sh                  # npm ci of bench/lighthouse (once)
    .venv/bin/python bench/lighthouse.py --quick  # four pages, about a minute
    .venv/bin/python bench/lighthouse.py          # every public page template (~50)

Figures come last as ``key=value`` lines: pages, lcp_p_max (s), cls_max, tbt_max (ms),
weight_max_kb, js_max_kb, failures (pages missing a target).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from harness import (
    BIN,
    PROJECT_ROOT,
    BenchError,
    free_port,
    portal_environment,
    prepared_portal,
    print_figures,
)

sys.path.insert(0, str(PROJECT_ROOT))
from tests.e2e.public_pages import EXTRA_PAGES, PUBLIC_PAGES, QUICK_PAGES  # noqa: E402

#: Lighthouse audits pages that answer 200 only (ERRORED_DOCUMENT_REQUEST): the page-not-found
#: page is weighed by tests/e2e/test_page_weight.py instead.
NOT_AUDITED = {"/poti/no-such-page"}

HERE = Path(__file__).resolve().parent
RUNNER = HERE / "lighthouse" / "run.mjs"
LIGHTHOUSE = HERE / "lighthouse" / "node_modules" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
    # Offline: only the portal answers (the tour's player, map tiles: never fetched).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
#: Third parties (the tour's player is on https) are blocked before they are asked for: a frame
#: whose host does not resolve can leave Lighthouse without a navigation (NO_NAVSTART).
BLOCKED = ["https://*"]
TARGETS = {"lcp": 2500.0, "cls": 0.1, "tbt": 200.0, "weight": 150_000, "script": 25_000}
QUICK_COUNT = 3


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"the first {QUICK_COUNT} of {', '.join(QUICK_PAGES)}, one run")
    parser.add_argument("--url", help="a running portal with the demo loaded (default: start one)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is kept")
    parser.add_argument("--pages", nargs="*", help="these paths instead of the list")
    parser.add_argument("--database-url", help="a scratch PostgreSQL database, WIPED first; "
                        "default SQLite")
    parser.add_argument("--json", help="write every page's figures to this file")
    return parser.parse_args(argv)


def ensure_lighthouse() -> None:
    if not Path(CHROME).exists():
        raise BenchError(f"{CHROME} is missing: run scripts/ensure-chromium.sh")
    if not (LIGHTHOUSE / "package.json").exists():
        subprocess.run([str(PROJECT_ROOT / "scripts" / "ensure-lighthouse.sh")], check=True)


def prepare(env: dict[str, str]) -> None:
    """Migrate and load the demo, or restore it as prepared by an earlier run of the same code
    (``harness.prepared_portal``): the quick run's time goes to Lighthouse, not to the demo."""
    with prepared_portal(env):
        return


@contextmanager
def compressed_portal(database_url: str | None):
    """A throw-away portal on the demo content behind gzip (bench/compressed_wsgi.py)."""
    with portal_environment(database_url) as env:
        port = free_port()
        env["PORTAL_BASE_DOMAIN"] = f"127.0.0.1:{port}"
        prepare(env)
        log = tempfile.TemporaryFile()
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--pythonpath", str(HERE), "compressed_wsgi:app",
             "--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"],
            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(url, process, log)
            yield url
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log.close()


def wait_until_up(url: str, process: subprocess.Popen, log) -> None:
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise BenchError(f"gunicorn exited:\n{log.read().decode(errors='replace')}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer {url} within 60 s")


def lighthouse(urls: list[str]) -> list[dict]:
    """One Chromium, Lighthouse on each URL in turn (bench/lighthouse/run.mjs)."""
    options = {"urls": urls, "chromePath": CHROME, "chromeFlags": CHROME_FLAGS,
               "blocked": BLOCKED}
    done = subprocess.run(["node", str(RUNNER), json.dumps(options)], capture_output=True,
                          text=True, env={**os.environ, "CHROME_PATH": CHROME})
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or len(lines) != len(urls):
        raise BenchError(f"lighthouse failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return lines


def summarise(runs: list[dict]) -> dict:
    """The median of each figure over a page's runs (errors: the first one)."""
    good = [run for run in runs if not run.get("error")]
    if not good:
        return {"error": runs[0].get("error") or "no result"}

    def median(pick) -> float:
        return statistics.median(pick(run) for run in good)

    return {
        "lcp": median(lambda r: r["lcp"]), "cls": median(lambda r: r["cls"]),
        "tbt": median(lambda r: r["tbt"]), "fcp": median(lambda r: r["fcp"]),
        "weight": median(lambda r: r["weight"]),
        "script": median(lambda r: r["kinds"].get("script", {}).get("bytes", 0)),
        "score": median(lambda r: r["score"] or 0),
        "benchmark": median(lambda r: r["benchmarkIndex"]),
        "lcp_element": good[0].get("lcpElement"), "shifts": good[0].get("shifts"),
        "long_tasks": good[0].get("longTasks"),
        "runs": len(good),
    }


def misses(figures: dict) -> list[str]:
    if figures.get("error"):
        return [f"error {figures['error']}"]
    return [f"{name} {figures[name]:.3g} > {limit:g}" for name, limit in TARGETS.items()
            if figures[name] > limit]


def measure(base: str, paths: list[str], runs: int) -> dict[str, dict]:
    """Each page ``runs`` times; a run that errs (NO_NAVSTART now and then, on a loaded
    machine) is tried once more at the end."""
    collected: dict[str, list[dict]] = {path: [] for path in paths}
    for _ in range(runs):
        for path, line in zip(paths, lighthouse([base + p for p in paths]), strict=True):
            collected[path].append(line)
    again = [path for path, lines in collected.items() if any(r.get("error") for r in lines)]
    if again:
        print(f"trying again: {' '.join(again)}", file=sys.stderr)
        for path, line in zip(again, lighthouse([base + p for p in again]), strict=True):
            collected[path] = [r for r in collected[path] if not r.get("error")] or [line]
            if not line.get("error") and collected[path][0] is not line:
                collected[path].append(line)
    return {path: summarise(lines) for path, lines in collected.items()}


def report(results: dict[str, dict]) -> dict[str, object]:
    print(f"{'page':42} {'LCP s':>6} {'CLS':>6} {'TBT ms':>7} {'kB':>6} {'JS kB':>6}  misses")
    for path, f in results.items():
        missed = misses(f)
        if f.get("error"):
            print(f"{path:42} {'-':>6} {'-':>6} {'-':>7} {'-':>6} {'-':>6}  {'; '.join(missed)}")
            continue
        print(f"{path:42} {f['lcp'] / 1000:6.2f} {f['cls']:6.3f} {f['tbt']:7.0f} "
              f"{f['weight'] / 1000:6.1f} {f['script'] / 1000:6.1f}  {'; '.join(missed)}")
    good = [f for f in results.values() if not f.get("error")]

    def top(name: str) -> float:
        return max((f[name] for f in good), default=float("nan"))

    return {
        "pages": len(results),
        "lcp_p_max": top("lcp") / 1000,
        "lcp_p_median": statistics.median(f["lcp"] for f in good) / 1000 if good else float("nan"),
        "cls_max": round(top("cls"), 3),
        "tbt_max": top("tbt"),
        "weight_max_kb": top("weight") / 1000,
        "js_max_kb": top("script") / 1000,
        "benchmark_index": statistics.median(f["benchmark"] for f in good) if good else 0,
        "failures": sum(1 for f in results.values() if misses(f)),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.pages:
        paths = args.pages
    elif args.quick:
        paths = QUICK_PAGES[:QUICK_COUNT]
    else:
        paths = sorted(set(PUBLIC_PAGES.values()) | set(EXTRA_PAGES) - NOT_AUDITED)
    runs = 1 if args.quick else max(1, args.runs)
    started = time.monotonic()
    try:
        ensure_lighthouse()
        if args.url:
            results = measure(args.url.rstrip("/"), paths, runs)
        else:
            with compressed_portal(args.database_url) as base:
                print(f"portal ready in {time.monotonic() - started:.0f} s", file=sys.stderr)
                results = measure(base, paths, runs)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    figures = report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    figures["runs"] = runs
    figures["seconds"] = time.monotonic() - started
    print_figures(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
