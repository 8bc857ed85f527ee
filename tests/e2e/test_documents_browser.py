"""The documents register in Chromium on the real flow site (gunicorn and the job worker):
the demo documents of Poti and Abasha found by a word that is only inside their PDF (the
archive's search index), opened and downloaded; the Atom feed parses as XML; an editor uploads
a document and a new version, whose text the worker reads. Both municipalities, Georgian and
English, JavaScript on and off; every page axe-clean (``Person.go``/``submit`` check it).
Screenshots of the list and a document's page: /work/wt/documents-list.png, -page.png."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from playwright.sync_api import expect

from portal.blueprints.documents.pdf import make_pdf
from tests.e2e.flow_people import Citizen, Staff
from tests.e2e.flow_site import flow_site

pytestmark = [pytest.mark.browser, pytest.mark.no_db_rollback]

#: A word only inside each municipality's demo budget PDF, and the document's title.
INSIDE = {"poti": ("ბულვარის", "ფოთის მუნიციპალიტეტის 2026 წლის ბიუჯეტის დამტკიცების შესახებ",
                   "On approving the 2026 budget of Poti Municipality"),
          "abasha": ("მარანის", "აბაშის მუნიციპალიტეტის 2026 წლის ბიუჯეტის დამტკიცების შესახებ",
                     "On approving the 2026 budget of Abasha Municipality")}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from portal.blueprints.documents.demo import load_demo_documents
    from portal.extensions import db

    with flow_site(tmp_path_factory.mktemp("documents")) as running:
        with running.app.app_context():
            load_demo_documents()
            db.session.commit()
        yield running


@pytest.mark.parametrize(("slug", "lang", "js"), [("poti", "ka", True), ("poti", "en", False),
                                                  ("abasha", "en", True), ("abasha", "ka", False)])
def test_documents_found_by_words_inside_a_pdf(site, chromium, slug, lang, js):
    word, title_ka, title_en = INSIDE[slug]
    title = title_ka if lang == "ka" else title_en
    visitor = Citizen(site, chromium, slug, lang, js, f"reader-{slug}-{lang}@example.ge")
    page = visitor.page
    visitor.go(f"/{slug}/documents/")
    expect(page.locator(".document-item").first).to_be_visible()
    if slug == "poti" and lang == "en" and not js:
        page.screenshot(path="/work/wt/documents-list.png", full_page=True)
    page.fill("#q", word)
    # A GET form: htmx swaps the results and pushes the URL; without JavaScript, a new page.
    visitor.follow(page.locator("#document-filters button[type=submit]"), re.compile(r"[?&]q="))
    expect(page.locator(".document-item")).to_have_count(1)
    expect(page.locator(".document-item mark").first).to_have_text(word)
    visitor.follow(page.get_by_role("link", name=title), re.compile(r"/documents/\d+$"))
    expect(page.locator("h1")).to_contain_text(title)
    if slug == "poti":
        expect(page.locator("main tbody tr")).to_have_count(2)  # the budget's two versions
        if lang == "en":
            page.screenshot(path="/work/wt/documents-page.png", full_page=True)
    with page.expect_download() as download:
        page.locator("main a.button, main a[download]").first.click()
    with open(download.value.path(), "rb") as saved:
        assert saved.read(5) == b"%PDF-"
    # Another municipality's word finds nothing here.
    other = INSIDE["abasha" if slug == "poti" else "poti"][0]
    visitor.go(f"/{slug}/documents/?q={other}")
    expect(page.locator(".document-item")).to_have_count(0)
    feed = page.request.get(f"{site.url}/{slug}/documents/documents.atom")
    root = ElementTree.fromstring(feed.body())
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert len(root.findall("{http://www.w3.org/2005/Atom}entry")) >= 3
    visitor.close()


@pytest.mark.parametrize(("slug", "lang", "js"), [("poti", "en", True), ("abasha", "ka", False)])
def test_an_editor_uploads_a_document_and_a_new_version(site, chromium, slug, lang, js):
    editor = Staff(site, chromium, slug, lang, js, ["editor"])
    editor.sign_in()
    page = editor.page
    editor.go(f"/{slug}/admin/documents/new")
    title = f"ბრაუზერის ბრძანება {slug} {lang}"
    page.fill("#title", title)
    page.select_option("#category", "order")
    page.select_option("#issuer", "cityhall")
    page.fill("#number", "01-99")
    page.fill("#adopted_on", "2026-11-30")
    editor.submit(page.locator("#document-form button[type=submit]"),
                  re.compile(r"/admin/documents/\d+$"))
    bad = {"name": "fake.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf at all"}
    page.set_input_files("#file", files=[bad])
    editor.submit(page.locator("#version-form button[type=submit]"), selector="#version-form .error")
    expect(page.locator("#version-form")).to_contain_text(
        editor.t("This kind of file cannot be added to the register. Upload a PDF, a Word or "
                 "OpenDocument text (DOCX, ODT) or a spreadsheet (XLSX, ODS)."))
    first = make_pdf(title, ["ქარსაცავი ზოლის პირველი ვერსია"])
    page.set_input_files("#file", files=[{"name": "order.pdf", "mimeType": "application/pdf",
                                          "buffer": first}])
    editor.submit(page.locator("#version-form button[type=submit]"), selector=".flash")
    editor.submit(page.locator("form[action$='/publish'] button"), selector="form[action$='/unpublish']")
    second = make_pdf(title, ["ლაზურის ხიდის მეორე ვერსია"])
    page.set_input_files("#file", files=[{"name": "order-2.pdf", "mimeType": "application/pdf",
                                          "buffer": second}])
    page.fill("#note", "შესწორება")
    editor.submit(page.locator("#version-form button[type=submit]"), selector=".flash")
    expect(page.locator("main tbody tr")).to_have_count(2)
    # The worker reads the new version's text; then a visitor finds it by a word inside.
    visitor = Citizen(site, chromium, slug, lang, js, f"after-{slug}@example.ge")
    for _ in range(60):
        visitor.go(f"/{slug}/documents/?q=ლაზურის")
        # (Until the worker has read it, PostgreSQL may offer a similar word's documents.)
        if title in visitor.page.inner_text("#results"):
            break
        visitor.page.wait_for_timeout(500)
    expect(visitor.page.locator(".document-item")).to_have_count(1)
    expect(visitor.page.locator(".document-item h3")).to_contain_text(title)
    visitor.go(f"/{slug}/documents/?q=ქარსაცავი")
    expect(visitor.page.locator(".document-item")).to_have_count(0)  # the old version's text
    visitor.close()
    editor.close()
