"""One look for every control (issue 10, item 22): every button, button-as-form, field and
filter bar comes from the macros in portal/templates/_macros/, and every table stacks into
cards on a phone. The browser tests (tests/e2e/admin/test_look.py) check how they look."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import render_template_string
from flask_wtf.csrf import generate_csrf

TEMPLATES = Path(__file__).resolve().parents[1] / "portal" / "templates"
PAGES = sorted(p for p in TEMPLATES.rglob("*.html")
               if p.parent.name != "_macros" and "emails" not in p.parts)


def _relative(path: Path) -> str:
    return str(path.relative_to(TEMPLATES))


@pytest.mark.parametrize("path", PAGES, ids=_relative)
def test_buttons_come_from_the_macros(path):
    assert "<button" not in path.read_text(encoding="utf-8"), (
        "use button()/post_button()/filter_bar() from _macros/controls.html")


@pytest.mark.parametrize("path", PAGES, ids=_relative)
def test_no_inline_style_or_script(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\sstyle=", text)
    assert not re.search(r"<script(?![^>]*\ssrc=)", text)


TABLES = [p for p in PAGES if "<table" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", TABLES, ids=_relative)
def test_tables_stack_on_a_phone(path):
    """Each cell names its column (data-label), which a phone shows beside the value."""
    text = path.read_text(encoding="utf-8")
    for tag in re.findall(r"<table[^>]*>", text):
        assert 'class="table' in tag, tag
    cells = re.findall(r"<td[^>]*>|<th scope=\"row\"[^>]*>", text)
    assert cells
    for cell in cells:
        assert "data-label=" in cell, f"{_relative(path)}: {cell}"


def test_post_button_is_a_form_with_csrf(app):
    with app.test_request_context("/"):
        html = render_template_string(
            '{% from "_macros/controls.html" import post_button %}'
            '{{ post_button("/x", "Go", variant="danger", hidden={"id": 7}) }}')
    assert re.search(r'<form class="button-form" method="post" action="/x"', html)
    assert re.search(r'<input type="hidden" name="csrf_token" value="[^"]+">', html)
    assert '<input type="hidden" name="id" value="7">' in html
    assert '<button type="submit" class="button button-danger">Go</button>' in html


def test_filter_bar_is_a_get_form_that_htmx_enhances(app):
    with app.test_request_context("/"):
        html = render_template_string(
            '{% from "_macros/controls.html" import filter_bar %}'
            '{% call filter_bar("f", "/list", "#results", "Show") %}<i>fields</i>{% endcall %}')
    assert '<form id="f" class="filter-bar" method="get" action="/list"' in html
    assert 'hx-get="/list" hx-target="#results" hx-swap="outerHTML" hx-push-url="true"' in html
    assert "<i>fields</i>" in html
    assert '<button type="submit" class="button button-primary">Show</button>' in html


ALL_TEMPLATES = sorted(TEMPLATES.rglob("*.html"))
CSRF_MACROS = TEMPLATES / "_macros" / "controls.html"


@pytest.mark.parametrize("path", ALL_TEMPLATES, ids=_relative)
def test_csrf_tokens_come_from_the_macro(path):
    """A hand-written token input drifts (a wrong name, a missing value); csrf_input() or the
    form's own ``form.csrf_token`` writes it."""
    if path == CSRF_MACROS:
        return
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"""name\s*=\s*["']?csrf_token""", text), (
        f"{_relative(path)}: use csrf_input() or post_button() from _macros/controls.html")


def test_csrf_input_writes_the_session_token(app):
    with app.test_request_context("/"):
        html = render_template_string(
            '{% from "_macros/controls.html" import csrf_input %}{{ csrf_input() }}')
        assert html == f'<input type="hidden" name="csrf_token" value="{generate_csrf()}">'


def test_post_button_asks_first_and_takes_a_class(app):
    with app.test_request_context("/"):
        html = render_template_string(
            '{% from "_macros/controls.html" import post_button %}'
            '{{ post_button("/x", "Delete", confirm="Sure?", form_class="inline-form",'
            ' form_attrs={"hx-post": "/x"}) }}')
    assert ('<form class="inline-form" method="post" action="/x" hx-confirm="Sure?" '
            'hx-post="/x">') in html
    assert re.search(r'name="csrf_token" value="[^"]+"', html)


def test_form_errors_shows_what_names_no_field(app):
    from portal.web.forms import BaseForm

    with app.test_request_context("/"):
        form = BaseForm(meta={"csrf": False})
        template = '{% from "_macros/forms.html" import form_errors %}{{ form_errors(form) }}'
        assert render_template_string(template, form=form) == ""
        form.form_errors = ["Not now."]
        assert render_template_string(template, form=form) == (
            '<p class="error" role="alert">Not now.</p>')
