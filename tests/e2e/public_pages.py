"""One URL per public page template, on the demo content (``flask demo load``): what the
front-end budgets walk (tests/e2e/test_page_weight.py, bench/lighthouse.py).

The list is what an anonymous visitor reaches by following links from the platform's and the
municipalities' home pages, one URL per Flask endpoint that answers 200 with HTML (``crawl``);
tests/e2e/test_page_weight.py checks that a new public page is added here.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from urllib.parse import urljoin, urlsplit

#: endpoint → a URL of it on the demo content (ids are those of a fresh ``flask demo load``).
PUBLIC_PAGES = {
    "accounts.login_link": "/poti/accounts/link",
    "accounts.reset_request": "/poti/accounts/reset",
    "accounts.sign_in": "/poti/accounts/sign-in",
    "consultations.index": "/poti/consultations/",
    "consultations.show": "/poti/consultations/1",
    "documents.index": "/poti/documents/",
    "documents.show": "/poti/documents/4",
    "grants.competition": "/poti/grants/2",
    "grants.funded": "/poti/grants/funded",
    "grants.index": "/poti/grants/",
    "grants.project": "/poti/grants/projects/3",
    "home.index": "/poti/",
    "letters.index": "/poti/letters/",
    "letters.published": "/poti/letters/published/",
    "letters.published_letter": "/poti/letters/published/4",
    "letters.statistics": "/poti/letters/statistics",
    "letters.write_chair": "/poti/letters/chair",
    "letters.write_mayor": "/poti/letters/mayor",
    "municipal_services.apply": "/poti/services/6/apply",
    "municipal_services.index": "/poti/services/",
    "municipal_services.lookup": "/poti/services/status",
    "municipal_services.show": "/poti/services/6",
    "news.index": "/poti/news/",
    "news.show": "/poti/news/1",
    "petitions.api_docs": "/poti/petitions/api/",
    "petitions.index": "/poti/petitions/",
    "petitions.show": "/poti/petitions/1",
    "petitions.sign_page": "/poti/petitions/1/sign",
    "petitions_platform.all_petitions": "/petitions/",
    "platform.index": "/",
    "projects.index": "/poti/projects/",
    "projects.show": "/poti/projects/3",
    "satisfaction.index": "/poti/satisfaction/",
    "sessions.api_docs": "/poti/sessions/api/",
    "sessions.bodies": "/poti/sessions/bodies/",
    "sessions.body": "/poti/sessions/bodies/sakrebulo",
    "sessions.index": "/poti/sessions/",
    "sessions.member": "/poti/sessions/members/giorgi-kobalia",
    "sessions.member_year": "/poti/sessions/members/giorgi-kobalia/2026",
    "sessions.members": "/poti/sessions/members/",
    "sessions.reports": "/poti/sessions/reports/2026",
    "sessions.search_page": "/poti/sessions/search",
    "sessions.show": "/poti/sessions/4",
    "subscriptions.index": "/poti/subscriptions/",
    "subscriptions.sms": "/poti/subscriptions/sms",
    "surveys.answer": "/poti/surveys/3/answer",
    "surveys.index": "/poti/surveys/",
    "surveys.results_page": "/poti/surveys/2/results",
    "surveys.show": "/poti/surveys/3",
    "tour.index": "/poti/tour/",
    "tour.show": "/poti/tour/sights/2",
}
#: Pages worth a second look beside one per template: the other municipality's home page (a
#: different theme, no facts) and the page-not-found page.
EXTRA_PAGES = ["/abasha/", "/poti/no-such-page"]
#: A handful for the quick runs: the home pages and the two pages with a map.
QUICK_PAGES = ["/", "/poti/", "/poti/projects/", "/poti/tour/"]
SEEDS = ("/", "/poti/", "/abasha/", "/petitions/")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect is not a page of its own
        return None


def crawl(base_url: str, url_map, limit: int = 800) -> dict[str, str]:
    """endpoint → the first URL of it that answers 200 with HTML, following same-site links
    breadth first from the home pages (GET only: forms are not sent)."""
    host = urlsplit(base_url).netloc
    adapter = url_map.bind(host)
    opener = urllib.request.build_opener(_NoRedirect)
    queue, seen, found = list(SEEDS), set(), {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        try:
            endpoint = adapter.match(urlsplit(path).path)[0]
        except Exception:  # noqa: BLE001 - a static file, a redirect rule: not a page
            continue
        if endpoint in found:
            continue
        try:
            response = opener.open(base_url + path, timeout=30)  # noqa: S310 - our own server
        except urllib.error.HTTPError:
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        found[endpoint] = path
        html = response.read().decode("utf-8", errors="replace")
        for href in re.findall(r'href="([^"#]+)"', html):
            url = urlsplit(urljoin(base_url + path, href.replace("&amp;", "&")))
            if url.netloc == host:
                queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return found
