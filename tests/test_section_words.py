"""Page text names only the sections a municipality has (SECTIONS in portal/blueprints)."""

from __future__ import annotations

import pytest

from portal.blueprints import SECTIONS, nav_sections
from portal.tenancy import get_directory

#: How pages would name a section that is not built: its words in English and Georgian.
SECTION_WORDS = {
    "petitions": ("petition", "პეტიცი"),
    "letters": ("letter", "write to the mayor", "წერილ", "მისწერ"),
    "surveys": ("survey", "გამოკითხვ"),
    "grants": ("grant", "გრანტ"),
}


def _missing_words(app, tenants) -> list[str]:
    built = {s.name for t in tenants for s in nav_sections(app, t)}
    return [w for name, words in SECTION_WORDS.items() if name not in built for w in words]


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_pages_do_not_name_sections_that_do_not_exist(app, lang):
    assert set(SECTION_WORDS) <= {s.name for s in SECTIONS}
    with app.app_context():
        tenants = get_directory(app).active()
    pages = {"/": _missing_words(app, tenants)}
    for tenant in tenants:
        missing = _missing_words(app, [tenant])
        pages.update({f"/{tenant.slug}/": missing, f"/{tenant.slug}/sessions/": missing})
    client = app.test_client()
    client.set_cookie("lang", lang)
    found = {}
    for url, missing in pages.items():
        text = client.get(url).text.lower()
        named = [w for w in missing if w in text]
        if named:
            found[url] = named
    assert not found, found


def test_the_platform_names_the_sections_that_exist(app):
    client = app.test_client()
    client.set_cookie("lang", "en")
    assert "Sakrebulo sessions" in client.get("/").text.split("</header>", 1)[1]
