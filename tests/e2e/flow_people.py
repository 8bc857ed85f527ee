"""The people of the whole-flow browser tests: each a Chromium context of their own (cookies,
JavaScript on or off, their language picked with the page's switch), who click and type like a
person, read their mail from the local SMTP server, and check every page they are shown with
axe-core in both languages.

axe runs inside the page, which a context without JavaScript cannot do: there the page's HTML
as the person received it is opened in a second context that has JavaScript (same cookies, same
URL), and checked there.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pyotp
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from tests.e2e.browser import (
    DESKTOP,
    WATCH_SCRIPT,
    Watch,
    axe_problems,
    click_and_load,
    keep_offline,
)
from tests.e2e.flow_site import FlowSite, Mail
from tests.staff_fixtures import PASSWORD

#: Chromium logs an answer of 422 (a form with errors, under htmx) as a failed load.
EXPECTED_CONSOLE = ("status of 422",)
HTMX_BUSY = "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')"


def tr(app, lang: str, msgid: str) -> str:
    """``msgid`` in ``lang``, from the portal's own catalogues."""
    with app.test_request_context(), force_locale(lang):
        return gettext(msgid)


class Person:
    def __init__(self, site: FlowSite, chromium, slug: str, lang: str, js: bool, email: str):
        self.site, self.chromium = site, chromium
        self.slug, self.lang, self.js, self.email = slug, lang, js, email
        self.context = chromium.new_context(java_script_enabled=js, viewport=DESKTOP,
                                            base_url=site.url)
        self.context.route("**/*", keep_offline)
        self.context.add_init_script(WATCH_SCRIPT)
        self.page = self.context.new_page()
        self.watch = Watch()
        self.watch.attach(self.page)
        self.page.goto(f"/{slug}/")
        if lang == "en":
            click_and_load(self.page, self.page.get_by_role("button", name="English"))
        assert self.page.locator("html").get_attribute("lang") == lang

    # -- words and mail
    def t(self, msgid: str) -> str:
        return tr(self.site.app, self.lang, msgid)

    def mail(self, msgid: str, count: int = 1) -> list[Mail]:
        """Messages answering this person's own request (a sign-in link, a signature to
        confirm): in the language they were using."""
        return self._mail(msgid, self.lang, count)

    def notices(self, msgid: str, count: int = 1, lang: str | None = None) -> list[Mail]:
        """A petition's status notices: in this person's language (the one they signed in,
        or last used signed in); ``lang`` for one sent before they had one (the
        municipality's, Georgian)."""
        return self._mail(msgid, lang or self.lang, count)

    def _mail(self, msgid: str, lang: str, count: int) -> list[Mail]:
        found = self.site.wait_for_mail(self.email, tr(self.site.app, lang, msgid), count=count)
        assert {m.language for m in found} == {lang}, [m.language for m in found]
        return found

    def mails(self) -> list[Mail]:
        return [m for m in self.site.mails() if m.to == self.email]

    # -- moving about
    def go(self, path: str) -> None:
        self.page.goto(path)
        self.check()

    def follow(self, link, url: str) -> None:
        link.click()
        self.page.wait_for_url(url)
        self._settle()
        self.check()

    def submit(self, button, url: str | None = None, *, selector: str | None = None) -> None:
        """Press a form's button and wait for the answer: a new document without JavaScript,
        the htmx request's end with it; then for ``url`` and ``selector``."""
        if self.js:
            with self.page.expect_response(lambda r: r.request.method == "POST"):
                button.click()
        else:
            with self.page.expect_navigation():
                button.click()
        if url:
            self.page.wait_for_url(url)
        if selector:
            self.page.locator(selector).first.wait_for()
        self._settle()
        self.check()

    def _settle(self) -> None:
        self.page.wait_for_load_state()
        if self.js:
            self.page.wait_for_function(HTMX_BUSY)

    # -- checks
    def check(self) -> None:
        """axe finds nothing in either language; no console error, uncaught exception or CSP
        report."""
        if self._seen_before():
            return
        problems = axe_problems(self.page) if self.js else self._axe_without_js()
        assert problems == [], "\n".join(problems)
        reported = self.watch.problems(self.page, allow=EXPECTED_CONSOLE)
        assert reported == [], f"{self.page.url}: {reported}"

    def _seen_before(self) -> bool:
        """Whether a page of the same kind and shape was checked already (the confirmation link
        opened three times, the clerk's page after each mark): axe takes seconds a page."""
        html = self.page.content()
        shape = (re.sub(r"\d+", "N", urlsplit(self.page.url).path), self.lang, self.js,
                 frozenset(re.sub(r"\d+", "N", i) for i in re.findall(r'\sid="([^"]+)"', html)),
                 *(marker in html for marker in ('class="flash', 'class="error', 'role="status"')))
        if shape in self.site.checked:
            return True
        self.site.checked.add(shape)
        return False

    def _axe_without_js(self) -> list[str]:
        html, url = self.page.content(), self.page.url.split("#")[0]
        inspector = self.chromium.new_context(viewport=DESKTOP)
        try:
            inspector.add_cookies(self.context.cookies())
            inspector.route("**/*", keep_offline)
            page = inspector.new_page()
            page.route(url, lambda route: route.fulfill(
                status=200, content_type="text/html; charset=utf-8", body=html))
            page.goto(url)
            page.unroute(url)
            return axe_problems(page)
        finally:
            inspector.close()

    def shot(self, name: str) -> None:
        # caret="initial": hiding the caret leaves style="" on inputs, which htmx would copy
        # on its next swap (a CSP report; see tests/e2e/browser.py's screenshot).
        self.page.screenshot(path=f"/tmp/{name}.png", full_page=True, caret="initial")

    def close(self) -> None:
        self.context.close()


