"""A petition's whole life in headless Chromium, done by people through the browser only:
a citizen signs in with the e-mail link and writes a petition; a moderator (two-factor sign-in)
asks for changes, then publishes; citizens sign and confirm from the e-mailed link; the clerk
records the voter count, adds paper sheets, sees the threshold reached after the counting job,
checks a sample, puts the petition on the agenda and records the decision; the public page shows
the timeline and the followers are e-mailed. A second petition is rejected with a reason that
the public page shows.

Everything runs on one live portal (tests/e2e/flow_site.py) whose real job worker delivers the
mail to a local SMTP server: every link a person follows comes from a message that server
received. Both municipalities, both languages, JavaScript on and off; axe-core finds nothing on
any page visited (tests/e2e/flow_people.py). SQLite by default, PostgreSQL with
``TEST_DATABASE_URL``.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.e2e.flow_people import Citizen, Staff
from tests.e2e.flow_site import FlowSite, flow_site

pytestmark = [pytest.mark.browser, pytest.mark.no_db_rollback]

#: Registered voters the clerk records: the threshold is 1% of it, so three signatures.
VOTERS = 300
_numbers = itertools.count(1)
#: The authors' mobile phones, where the confirmation code is texted.
PHONES = {"poti": "555 10 10 01", "abasha": "555 10 10 02"}


def archive_session(site: FlowSite, slug: str) -> int:
    """A held session in the municipality's council archive, for the agenda to name."""
    from portal.tenancy import get_directory
    from tests.sessions.admin.factories import make_session

    with site.app.app_context():
        tenant = get_directory(site.app).by_slug(slug)
    return make_session(site.app, tenant, status="held")


def personal_number() -> str:
    return f"{61_000_000_000 + next(_numbers):011d}"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with flow_site(tmp_path_factory.mktemp("flow")) as running:
        yield running


# -- the steps, each as the person who takes it ---------------------------------------------

def write_petition(author: Citizen, title: str) -> int:
    """From the petitions list to "sent for moderation"; returns the petition's id."""
    author.go(f"/{author.slug}/petitions/")
    author.follow(author.page.get_by_role("link", name=author.t("Write a petition")),
                  "**/petitions/mine/new")
    page = author.page
    page.fill("#title", title)
    page.fill("#text", "ქუჩაში სინათლე არ არის.\n\nღამით სიარული სახიფათოა.")
    page.fill("#requested_action", "დაამონტაჟოს ლამპიონები.")
    author.submit(page.get_by_role("button", name=author.t("Send for moderation")),
                  "**/petitions/mine/")
    expect(page.locator(".flash")).to_contain_text(
        author.t("Your petition is sent for moderation; you will hear by e-mail."))
    link = page.get_by_role("link", name=title)
    return int(link.get_attribute("href").rstrip("/").rsplit("/", 1)[1])


def moderate(moderator: Staff, petition_id: int, action: str, **fields) -> None:
    """The moderator's answer on the review page: ``changes``, ``publish`` or ``reject``."""
    slug = moderator.slug
    moderator.go(f"/{slug}/admin/petitions/moderation/")
    moderator.follow(moderator.page.locator(
        f"a[href='/{slug}/admin/petitions/moderation/{petition_id}']"),
        f"**/moderation/{petition_id}")
    form = moderator.page.locator(f"#{action}-form")
    for name, value in fields.items():
        control = form.locator(f"[name={name}]")
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    moderator.submit(form.locator("button[type=submit]"), "**/moderation/")
    expect(moderator.page.locator(".flash")).to_be_visible()


def open_sign_form(signer: Citizen, petition_id: int) -> None:
    """The petition's page holds no form (so a cache in front may keep it): its "Sign this
    petition" button opens the form in place under htmx, as a page of its own without."""
    page = signer.page
    signer.go(f"/{signer.slug}/petitions/{petition_id}")
    expect(page.locator("#sign form")).to_have_count(0)
    link = page.get_by_role("link", name=signer.t("Sign this petition"))
    if signer.js:
        with page.expect_response(lambda r: r.url.endswith("/sign")):
            link.click()
    else:
        with page.expect_navigation():
            link.click()
    page.locator("#sign form").wait_for()
    if signer.js:  # htmx focuses the swapped form's autofocus field; without JavaScript the
        # page opens at #sign, and a page opened at a fragment runs no autofocus (HTML spec)
        expect(page.locator("#full_name")).to_be_focused()
    signer.check()


