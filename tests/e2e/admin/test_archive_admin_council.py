"""In Chromium, as Poti's clerk: a body, a member with a seat, a session with two agenda items,
a document and attendance, then the public page shows them; axe finds nothing on any admin
page; the agenda works without JavaScript too. Screenshots go to tests/e2e/screenshots/."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.admin.conftest import axe_violations, csp_violations
from tests.e2e.admin.test_admin import sign_in
from tests.e2e.browser import DESKTOP, MOBILE, SCREENSHOTS

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
       b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
       b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


def screenshot(page, name: str) -> None:
    """Desktop and mobile screenshots. ``caret="initial"``: Playwright's default hides the caret
    by setting a style on inputs and leaves ``style=""`` behind, which htmx then copies onto
    the swapped-in inputs (a CSP report that the real page never makes)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("mobile", MOBILE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True,
                        caret="initial")
    page.set_viewport_size(DESKTOP)


def clean(page, name: str | None = None) -> None:
    """axe finds nothing, the CSP was never violated; optionally keep screenshots."""
    assert axe_violations(page) == []
    assert csp_violations(page) == []
    if name:
        screenshot(page, f"archive-admin-{name}")


def submit(page, form: str) -> None:
    page.click(f"{form} button[type=submit]")


def test_clerk_builds_a_session_and_the_public_page_shows_it(page, admin_site):
    clerk = admin_site.staff(["clerk"], email="clerk-flow@example.org")
    page.on("dialog", lambda dialog: dialog.accept())  # hx-confirm before deletions
    sign_in(page, clerk)


    page.click("nav.admin-nav >> text=საკრებულოს არქივი")
    page.wait_for_url("**/poti/admin/sessions/")
    assert "სხდომა ჯერ არ არის." in page.inner_text("#session-results")
    clean(page, "sessions-empty")

    # The Sakrebulo (a body) and a member with a seat in it.
    page.click(".sub-nav >> text=საკრებულო და კომისიები")
    page.wait_for_url("**/admin/sessions/bodies/")
    clean(page)
    page.click("text=ახალი ორგანო")
    page.wait_for_url("**/bodies/new")
    page.fill("#name_ka", "საკრებულო")
    page.fill("#name_en", "Sakrebulo")
    page.fill("#slug", "sakrebulo")
    page.select_option("#kind", "council")
    submit(page, "#body-form")
    page.wait_for_url("**/admin/sessions/bodies/")
    page.click("text=ახალი ორგანო")
    page.fill("#name_ka", "ფინანსური კომისია")
    page.fill("#slug", "sakrebulo")  # taken: the form says so
    submit(page, "#body-form")
    page.locator("#slug-error").wait_for()
    assert "ეს მისამართი უკვე დაკავებულია." in page.inner_text("#slug-error")
    clean(page, "body-error")

    page.click(".sub-nav >> text=წევრები")
    page.wait_for_url("**/admin/sessions/members/")
    page.click("text=ახალი წევრი")
    page.wait_for_url("**/members/new")
    clean(page)
    page.fill("#name_ka", "ნინო ბერიძე")
    page.fill("#name_en", "Nino Beridze")
    page.fill("#slug", "nino-beridze")
    page.fill("#party", "დამოუკიდებელი")
    page.fill("#term_start", "2021-11-01")
    page.fill("#activity_report", "შეხვედრები ამომრჩევლებთან.\nსანაპიროს პროექტი.")
    page.set_input_files("#photo", files=[{"name": "nino.png", "mimeType": "image/png", "buffer": PNG}])
    submit(page, "#member-form")
    page.wait_for_url(re.compile(r".*/admin/sessions/members/\d+$"))
    page.fill("#seat-starts_on", "2021-11-01")
    page.fill("#seat-role", "თავმჯდომარე")
    submit(page, "#seat-form")
    page.locator("#seats tbody tr").wait_for()
    clean(page, "member")

    # A held session with two agenda items (added through htmx), one moved up.
    page.click(".sub-nav >> text=სხდომები")
    page.click("text=ახალი სხდომა")
    page.wait_for_url("**/admin/sessions/new")
    page.fill("#title", "საკრებულოს მე-15 სხდომა")
    page.select_option("#status", "held")
    page.fill("#starts_at", "2025-05-20T11:00")
    page.fill("#place", "საკრებულოს სხდომათა დარბაზი")
    submit(page, "#session-form")
    page.wait_for_url(re.compile(r".*/admin/sessions/\d+$"))
    session_url = page.url
    session_id = session_url.rsplit("/", 1)[1]
    assert page.input_value("#starts_at") == "2025-05-20T11:00"  # local time, as typed
    clean(page, "session-new")

    page.fill("#agenda-title", "ბიუჯეტის ცვლილებები")
    page.select_option("#agenda-reporter_id", label="ნინო ბერიძე")
    page.fill("#agenda-start", "2:15")
    submit(page, "#agenda-form")
    page.locator("#agenda li").first.wait_for()
    page.fill("#agenda-title", "სანაპირო ზოლის კეთილმოწყობა")
    submit(page, "#agenda-form")
    page.locator("#agenda li").nth(1).wait_for()
    assert page.url == session_url  # htmx swapped the region, no navigation
    page.click("#agenda li:nth-child(2) button:has-text('ზემოთ')")
    expect(page.locator("#agenda li").first).to_contain_text("სანაპირო")
    clean(page, "agenda")

    # Inline edit of the second item.
    page.click("#agenda li:nth-child(2) a:has-text('რედაქტირება')")
    form = page.locator("#agenda li:nth-child(2) form.inline-edit")
    form.wait_for()
    form.locator("textarea").fill("2025 წლის ბიუჯეტის ცვლილებები")
    form.locator("button[type=submit]").click()
    expect(page.locator("#agenda")).to_contain_text("2025 წლის ბიუჯეტის")
    clean(page)
    item_url = page.get_attribute("#agenda li:nth-child(1) a:has-text('რედაქტირება')", "href")
    page.goto(item_url)  # the item's own page (what works without JavaScript)
    clean(page, "agenda-item")
    page.goto(f"{item_url}/delete")  # the confirmation page the delete button opens without JavaScript
    clean(page, "agenda-item-delete")
    page.goto(session_url)

    # Deleting with htmx: hx-confirm asks (accepted above), the region is swapped in place.
    page.fill("#agenda-title", "დროებითი საკითხი")
    submit(page, "#agenda-form")
    expect(page.locator("#agenda li")).to_have_count(3)
    page.click("#agenda li:nth-child(3) button:has-text('წაშლა')")
    expect(page.locator("#agenda li")).to_have_count(2)
    expect(page.locator("#agenda")).not_to_contain_text("დროებითი საკითხი")
    assert page.url == session_url

    # A document, refused first (wrong type), then accepted.
    page.set_input_files("#document-file", files=[
        {"name": "virus.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00"}])
    submit(page, "#document-form")
    page.locator("#document-file-error").wait_for()
    clean(page, "document-error")
    page.select_option("#document-kind", "minutes")
    page.fill("#document-title", "სხდომის ოქმი")
    page.set_input_files("#document-file", files=[
        {"name": "oqmi.txt", "mimeType": "text/plain", "buffer": "ოქმი: ბიუჯეტი მიღებულია".encode()}])
    submit(page, "#document-form")
    page.locator("#documents tbody tr").wait_for()
    clean(page, "session-edit")
    page.set_input_files("#document-file", files=[
        {"name": "draft.txt", "mimeType": "text/plain", "buffer": "მონახაზი".encode()}])
    submit(page, "#document-form")
    expect(page.locator("#documents tbody tr")).to_have_count(2)
    page.goto(page.get_attribute("#documents tbody tr:nth-child(2) form", "action"))
    clean(page, "document-delete")  # the confirmation page without JavaScript
    page.go_back()
    page.click("#documents tbody tr:nth-child(2) button:has-text('წაშლა')")
    expect(page.locator("#documents tbody tr")).to_have_count(1)
    assert page.url == session_url

    # Attendance.
    page.click("text=დასწრების აღნიშვნა")
    page.wait_for_url(f"**/admin/sessions/{session_id}/attendance")
    clean(page)
    page.check("#attendance-form fieldset:has-text('ნინო ბერიძე') input[value=present]")
    submit(page, "#attendance-form")
    page.locator(".flash").wait_for()
    assert page.is_checked("#attendance-form input[value=present]")
    clean(page, "attendance")

    # The public page reflects all of it.
    page.goto(f"/poti/sessions/{session_id}")
    text = page.inner_text("main")
    assert "საკრებულოს მე-15 სხდომა" in text and "ჩატარდა" in text
    assert text.index("სანაპირო ზოლის") < text.index("2025 წლის ბიუჯეტის ცვლილებები")
    assert "სხდომის ოქმი" in text and "ნინო ბერიძე: ესწრებოდა" in text
    assert page.locator("a[href*='/poti/sessions/documents/']").count() == 1
    clean(page, "public-session")
    page.goto("/poti/sessions/members/nino-beridze")
    assert page.locator("img.member-photo").evaluate("img => img.naturalWidth") == 1
    clean(page, "public-member")

    # The list, then deletion with its confirmation step.
    page.goto("/poti/admin/sessions/")
    assert "საკრებულოს მე-15 სხდომა" in page.inner_text("#session-results")
    clean(page, "sessions")
    page.goto(f"{session_url}/delete")
    clean(page, "session-delete")
    submit(page, "#delete-form")
    page.wait_for_url("**/poti/admin/sessions/")
    assert page.locator(".flash").count() >= 1
    assert page.request.get(f"/poti/sessions/{session_id}").status == 404


