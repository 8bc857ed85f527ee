"""What the archive's pages say: times, roles, the language of Georgian-only text."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

from portal.blueprints.sessions.council import composition, services
from portal.blueprints.sessions.models import Recording
from portal.extensions import db
from portal.i18n import GEORGIAN
from portal.tenancy import tenant_context


def test_session_pages_show_times_without_seconds(client, archives):
    client.set_cookie("lang", "en")
    for url in ("/poti/sessions/", f"/poti/sessions/{archives['poti'].session.id}"):
        text = re.sub(r"<[^>]*>", " ", client.get(url).text)  # datetime="" keeps its seconds
        assert not re.search(r"\d:\d\d:\d\d", text), url


class _GeorgianOutsideKa(HTMLParser):
    """Georgian-script text not inside an element marked lang="ka" (WCAG 3.1.2), and any
    attribute that swallowed markup (a ``lang`` span belongs in text, never in an attribute)."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                      "meta", "source", "track", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.unmarked: list[str] = []
        self.broken: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.broken += [f"{tag} {k}={v!r}" for k, v in attrs.items() if v and "<span" in v]
        if tag not in self.VOID:
            self.stack.append((tag, attrs.get("lang")))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        langs = [lang for _, lang in self.stack if lang]
        inside = langs[-1] if langs else None
        # <title> holds text only, no spans: the page's own title in it stays unmarked.
        skipped = any(t in ("script", "style", "title") for t, _ in self.stack)
        if inside != "ka" and GEORGIAN.search(data) and not skipped:
            self.unmarked.append(data.strip()[:60])


def _public_pages(a) -> list[str]:
    return ["/", "/poti/", "/abasha/", "/poti/tour/", "/poti/sessions/",
            f"/poti/sessions/{a.session.id}?t=190", f"/poti/sessions/recordings/{a.lone.id}",
            "/poti/sessions/bodies/", "/poti/sessions/bodies/sakrebulo",
            "/poti/sessions/members/", "/poti/sessions/members/nino",
            "/poti/sessions/search?q=წყალარ", "/search?q=წყალარ"]


def test_georgian_only_text_on_english_pages_is_marked_lang_ka(client, archives, poti):
    a = archives["poti"]
    with tenant_context(poti):
        composition.add_membership(a.member, a.body, starts_on=date(2024, 1, 1), role="მდივანი")
        db.session.commit()
    client.set_cookie("lang", "en")
    problems = {}
    for url in _public_pages(a):
        response = client.get(url)
        assert response.status_code == 200, url
        parser = _GeorgianOutsideKa()
        parser.feed(response.text)
        if parser.unmarked or parser.broken:
            problems[url] = parser.unmarked + parser.broken
    assert not problems, problems


def test_georgian_pages_carry_no_lang_spans(client, archives):
    html = client.get(f"/poti/sessions/{archives['poti'].session.id}").text
    assert 'lang="ka"' not in html.replace('<html lang="ka">', "")


def test_a_live_session_is_not_also_listed_as_upcoming(client, archives, poti):
    a = archives["poti"]
    with tenant_context(poti):
        soon = services.create_session(a.body, "პირდაპირი სხდომა", datetime.now(UTC) + timedelta(minutes=5))
        db.session.add(Recording(source="youtube", external_id="live1", url="https://www.youtube.com/watch?v=l",
                                 title="ეთერი", session_id=soon.id, live_status="live",
                                 published_at=datetime.now(UTC)))
        db.session.commit()
    for url, section in (("/poti/sessions/", 'id="upcoming"'), ("/poti/", 'id="upcoming-sessions"')):
        html = client.get(url).text
        assert html.count("პირდაპირი სხდომა") == 1, url  # in the live banner only
        upcoming = html.split(section, 1)[1].split("</section>", 1)[0] if section in html else ""
        assert "პირდაპირი სხდომა" not in upcoming, url
    # The calendar still has it: it is on today, whatever the stream does.
    assert "პირდაპირი სხდომა" in client.get("/poti/sessions/calendar.ics").text


def _committee_chair(archive, tenant):
    with tenant_context(tenant):
        composition.add_membership(archive.member, archive.committee, starts_on=date(2024, 1, 1),
                                   role="კომისიის  თავმჯდომარე")
        db.session.commit()


def test_usual_seat_roles_are_in_english_on_english_pages(client, archives, poti):
    _committee_chair(archives["poti"], poti)
    client.set_cookie("lang", "en")
    for url in ("/poti/sessions/members/nino", "/poti/sessions/members/"):
        html = client.get(url).text
        assert "(Committee chair)" in html and "თავმჯდომარე" not in html, url


def test_seat_roles_stay_georgian_on_georgian_pages(client, archives, poti):
    _committee_chair(archives["poti"], poti)
    assert "(კომისიის თავმჯდომარე)" in client.get("/poti/sessions/members/nino").text
