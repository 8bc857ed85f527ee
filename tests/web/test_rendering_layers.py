"""Rendering without a circle: ``rendering.py`` renders; ``pagecache.py`` only stores and
``htmx.py`` only knows htmx's headers, so neither may import a template engine or rendering.
And ``render``/``render_public`` still give a full page, a fragment or a cached page."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from portal.web.pagecache import CSRF_SLOT, HTMX_CSRF_SLOT, page_key
from tests.helpers import HTMX, get_in_own_context

WEB = Path(__file__).resolve().parents[2] / "portal" / "web"
#: What a module that does not render must not import (modules, or names from flask).
RENDERING_MODULES = ("jinja2", "jinja2_fragments", "portal.web.rendering", "portal.web.shell",
                     "portal.web.templating", "markupsafe")
RENDERING_NAMES = {"render_template", "render_template_string", "stream_template",
                   "render_block", "render"}


def _imports(path: Path) -> list[tuple[str, str | None]]:
    """(module, name) for every import anywhere in the file, functions included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                module = "portal.web." + module if module else "portal.web"
            found += [(module, alias.name) for alias in node.names]
    return found


@pytest.mark.parametrize("name", ["pagecache.py", "htmx.py"])
def test_storage_and_headers_do_not_render(name):
    bad = []
    for module, imported in _imports(WEB / name):
        full = f"{module}.{imported}" if imported else module
        if any(full == m or full.startswith(m + ".") for m in RENDERING_MODULES):
            bad.append(full)
        elif imported in RENDERING_NAMES:
            bad.append(full)
    assert not bad, f"{name} imports rendering: {bad}"


def test_the_check_sees_a_rendering_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from flask import render_template\n"
                      "from .rendering import render\nimport jinja2\n")
    assert {m for m, _ in _imports(sample)} == {"flask", "portal.web.rendering", "jinja2"}


def test_rendering_is_where_render_and_render_public_live():
    from portal.web import htmx, pagecache, rendering

    assert callable(rendering.render) and callable(rendering.render_public)
    assert not hasattr(htmx, "render") and not hasattr(pagecache, "render_public")


def test_render_gives_the_full_page_or_the_named_block(app):
    page = get_in_own_context(app, "/poti/sessions/")
    fragment = get_in_own_context(app, "/poti/sessions/", headers=HTMX)
    assert page.status_code == fragment.status_code == 200
    assert page.text.startswith("<!doctype html>") and "<html" not in fragment.text
    assert 'id="past-list"' in fragment.text
    for response in (page, fragment):
        assert "HX-Request" in response.headers["Vary"]


def test_render_public_serves_anonymous_visitors_from_the_cache(app, cached):
    first = get_in_own_context(app, "/poti/")
    [(key, (stamp, stored))] = cached._pages.items()
    # the home page holds no form needing a token: only htmx's header slot, filled (empty)
    # per visitor, so a visitor without a cookie gets none
    assert HTMX_CSRF_SLOT in stored and CSRF_SLOT not in stored and key[0] == "home/index.html"
    assert "Set-Cookie" not in first.headers and "X-CSRFToken" not in first.text
    cached._pages[key] = (stamp, stored.replace("</main>", "<p>from the cache</p></main>"))
    again = get_in_own_context(app, "/poti/")
    assert first.status_code == again.status_code == 200
    assert "<p>from the cache</p>" in again.text
    assert CSRF_SLOT not in again.text and HTMX_CSRF_SLOT not in again.text
    fragment = get_in_own_context(app, "/poti/", headers=HTMX)
    assert "<html" not in fragment.text and "from the cache" not in fragment.text


def test_page_key_names_the_template_place_and_path(app):
    with app.test_request_context("/poti/tour/"):
        key = page_key("tour/index.html")
    assert key[0] == "tour/index.html" and key[-1] == "/poti/tour/"


def test_render_public_computes_context_only_when_it_renders(app, cached, monkeypatch):
    """``compute=`` is the context a rendering needs (the page's queries): a page served from
    the cache skips it; a fragment, or the cache off, computes it as ``render()`` would."""
    from portal.web.rendering import render_public
    from tests.helpers import HTMX

    calls: list[int] = []

    def compute():
        calls.append(1)
        return {"title_text": "x"}

    def serve(headers=None):
        with app.test_request_context("/poti/", headers=headers or {}):
            app.preprocess_request()
            return render_public("errors/error.html", compute=compute)

    assert serve().status_code == 200 and len(calls) == 1  # rendered into the cache
    assert serve().status_code == 200 and len(calls) == 1  # from the cache
    serve(HTMX)
    assert len(calls) == 2
    monkeypatch.setitem(app.config, "PORTAL_PAGE_CACHE_SECONDS", 0)
    serve()
    assert len(calls) == 3
