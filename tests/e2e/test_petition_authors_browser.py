"""The author's side of a petition in headless Chromium: sign in with the e-mail link, fill in
the author details, confirm the phone with the SMS code, write a petition with an attachment,
a co-sponsor joins by the private link, and the petition goes to the moderators; zero axe
violations on every new page in Georgian and English. Without JavaScript: the details and the
code (the view tests post every form as a browser without JavaScript does)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.e2e.browser import axe_problems, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.no_db_rollback]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _context(chromium, js=True):
    context = chromium.new_context(java_script_enabled=js)
    context.route("**/*", lambda route: route.abort() if not route.request.url.startswith(
        "http://127.0.0.1") else route.continue_())
    return context


def _newest(live_app, channel: str, to: str | None = None) -> str:
    """The text of the newest message on ``channel`` (to ``to``), its secret put back, as the
    delivery worker would hand it to the mail server or the SMS provider."""
    from sqlalchemy import select

    from portal.delivery.models import OutboxMessage
    from portal.delivery.sealing import reveal
    from portal.extensions import db
    from portal.tenancy import all_tenants

    with live_app.app_context(), all_tenants():
        statement = select(OutboxMessage).where(OutboxMessage.channel == channel)
        if to is not None:
            statement = statement.where(OutboxMessage.recipient == to)
        message = db.session.scalars(statement.order_by(OutboxMessage.id.desc())).first()
        return reveal(message.body_text, message.secret_sealed)


def _on_live(url: str, live_url: str) -> str:
    """A link from a message (the municipality's own domain) as a path on the live server."""
    path = urlsplit(url).path
    return live_url + (path if path.startswith("/poti/") else "/poti" + path)


def _sign_in(page, live_app, live_url, email: str) -> None:
    page.goto(f"{live_url}/poti/accounts/link", wait_until="domcontentloaded")
    page.fill("input[name=email]", email)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    link = re.search(r"https?://\S+/accounts/link/\S+", _newest(live_app, "email", email)).group(0)
    page.goto(_on_live(link, live_url), wait_until="domcontentloaded")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/me")


def test_author_details_phone_code_petition_cosponsor_and_submission(
        chromium, live_app, live_url, tmp_path):
    context = _context(chromium)
    page = context.new_page()
    _sign_in(page, live_app, live_url, "browser-author@example.ge")

    page.goto(f"{live_url}/poti/petitions/mine/new", wait_until="domcontentloaded")
    assert page.locator("a[href='/poti/petitions/mine/profile']").count() >= 1
    page.locator(".callout a[href='/poti/petitions/mine/profile']").click()
    page.wait_for_url("**/petitions/mine/profile")
    assert axe_problems(page) == []
    page.locator("#profile-form button[type=submit]").click()  # empty: errors beside fields
    page.wait_for_selector("#first_name-error")
    assert axe_problems(page) == []
    page.fill("#first_name", "ნინო")
    page.fill("#last_name", "ბერიძე")
    page.fill("#birth_date", "1990-05-01")
    page.fill("#personal_number", "01001076543")
    page.fill("#phone", "555 77 66 55")
    page.locator("#profile-form button[type=submit]").click()
    page.wait_for_url("**/petitions/mine/profile/phone")
    assert axe_problems(page) == []
    screenshot(page, "petition-author-phone")

    page.fill("#code", "12345x")
    page.locator("#code-form button[type=submit]").click()
    page.wait_for_selector("#code-error")
    assert axe_problems(page) == []
    code = re.search(r"\d{6}", _newest(live_app, "sms", "995555776655")).group(0)
    page.fill("#code", code)
    page.locator("#code-form button[type=submit]").click()
    page.wait_for_url("**/petitions/mine/")

    page.goto(f"{live_url}/poti/petitions/mine/new", wait_until="domcontentloaded")
    assert page.locator(".callout a[href='/poti/petitions/mine/profile']").count() == 0
    assert axe_problems(page) == []
    attachment = tmp_path / "გეგმა.pdf"
    attachment.write_bytes(PDF)
    page.fill("#title", "ველობილიკი ნაბადაში")
    page.fill("#text", "ნაბადაში ველოსიპედისტებს ბილიკი არ აქვთ.")
    page.fill("#requested_action", "საკრებულომ განიხილოს ველობილიკის მოწყობა.")
    page.set_input_files("#attachment", str(attachment))
    page.locator("button[name=action][value=draft]").click()
    page.wait_for_url(re.compile(r".*/petitions/mine/\d+$"))
    assert "გეგმა.pdf" in page.content()
    assert axe_problems(page) == []

    page.locator("#cosponsors form button[type=submit]").first.click()
    page.wait_for_selector("#join-link")
    assert axe_problems(page) == []
    screenshot(page, "petition-author-cosponsors")
    join = _on_live(page.input_value("#join-link"), live_url)
    edit_url = page.url.split("#", 1)[0]

    friend = _context(chromium)  # axe needs JavaScript to run
    friend_page = friend.new_page()
    _sign_in(friend_page, live_app, live_url, "browser-friend@example.ge")
    friend_page.goto(join, wait_until="domcontentloaded")
    assert "ველობილიკი ნაბადაში" in friend_page.content()
    assert axe_problems(friend_page) == []
    friend_page.fill("#full_name", "გიორგი ხუბუა")
    friend_page.locator("#join-form button[type=submit]").click()
    friend_page.wait_for_selector("main [role=status]")
    assert axe_problems(friend_page) == []
    friend.close()

    page.goto(edit_url, wait_until="domcontentloaded")
    assert "გიორგი ხუბუა" in page.locator("#cosponsors").inner_text()
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_url("**/petitions/mine/")
    assert page.locator(".flash").count() == 1
    page.goto(edit_url, wait_until="domcontentloaded")
    assert page.locator("#petition-form").count() == 0  # with the moderators now
    context.close()


def test_author_details_work_without_javascript(chromium, live_app, live_url):
    context = _context(chromium, js=False)
    page = context.new_page()
    _sign_in(page, live_app, live_url, "browser-nojs@example.ge")
    page.goto(f"{live_url}/poti/petitions/mine/profile", wait_until="domcontentloaded")
    page.fill("#first_name", "თამარ")
    page.fill("#last_name", "გოგუა")
    page.fill("#birth_date", "2015-01-01")  # a child: refused beside the field
    page.fill("#personal_number", "01001011111")
    page.fill("#phone", "555 11 11 11")
    page.locator("#profile-form button[type=submit]").click()
    page.wait_for_selector("#birth_date-error")
    page.fill("#birth_date", "1980-01-01")
    page.fill("#personal_number", "01001011111")
    page.locator("#profile-form button[type=submit]").click()
    page.wait_for_url("**/petitions/mine/profile/phone")
    page.locator("#resend-form button[type=submit]").click()
    page.wait_for_selector(".flash")
    code = re.search(r"\d{6}", _newest(live_app, "sms", "995555111111")).group(0)
    page.fill("#code", code)
    page.locator("#code-form button[type=submit]").click()
    page.wait_for_url("**/petitions/mine/")
    context.close()
