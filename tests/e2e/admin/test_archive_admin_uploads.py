"""In Chromium, as Poti's clerk: a file over the request limit (17 MB, MAX_CONTENT_LENGTH is
16 MB) really uploaded from the document and member forms, with htmx and without JavaScript,
through the werkzeug server and through gunicorn: the form comes back with a message naming the
file's limit, in Georgian, and nothing is saved."""

from __future__ import annotations

import pytest

from tests.e2e.admin.conftest import axe_violations, csp_violations
from tests.e2e.admin.test_admin import sign_in
from tests.e2e.admin.test_archive_admin_council import screenshot

OVERSIZE = b"%PDF-" + b"x" * (17 * 1024 * 1024)


def _refused(page, message: str) -> None:
    flash = page.locator(".flash-error")
    flash.wait_for()
    assert message in flash.inner_text()


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
@pytest.mark.parametrize("server", ["werkzeug", "gunicorn"])
def test_a_file_over_the_limit_comes_back_to_the_form(admin_browser, admin_site, gunicorn_site, server, js):
    from portal.tenancy import get_directory
    from tests.sessions.admin.factories import make_session

    site = gunicorn_site if server == "gunicorn" else admin_site
    context = admin_browser.new_context(base_url=site.url, java_script_enabled=js)
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, admin_site.staff(["clerk"]), axe=js)
    with admin_site.app.app_context():
        poti = get_directory(admin_site.app).by_slug("poti")
    session_url = f"/poti/admin/sessions/{make_session(admin_site.app, poti)}"

    # A document: with htmx the region's form is posted for a fragment; the page is reloaded.
    page.goto(session_url)
    page.set_input_files("#document-file", files=[
        {"name": "ოქმი.pdf", "mimeType": "application/pdf", "buffer": OVERSIZE}])
    page.click("#document-form button[type=submit]")
    _refused(page, "ფაილი 10 მბ-ზე დიდია, ამიტომ არაფერი შენახულა.")
    assert page.url.endswith(session_url) and page.locator("#documents tbody tr").count() == 0
    assert page.locator("#document-form").is_visible()
    if js:
        assert axe_violations(page) == [] and csp_violations(page) == []
        screenshot(page, f"archive-admin-upload-too-large-{server}")

    # A new member with a photo: a boosted form with htmx, a plain one without.
    name = f"ანა დიდფოტოიანი {server} {'js' if js else 'nojs'}"  # the database is shared
    page.goto("/poti/admin/sessions/members/new")
    page.fill("#name_ka", name)
    page.fill("#slug", f"ana-{server}-{'js' if js else 'nojs'}")
    page.set_input_files("#photo", files=[{"name": "nino.png", "mimeType": "image/png", "buffer": OVERSIZE}])
    page.click("#member-form button[type=submit]")
    _refused(page, "ფაილი 2 მბ-ზე დიდია, ამიტომ არაფერი შენახულა.")
    assert page.url.endswith("/poti/admin/sessions/members/new")
    assert page.locator("#member-form").is_visible()
    page.goto("/poti/admin/sessions/members/")
    assert name not in page.inner_text("main")
    assert errors == []
    context.close()