def test_the_agenda_works_without_javascript(admin_browser, admin_site):
    context = admin_browser.new_context(base_url=admin_site.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    clerk = admin_site.staff(["clerk"])
    sign_in(page, clerk, axe=False)  # axe needs JavaScript
    page.goto("/poti/admin/sessions/bodies/new")
    page.fill("#name_ka", "აბაშის კომისია")
    page.fill("#slug", "nojs-committee")
    page.click("#body-form button[type=submit]")
    page.goto("/poti/admin/sessions/new")
    page.select_option("#body_id", label="აბაშის კომისია")
    page.fill("#title", "უსკრიპტო სხდომა")
    page.fill("#starts_at", "2025-07-01T10:00")
    page.click("#session-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/sessions/\d+$"))
    page.fill("#agenda-title", "პირველი საკითხი")
    page.click("#agenda-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/sessions/\d+#agenda$"))
    page.fill("#agenda-title", "მეორე საკითხი")
    page.click("#agenda-form button[type=submit]")
    page.click("#agenda li:nth-child(2) button:has-text('ზემოთ')")
    items = page.locator("#agenda li").all_inner_texts()
    assert "მეორე საკითხი" in items[0] and "პირველი საკითხი" in items[1]
    page.click("#agenda li:nth-child(1) a:has-text('რედაქტირება')")
    page.wait_for_url("**/admin/sessions/agenda/*")
    screenshot(page, "archive-admin-agenda-item-nojs")  # axe needs JavaScript: checked above
    page.locator("form.inline-edit textarea").fill("")
    page.click("form.inline-edit button[type=submit]")
    assert "aria-invalid" in page.content() and page.locator(".error").count() >= 1

    # Deleting asks on a page of its own first: an agenda item, then a document.
    page.click("form.inline-edit a:has-text('გაუქმება')")
    page.wait_for_url(re.compile(r".*/admin/sessions/\d+#agenda$"))
    session_url = page.url.split("#")[0]
    page.click("#agenda li:nth-child(2) button:has-text('წაშლა')")
    page.wait_for_url(re.compile(r".*/admin/sessions/agenda/\d+/delete\??$"))
    assert "პირველი საკითხი" in page.inner_text("main")
    screenshot(page, "archive-admin-agenda-item-delete-nojs")
    page.click("#delete-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/sessions/\d+#agenda$"))
    assert page.locator("#agenda li").count() == 1 and "საკითხი წაიშალა" in page.inner_text(".flashes")
    page.set_input_files("#document-file", files=[
        {"name": "oqmi.txt", "mimeType": "text/plain", "buffer": "ოქმი".encode()}])
    page.click("#document-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/sessions/\d+#documents$"))
    page.click("#documents tbody tr button:has-text('წაშლა')")
    page.wait_for_url(re.compile(r".*/admin/sessions/documents/\d+/delete\??$"))
    page.click("#delete-form a:has-text('დატოვება')")  # "Keep it" changes nothing
    page.wait_for_url(f"{session_url}#documents")
    assert page.locator("#documents tbody tr").count() == 1
    page.click("#documents tbody tr button:has-text('წაშლა')")
    page.click("#delete-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/sessions/\d+#documents$"))
    assert page.locator("#documents tbody tr").count() == 0 and "დოკუმენტი წაიშალა." in page.inner_text(".flashes")
    context.close()