def sign(signer: Citizen, petition_id: int, number: str, *, outcome: bool = False) -> None:
    """Sign on the petition's page (an empty try first: the errors show in place), then confirm
    from the e-mailed link: three GETs change nothing, the button does."""
    page = signer.page
    open_sign_form(signer, petition_id)
    signer.submit(page.locator("#sign button[type=submit]"), selector="#sign .error")
    signer.shot(f"sign-errors-{signer.slug}-{signer.lang}-{'js' if signer.js else 'nojs'}")
    page.fill("#full_name", "ნინო ბერიძე")
    page.fill("#personal_number", number)
    page.fill("#email", signer.email)
    page.check("#consent")
    if outcome:
        page.check("#wants_outcome")
    signer.submit(page.locator("#sign button[type=submit]"), "**/signed")
    [mail] = signer.mail("Confirm your signature")
    link = mail.link(r"/petitions/confirm/")
    for _ in range(3):  # a mail scanner's fetches confirm nothing
        signer.go(link)
    button = page.get_by_role("button", name=signer.t("Confirm my signature"))
    expect(button).to_have_count(1)
    signer.submit(button, selector="main [role=status]")
    expect(page.locator("main [role=status]")).to_have_text(signer.t(
        "Thank you: your signature is confirmed. It joins the public count within a minute."))


def sign_again(signer: Citizen, petition_id: int, number: str) -> None:
    """The same personal number once more: the form says so, in the signer's language."""
    page = signer.page
    open_sign_form(signer, petition_id)
    page.fill("#full_name", "ნინო ბერიძე")
    page.fill("#personal_number", number)
    page.fill("#email", signer.email)
    page.check("#consent")
    signer.submit(page.locator("#sign button[type=submit]"), selector="#sign .error")
    expect(page.locator("#sign")).to_contain_text(signer.t(
        "This personal number has already signed this petition; each person signs once."))


def set_voter_count(clerk: Staff) -> None:
    clerk.go(f"/{clerk.slug}/admin/petitions/voters")
    clerk.page.fill("#voters-form input[name=voters]", str(VOTERS))
    clerk.page.fill("#voters-form input[name=counted_on]", date.today().isoformat())
    clerk.submit(clerk.page.locator("#voters-form button[type=submit]"), selector=".flash")


def add_paper_and_count(site: FlowSite, clerk: Staff, petition_id: int, numbers: list[str]):
    """Paper sheets while collecting; the counting job (queued as the schedule does) then
    finds the threshold reached and submits the petition."""
    page = clerk.page
    clerk.go(f"/{clerk.slug}/admin/petitions/{petition_id}")
    page.fill("textarea[name=rows]", "\n".join(f"{n}, ნათია კაპანაძე" for n in numbers))
    clerk.submit(page.get_by_role("button", name=clerk.t("Add the signatures")),
                 selector=".flash")
    site.run_job("count_signatures", clerk.slug)
    clerk.go(f"/{clerk.slug}/admin/petitions/?status=submitted")
    clerk.follow(page.locator(f"a[href='/{clerk.slug}/admin/petitions/{petition_id}']"),
                 f"**/admin/petitions/{petition_id}")
    expect(page.locator("main")).to_contain_text(clerk.t("Put on the Sakrebulo's agenda"))


def check_sample(clerk: Staff) -> None:
    """Draw every signature with a fixed seed and find each on the voter list."""
    page = clerk.page
    page.fill("input[name=percent]", "100")
    page.fill("input[name=seed]", "7")
    clerk.submit(page.get_by_role("button", name=clerk.t("Draw the sample")),
                 selector="#sample tbody tr")
    rows = page.locator("#sample tbody tr")
    for i in range(rows.count()):
        clerk.submit(rows.nth(i).locator("button").first, selector=".flash")
        expect(rows.nth(i).locator("td").nth(2)).to_have_text(clerk.t("valid"))
    expect(page.locator("#sample .callout")).to_contain_text(
        clerk.t("The threshold is reached with 95%% confidence.").replace("%%", "%"))


def sakrebulo_steps(clerk: Staff, session_id: int, decision: str) -> None:
    """On the agenda of an archive session, then decided at it, on the clerk's petition page
    (the one place to adapt when these forms change)."""
    page = clerk.page
    page.select_option("#agenda-form select[name=session]", str(session_id))
    clerk.submit(page.get_by_role("button", name=clerk.t("Put on the agenda")), selector=".flash")
    expect(page.locator("#decision-session")).to_have_value(str(session_id))
    page.fill("#decision-form textarea[name=decision]", decision)
    clerk.submit(page.get_by_role("button", name=clerk.t("Record the decision")),
                 selector=".flash")
    expect(page.locator("#decision-form")).to_have_count(0)


# -- the tests ---------------------------------------------------------------------------------

FULL = [("poti", "ka", True), ("abasha", "en", False)]


@pytest.mark.parametrize(("slug", "lang", "js"), FULL,
                         ids=[f"{s}-{lang}-{'js' if js else 'nojs'}" for s, lang, js in FULL])
