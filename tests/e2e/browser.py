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
#: WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best practices. Target size (2.5.8) is off in axe
#: by default; it is turned on by name.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_RULES = {"target-size": {"enabled": True}}
LANGUAGES = ("ka", "en")
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
    """axe-core's violations on the current page (WCAG 2.0/2.1/2.2 A and AA, best practice,
    target size).

    The source is evaluated through the DevTools protocol, which the page's CSP does not
    govern, so the strict policy stays on while the page is checked.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "rules": AXE_RULES,
               "resultTypes": ["violations"]}
    result = page.evaluate("(options) => axe.run(document, options)", options)
    return result["violations"]


def run_axe_in_both_languages(page) -> dict[str, list[dict]]:
    """axe's violations on the page as shown, and on the same URL in the other language.

    The other language is loaded in a second tab of the same browser context (same session,
    its own ``lang`` cookie for that one load); the first tab is left as it was. A URL that
    only answers POST (405) has no other-language page to check.
    """
    shown = page.evaluate("document.documentElement.lang")
    found = {shown: run_axe(page)}
    other = next(lang for lang in LANGUAGES if lang != shown)
    context = page.context
    saved = [c for c in context.cookies(page.url) if c["name"] == "lang"]
    # The visitor's own choice (path /) would travel beside this one and win.
    context.clear_cookies(name="lang")
    # Path /: a cookie set by URL gets that URL's folder, and a redirect (a form's address
    # opened by GET) would leave it behind.
    context.add_cookies([{"name": "lang", "value": other, "path": "/",
                          "domain": urlsplit(page.url).hostname}])
    twin = context.new_page()
    try:
        response = twin.goto(page.url, wait_until="load")
        if response is not None and response.status != 405:
            assert twin.evaluate("document.documentElement.lang") == other, twin.url
            found[other] = run_axe(twin)
    finally:
        twin.close()
        context.clear_cookies(name="lang")
        if saved:
            context.add_cookies(saved)
    return found


def axe_problems(page) -> list[str]:
    """Every violation, in both languages, one line per rule and page: empty when clean."""
    lines = []
    for lang, violations in run_axe_in_both_languages(page).items():
        if violations:
            lines.append(f"{page.url} ({lang}):\n" + describe_violations(violations))
    return lines


#: Every visible link, button and form control smaller than 24 × 24 CSS px whose 24 px circle
#: overlaps another target (WCAG 2.2, 2.5.8, with its spacing exception), and that is not a
#: link inside a sentence (the inline exception: its size is set by the text around it).
SMALL_TARGETS_SCRIPT = r"""() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  const visible = el => {
    const s = getComputedStyle(el), r = el.getBoundingClientRect();
    return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 1 && r.height > 1
      && !el.closest('.visually-hidden');
  };
  const inSentence = el => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    const block = el.parentElement.closest('p, li, td, dd, div');
    if (!block) return false;
    const text = [...block.childNodes].filter(n => n.nodeType === 3)
      .map(n => n.textContent.trim()).join('');
    return text.replace(/[\s·,;:()–—|]/g, '').length > 0;
  };
  const targets = [...document.querySelectorAll(selector)].filter(visible);
  const boxes = targets.map(el => el.getBoundingClientRect());
  const centre = r => [r.left + r.width / 2, r.top + r.height / 2];
  const small = r => r.width < 23.5 || r.height < 23.5;
  const circleHitsBox = (c, r) => {
    const x = Math.max(r.left, Math.min(c[0], r.right)), y = Math.max(r.top, Math.min(c[1], r.bottom));
    return (x - c[0]) ** 2 + (y - c[1]) ** 2 < 144;
  };
  const found = [];
  targets.forEach((el, i) => {
    const r = boxes[i];
    if (!small(r) || inSentence(el)) return;
    const c = centre(r);
    const crowded = boxes.some((o, j) => {
      if (j === i || targets[j].contains(el) || el.contains(targets[j])) return false;
      if (circleHitsBox(c, o)) return true;
      if (!small(o)) return false;
      const d = centre(o);
      return (d[0] - c[0]) ** 2 + (d[1] - c[1]) ** 2 < 576;
    });
    if (crowded) {
      const name = (el.innerText || el.value || el.name || el.id || '').trim().slice(0, 40);
      found.push(`${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''} `
        + `"${name}" ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  });
  return found;
}"""


def small_targets(page) -> list[str]:
    """Targets that fail WCAG 2.2's 24 px minimum (2.5.8) on the current page."""
    return page.evaluate(SMALL_TARGETS_SCRIPT)


def page_overflow(page) -> int:
    """How many CSS px the page is wider than the window (0: no page-wide horizontal scroll)."""
    return page.evaluate(
        "Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


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
