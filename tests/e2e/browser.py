"""Chromium helpers: launch flags, an offline network, page watchers, axe-core and page weight."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
AXE_SOURCE = (HERE / "vendor" / "axe.min.js").read_text(encoding="utf-8")
SCREENSHOTS = HERE / "screenshots"
CHROMIUM = "/usr/bin/chromium"
#: The own-domain scheme: Chromium resolves Poti's domain to the live server.
OWN_DOMAIN = "poti.gov.ge"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    f"--host-resolver-rules=MAP {OWN_DOMAIN} 127.0.0.1",
]
LOCAL_HOSTS = {"127.0.0.1", OWN_DOMAIN}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 390, "height": 844}
#: Embedded third-party players (the virtual tour) get this page instead: tests stay offline.
EMBED_STUB = (
    "<!doctype html><html lang='en'><head><title>Embedded player</title></head>"
    "<body><p>Embedded third-party content (offline stand-in).</p></body></html>"
)

#: Collects what a page reports; each test asserts on it at the end.
WATCH_SCRIPT = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""


def keep_offline(route) -> None:
    """Serve the portal from the live server; never reach the internet."""
    host = urlsplit(route.request.url).hostname
    if host in LOCAL_HOSTS:
        route.continue_()
    elif route.request.resource_type == "document":
        route.fulfill(status=200, content_type="text/html", body=EMBED_STUB)
    else:
        route.abort()


@dataclass
class Watch:
    """Console errors, uncaught exceptions and CSP reports of one page."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))

    def _console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def problems(self, page, allow: tuple[str, ...] = ()) -> list[str]:
        found = [e for e in self.console_errors if not any(a in e for a in allow)]
        found += [f"uncaught: {e}" for e in self.page_errors]
        try:
            found += [f"CSP: {v}" for v in page.evaluate("window.__cspViolations || []")]
        except Exception:  # pragma: no cover - page closed or navigated away
            pass
        return found


def click_and_load(page, target) -> None:
    """Click something that loads a new document (a form, a link without JavaScript) and wait
    for that document; a bare wait could return while the old page is still showing."""
    with page.expect_navigation():
        target.click()


def run_axe(page) -> list[dict]:
    """axe-core's violations on the current page (WCAG 2.0/2.1 A and AA plus best practice).

    The source is evaluated through the DevTools protocol, which the page's CSP does not
    govern, so the strict policy stays on while the page is checked.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    result = page.evaluate("(options) => axe.run(document, options)", options)
    return result["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['failureSummary']}")
    return "\n".join(lines)


def screenshot(page, name: str) -> list[Path]:
    """Full-page screenshots at desktop and mobile widths; returns the files written."""
    SCREENSHOTS.mkdir(exist_ok=True)
    paths = []
    for label, size in (("desktop", DESKTOP), ("mobile", MOBILE)):
        page.set_viewport_size(size)
        path = SCREENSHOTS / f"{name}-{label}.png"
        # caret="initial": hiding the caret leaves style="" on inputs, which htmx then copies
        # while settling a swap (a style attribute set by script: a CSP violation).
        page.screenshot(path=str(path), full_page=True, caret="initial")
        paths.append(path)
    page.set_viewport_size(DESKTOP)
    return paths


@dataclass
class Weight:
    """Gzip-compressed bytes of a page and everything it loaded, by kind."""

    total: int = 0
    script: int = 0
    items: list[tuple[str, str, int, int]] = field(default_factory=list)

    def add(self, url: str, kind: str, body: bytes) -> None:
        size = len(gzip.compress(body, compresslevel=6))
        self.items.append((url, kind, len(body), size))
        self.total += size
        if kind == "script":
            self.script += size

    def as_json(self) -> str:
        return json.dumps({"total": self.total, "script": self.script, "items": self.items})