def test_whole_flow(site, chromium, slug, lang, js):
    session_id = archive_session(site, slug)
    moderator = Staff(site, chromium, slug, lang, js, ["moderator"])
    clerk = Staff(site, chromium, slug, lang, js, ["clerk"])
    author = Citizen(site, chromium, slug, lang, js, f"author-{slug}@example.ge")
    clerk.sign_in()
    set_voter_count(clerk)
    author.sign_in_with_link()
    author.give_author_details(PHONES[slug], personal_number())

    title = f"განათება ({slug}, {lang})"
    petition_id = write_petition(author, title)
    moderator.notices("A petition awaits moderation", lang="ka")  # not signed in yet: Georgian
    moderator.sign_in()
    note = "მიუთითეთ, რომელ ქუჩას ეხება."
    moderator.shot(f"flow-{slug}-{lang}-dashboard")
    moderate(moderator, petition_id, "changes", note=note)
    [asked] = author.notices("Your petition needs changes")
    assert note in asked.text

    author.go(asked.link(rf"/petitions/mine/{petition_id}$"))  # the mail's link
    expect(author.page.locator("[role=note]", has_text=note)).to_have_count(1)
    author.shot(f"flow-{slug}-{lang}-changes")
    author.page.fill("#text", "რუსთაველის ქუჩაზე სინათლე არ არის.")
    author.submit(author.page.get_by_role("button", name=author.t("Send for moderation")),
                  "**/petitions/mine/")
    # Signed in since: in the moderator's language (the first was Georgian).
    moderator.notices("A petition awaits moderation", count=2 if lang == "ka" else 1)
    moderate(moderator, petition_id, "publish")
    author.notices("Your petition is published")

    first, second = personal_number(), personal_number()
    follower = Citizen(site, chromium, slug, lang, js, f"follower-{slug}@example.ge")
    sign(follower, petition_id, first, outcome=True)
    other = Citizen(site, chromium, slug, lang, js, f"second-{slug}@example.ge")
    sign(other, petition_id, second)
    sign_again(follower, petition_id, first)

    clerk.go(f"/{slug}/admin/petitions/")
    add_paper_and_count(site, clerk, petition_id, [personal_number(), personal_number()])
    clerk.notices("A petition reached its threshold")
    follower.notices("A petition reached its threshold")
    check_sample(clerk)
    clerk.shot(f"flow-{slug}-{lang}-sample")
    sakrebulo_steps(clerk, session_id, "საკრებულომ დააკმაყოფილა.")

    follower.go(f"/{slug}/petitions/{petition_id}")
    timeline = follower.page.locator("#timeline-title + ol")
    for step in ("Collecting signatures", "Submitted to the Sakrebulo",
                 "On the Sakrebulo's agenda", "Decided"):
        expect(timeline).to_contain_text(follower.t(step))
    expect(timeline).to_contain_text("საკრებულომ დააკმაყოფილა.")
    expect(follower.page.locator(
        f"section.petition-sakrebulo a[href='/{slug}/sessions/{session_id}']")).to_have_count(1)
    expect(follower.page.locator("main")).not_to_contain_text(note)  # the note was the author's
    author.notices("A petition reached its threshold")
    author.notices("News of a petition", count=2)  # on the agenda, decided
    follower.notices("News of a petition", count=2)
    follower.shot(f"flow-{slug}-{lang}-decided")

    rejected = write_petition(author, f"უარყოფილი ({slug}, {lang})")
    moderate(moderator, rejected, "reject", reason="outside_competence", note="ეს არ ეხება.")
    [refusal] = author.notices("Your petition was not published")
    reason = author.t("Outside the Sakrebulo's competence")
    assert reason in refusal.text
    author.go(f"/{slug}/petitions/{rejected}")
    expect(author.page.locator("[role=note]")).to_contain_text(author.t(
        "Outside the Sakrebulo's competence"))
    author.shot(f"flow-{slug}-{lang}-rejected")
    for person in (moderator, clerk, author, follower, other):
        person.close()


PUBLIC = [("poti", "ka", True), ("poti", "en", False), ("abasha", "ka", False),
          ("abasha", "en", True)]


@pytest.mark.parametrize(("slug", "lang", "js"), PUBLIC,
                         ids=[f"{s}-{lang}-{'js' if js else 'nojs'}" for s, lang, js in PUBLIC])
def test_public_steps(site, chromium, slug, lang, js):
    """From the list to a confirmed signature and a refused second one, in each municipality
    and language, with and without JavaScript (the petition is published beforehand)."""
    from portal.tenancy import get_directory
    from tests.petitions.admin_factories import make_petition

    with site.app.app_context():
        tenant = get_directory(site.app).by_slug(slug)
    title = f"ნაგვის ურნები ({lang}, {'js' if js else 'nojs'})"
    petition_id = make_petition(site.app, tenant, status="collecting", title=title)
    signer = Citizen(site, chromium, slug, lang, js, f"public-{slug}-{lang}-{js}@example.ge")
    signer.go(f"/{slug}/petitions/")
    signer.follow(signer.page.get_by_role("link", name=title), f"**/petitions/{petition_id}")
    number = personal_number()
    sign(signer, petition_id, number)
    sign_again(signer, petition_id, number)
    signer.close()
