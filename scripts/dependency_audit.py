"""Dependency audit for ``make lint``: every installed package against an advisory service.

pip-audit asks PyPI's JSON API (``/pypi/<name>/<version>/json``, which carries each release's
known vulnerabilities) or OSV (``api.osv.dev``). Some build networks reach neither: PyPI is
mirrored there with ``/simple/`` only and OSV does not resolve. pip-audit then calls every
package "not found" and reports "No known vulnerabilities found", which would be a false pass.

So this script first asks whether a service answers. If one does, it runs pip-audit against
it with ``--strict`` (a package that could not be audited fails the run) and fails on any
finding.

If neither answers but PyPI's project pages do (``/pypi/<name>/json``, as on our build machines),
it audits what those pages can vouch for: their ``vulnerabilities`` are the latest release's, so
every installed package that IS its latest release is audited exactly, and any finding fails the
run; a package older than its latest release cannot be audited this way and is listed as such.
If nothing answers, it says so plainly and skips, unless ``PORTAL_REQUIRE_AUDIT=1`` (set it on a
build machine that has the network), where an audit that could not be complete fails the run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

BIN = Path(sys.executable).parent
#: What pip-audit asks of each service, for a release that exists: an answer in JSON means the
#: service can audit. (PyPI's per-release page, not the project's: some mirrors keep only the
#: project's, whose vulnerabilities are the latest release's, not the installed one's.)
PROBES = {
    "pypi": "https://pypi.org/pypi/pip/20.0/json",
    "osv": "https://api.osv.dev/v1/vulns/PYSEC-2021-1",
}
PROJECT_PAGE = "https://pypi.org/pypi/{name}/json"
#: This project, installed in editable mode: not on PyPI.
OWN = {"portal"}


def reachable(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (fixed https URLs)
            return answer.status == 200 and "json" in answer.headers.get("Content-Type", "")
    except (urllib.error.URLError, OSError, ValueError):
        return False


def installed() -> dict[str, str]:
    """Every distribution in this environment, by normalised name."""
    found = {}
    for dist in metadata.distributions():
        name = re.sub(r"[-_.]+", "-", dist.metadata["Name"] or "").lower()
        if name and name not in OWN:
            found[name] = dist.version
    return found


def project_page(name: str) -> dict | None:
    try:
        with urllib.request.urlopen(PROJECT_PAGE.format(name=name), timeout=20) as answer:  # noqa: S310
            return json.load(answer)
    except (urllib.error.URLError, OSError, ValueError):
        return None


def latest_release_audit(packages: dict[str, str]) -> tuple[list[str], list[str], int]:
    """(findings, packages not audited, packages audited) from the project pages."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        pages = dict(zip(packages, pool.map(project_page, packages), strict=True))
    findings, unaudited, audited = [], [], 0
    for name, version in sorted(packages.items()):
        page = pages[name]
        if page is None:
            unaudited.append(f"{name} {version} (no project page)")
        elif page["info"]["version"] != version:
            unaudited.append(f"{name} {version} (latest {page['info']['version']})")
        else:
            audited += 1
            findings += [f"{name} {version}: {v['id']} (fixed in {', '.join(v.get('fixed_in') or []) or 'no release'})"
                         f" {v.get('link', '')}" for v in page.get("vulnerabilities") or []]
    return findings, unaudited, audited


def pip_audit(service: str) -> int:
    subprocess.run([str(BIN / "python"), "-m", "pip", "install", "--quiet", "pip-audit"], check=True)
    command = [str(BIN / "pip-audit"), "--strict", "--local", "--progress-spinner", "off",
               "--vulnerability-service", service]
    print("dependency audit:", " ".join(command[1:]), file=sys.stderr)
    return subprocess.run(command).returncode


def main() -> int:
    required = os.environ.get("PORTAL_REQUIRE_AUDIT") == "1"
    service = next((name for name, url in PROBES.items() if reachable(url)), None)
    if service is not None:
        return pip_audit(service)
    if project_page("pip") is None:
        print("dependency audit NOT RUN: no advisory service answers from this machine "
              f"({', '.join(PROBES.values())}, {PROJECT_PAGE.format(name='<name>')}); "
              "see docs/performance.md, 'Dependency audit'", file=sys.stderr)
        return 1 if required else 0
    packages = installed()
    findings, unaudited, audited = latest_release_audit(packages)
    print(f"dependency audit (PyPI's project pages; its per-release pages and OSV do not answer "
          f"here): {audited} of {len(packages)} installed packages are their latest release and "
          f"were audited, {len(findings)} finding(s)", file=sys.stderr)
    for line in findings:
        print(f"  VULNERABLE {line}", file=sys.stderr)
    if unaudited:
        print(f"  not audited ({len(unaudited)}, older than their latest release or not found): "
              + "; ".join(unaudited), file=sys.stderr)
    if findings:
        return 1
    return 1 if required and unaudited else 0


if __name__ == "__main__":
    sys.exit(main())