class Citizen(Person):
    def sign_in_with_link(self) -> None:
        """From the petitions list's "Write a petition" to the e-mail link form, the mail, the
        link's page and its button: signed in, and back at the petition form."""
        self.go(f"/{self.slug}/petitions/")
        self.follow(self.page.get_by_role("link", name=self.t("Write a petition")),
                    re.compile(r"/accounts/link\?next="))
        self.page.fill("input[name=email]", self.email)
        self.submit(self.page.locator("#email-form button[type=submit]"),
                    selector=f"h1:text-is('{self.t('Check your e-mail')}')")
        [mail] = self.mail("Your sign-in link")
        self.go(mail.link(r"/accounts/link/"))
        self.submit(self.page.get_by_role("button", name=self.t("Sign in to the portal")),
                    "**/petitions/mine/new")
        expect(self.page.locator("h1")).to_have_text(self.t("Write a petition"))


    def give_author_details(self, phone: str, personal_number: str) -> None:
        """From the petition form's note to the author details, then the phone's code from
        the SMS the provider received: ready to send petitions for moderation."""
        page = self.page
        self.follow(page.get_by_role("link", name=self.t(
            "Fill in your author details and confirm your phone")), "**/petitions/mine/profile")
        page.fill("#first_name", "ნინო")
        page.fill("#last_name", "ბერიძე")
        page.fill("#birth_date", "1980-05-17")
        page.fill("#personal_number", personal_number)
        page.fill("#phone", phone)
        self.submit(page.locator("#profile-form button[type=submit]"), "**/mine/profile/phone")
        text = self.site.wait_for_sms("995" + re.sub(r"\D", "", phone))
        page.fill("#code", re.search(r"\d{6}", text).group(0))
        self.submit(page.locator("#code-form button[type=submit]"), "**/petitions/mine/")
        expect(page.locator(".flash")).to_contain_text(self.t(
            "Your phone is confirmed. You can send petitions for moderation."))


class Staff(Person):
    def __init__(self, site: FlowSite, chromium, slug: str, lang: str, js: bool, roles):
        self.user = site.staff(roles, slug)
        super().__init__(site, chromium, slug, lang, js, self.user.email)

    def sign_in(self) -> None:
        """Password, then the authenticator's code: the dashboard."""
        self.go(f"/{self.slug}/accounts/sign-in")
        self.page.fill("input[name=email]", self.email)
        self.page.fill("input[name=password]", PASSWORD)
        self.submit(self.page.locator("#sign-in-form button[type=submit]"),
                    "**/accounts/two-factor")
        self.page.fill("input[name=code]", pyotp.TOTP(self.user.totp_secret).now())
        self.submit(self.page.locator("#code-form button[type=submit]"), f"**/{self.slug}/admin/")
