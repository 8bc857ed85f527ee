"""The petition at the Sakrebulo in headless Chromium, on the demo content: the clerk (password
and TOTP) puts a submitted petition on a session's agenda and records the decision with a line
of that session's transcript (choosing another session loads its lines through htmx); then
the petition's page links the session and the moment, and the session's page links back, with
JavaScript on and off; axe finds nothing in Georgian or English."""

from __future__ import annotations

import pytest

from tests.e2e.admin.test_admin import sign_in
from tests.e2e.browser import axe_problems, click_and_load, keep_offline, screenshot
from tests.petitions.admin_factories import make_petition
from tests.staff_fixtures import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.no_db_rollback]

AGENDA_SESSION = "საკრებულოს მე-14 სხდომა"
OTHER_SESSION = "საკრებულოს მე-13 სხდომა"
LINE_WORDS = "პეტიციის საფუძველზე"
TITLE = "ნავსადგურის ქუჩის ტროტუარი"


def _sessions(live_app) -> dict[str, int]:
    from portal.blueprints.sessions import links
    from portal.tenancy import get_directory, tenant_context

    with live_app.test_request_context("/poti/"), tenant_context(
            get_directory(live_app).by_slug("poti")):
        return {s.title: s.id for s in links.session_choices()}


def _context(chromium, live_url, js=True):
    context = chromium.new_context(java_script_enabled=js, base_url=live_url,
                                   viewport={"width": 1280, "height": 800})
    context.route("**/*", keep_offline)
    return context


def _option_value(page, select: str, words: str) -> str:
    return page.locator(f"{select} option", has_text=words).first.get_attribute("value")


def _clerk_decides(chromium, live_app, live_url, sessions) -> int:
    from portal.tenancy import get_directory

    poti = get_directory(live_app).by_slug("poti")
    pid = make_petition(live_app, poti, status="submitted", title=TITLE)
    clerk = make_staff(live_app, poti, ["clerk"], email="clerk-e2e-sessions@example.org")
    context = _context(chromium, live_url)
    page = context.new_page()
    sign_in(page, clerk)
    page.goto(f"/poti/admin/petitions/{pid}")
    assert axe_problems(page) == []
    page.select_option("#agenda-form select[name=session]", str(sessions[AGENDA_SESSION]))
    page.click("#agenda-form button[type=submit]")
    page.locator(".flash").wait_for()
    assert page.locator("#decision-session").input_value() == str(sessions[AGENDA_SESSION])
    assert page.locator("#decision-segment option", has_text=LINE_WORDS).count() == 1
    # Another session: its lines come in place of these (htmx), and back again.
    page.wait_for_function("() => window.htmx !== undefined")
    page.select_option("#decision-session", str(sessions[OTHER_SESSION]))
    page.locator("#decision-segment option", has_text="მეცამეტე სხდომა").wait_for(state="attached")
    assert page.locator("#decision-segment option", has_text=LINE_WORDS).count() == 0
    page.select_option("#decision-session", str(sessions[AGENDA_SESSION]))
    page.locator("#decision-segment option", has_text=LINE_WORDS).wait_for(state="attached")
    # A time beyond the recording is refused on its field, nothing recorded.
    page.fill("#decision-form textarea[name=decision]", "საკრებულომ მხარი დაუჭირა")
    page.fill("#decision-time", "9:00:00")
    page.click("#decision-form button[type=submit]")
    page.locator("#decision-time-error").wait_for()
    assert axe_problems(page) == []
    screenshot(page, "petition-clerk-decision-form")
    page.fill("#decision-time", "")
    page.select_option("#decision-segment", _option_value(page, "#decision-segment", LINE_WORDS))
    page.click("#decision-form button[type=submit]")
    page.locator(".flash").wait_for()
    assert page.locator("#decision-form").count() == 0  # decided: no more steps
    assert "განხილვის ნახვა" in page.locator("section.petition-sakrebulo").inner_text()
    screenshot(page, "petition-clerk-decided")
    context.close()
    return pid


def _follow(page, link, url: str, *, js: bool) -> None:
    """Follow a link: a boosted one (htmx swaps the page and pushes the URL), or without
    JavaScript a new document."""
    if js:
        link.click()
    else:
        click_and_load(page, link)
    page.wait_for_url(url)


def _public_pages(chromium, live_url, pid, session_id, *, js: bool) -> None:
    context = _context(chromium, live_url, js=js)
    page = context.new_page()
    page.goto(f"/poti/petitions/{pid}", wait_until="domcontentloaded")
    section = page.locator("section.petition-sakrebulo")
    assert AGENDA_SESSION in section.inner_text() and "საკრებულომ მხარი დაუჭირა" in section.inner_text()
    assert section.locator(f"a[href='/poti/sessions/{session_id}']").count() == 1
    watch = section.locator("a", has_text="განხილვის ნახვა")
    assert watch.get_attribute("href").startswith(f"/poti/sessions/{session_id}?recording=")
    assert "t=1313#player" in watch.get_attribute("href")
    if js:
        assert axe_problems(page) == []
        screenshot(page, "petition-at-sakrebulo")
    _follow(page, watch, f"**/poti/sessions/{session_id}?*t=1313*", js=js)
    page.locator("#player iframe").wait_for(state="attached")
    assert "start=1313" in page.locator("#player iframe").get_attribute("src")
    back = page.locator("#back-links-petitions")
    assert back.inner_text() == "ამ სხდომაზე განხილული პეტიციები"
    link = page.locator(f"section[aria-labelledby=back-links-petitions] a[href='/poti/petitions/{pid}']")
    assert link.inner_text() == TITLE
    if js:
        assert axe_problems(page) == []
        screenshot(page, "session-back-links")
    _follow(page, link, f"**/poti/petitions/{pid}", js=js)
    page.locator("section.petition-sakrebulo").wait_for()
    context.close()


def test_clerk_links_a_petition_to_a_session_and_both_pages_link(chromium, live_app, live_url):
    sessions = _sessions(live_app)
    pid = _clerk_decides(chromium, live_app, live_url, sessions)
    for js in (True, False):
        _public_pages(chromium, live_url, pid, sessions[AGENDA_SESSION], js=js)
