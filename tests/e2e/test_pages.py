"""Every public page: zero axe-core violations, no console errors or CSP reports, screenshots."""

from __future__ import annotations

import pytest

from tests.e2e.browser import (
    DESKTOP,
    MOBILE,
    click_and_load,
    describe_violations,
    run_axe,
    screenshot,
)

#: (screenshot name, path, language, expected HTTP status)
PAGES = [
    ("platform-ka", "/", "ka", 200),
    ("platform-en", "/", "en", 200),
    ("poti-ka", "/poti/", "ka", 200),
    ("poti-en", "/poti/", "en", 200),
    ("abasha-ka", "/abasha/", "ka", 200),
    ("abasha-en", "/abasha/", "en", 200),
    ("poti-tour-ka", "/poti/tour/", "ka", 200),
    ("poti-petitions-ka", "/poti/petitions/", "ka", 200),
    ("abasha-petitions-en", "/abasha/petitions/?tab=decided", "en", 200),
    ("platform-petitions-ka", "/petitions/", "ka", 200),
    ("poti-petitions-api-en", "/poti/petitions/api/", "en", 200),
    ("poti-api-ka", "/poti/sessions/api/", "ka", 200),
    ("poti-api-en", "/poti/sessions/api/", "en", 200),
    ("poti-404-ka", "/poti/no-such-page", "ka", 404),
    ("platform-404-en", "/no-such-page", "en", 404),
]


def set_language(page, lang: str) -> None:
    if page.locator("html").get_attribute("lang") != lang:
        click_and_load(page, page.locator(f".lang-switch button[value={lang}]"))


@pytest.mark.parametrize(("name", "path", "lang", "status"), PAGES, ids=[p[0] for p in PAGES])
def test_page_is_accessible_and_clean(open_page, name, path, lang, status):
    page, watch = open_page(path)
    set_language(page, lang)
    response = page.reload()

    assert response.status == status
    assert page.locator("html").get_attribute("lang") == lang
    for size in (MOBILE, DESKTOP):  # the layout differs, so each width is checked
        page.set_viewport_size(size)
        violations = run_axe(page)
        report = describe_violations(violations)
        assert not violations, f"axe-core on {path} ({lang}, {size['width']} px):\n{report}"
    screenshot(page, name)
    allow = ("status of 404",) if status == 404 else ()
    assert watch.problems(page, allow=allow) == []
