"""The layout around a page, rendered once and reused for anonymous visitors.

Every public page extends ``base.html``: head, header, navigation, language switch and footer,
about a third of what a page costs to render. For one municipality, language, host and page
(the navigation marks the current section) that layout is the same for every anonymous
visitor except for the CSRF token and the path the language form returns to. So it is
rendered once with placeholders (``pagecache``'s slots, plus one each for the page's
``title`` and ``content`` blocks) and kept ``PORTAL_PAGE_CACHE_SECONDS``; each request renders
only the page's own two blocks into it. Signed-in visitors, and visitors whose session holds
anything besides the CSRF token (a flash message), always get a page rendered whole, as do
templates that do anything else at their top level (see ``shell_eligible``).
"""

from __future__ import annotations

import functools

import jinja2_fragments
from flask import current_app, render_template, session
from flask_wtf.csrf import generate_csrf
from jinja2 import Environment, nodes
from markupsafe import escape

from portal.tenancy import public_path
from portal.web.pagecache import (
    CSRF_SLOT,
    HTMX_CSRF_SLOT,
    PATH_SLOT,
    cache_seconds,
    get_page_cache,
    layout_key,
    visitor_is_anonymous,
)

LAYOUT = "base.html"
TITLE_SLOT = "\x1bpage-title\x1b"
CONTENT_SLOT = "\x1bpage-content\x1b"
_SHELL_SOURCE = ('{% extends "' + LAYOUT + '" %}{% block title %}' + TITLE_SLOT
                 + "{% endblock %}{% block content %}" + CONTENT_SLOT + "{% endblock %}")


@functools.lru_cache(maxsize=512)
def shell_eligible(env: Environment, template: str) -> bool:
    """Whether ``template`` is only ``{% extends "base.html" %}`` and its ``title`` and
    ``content`` blocks: then the whole page is the layout with those two blocks in it."""
    source = env.loader.get_source(env, template)[0]
    top = env.parse(source).body
    extends = [n for n in top if isinstance(n, nodes.Extends)]
    if len(extends) != 1 or not (isinstance(extends[0].template, nodes.Const)
                                 and extends[0].template.value == LAYOUT):
        return False
    for node in top:
        if isinstance(node, nodes.Block):
            if node.name not in ("title", "content"):
                return False
        elif isinstance(node, nodes.Output):
            if any(not (isinstance(n, nodes.TemplateData) and not n.data.strip())
                   for n in node.nodes):
                return False
        elif not isinstance(node, nodes.Extends):
            return False
    return True


def render_page(template: str, **context) -> str:
    """``render_template(template, **context)``, from the cached layout when it can be."""
    app = current_app._get_current_object()
    ttl = cache_seconds()
    if ttl <= 0 or not visitor_is_anonymous() or not shell_eligible(app.jinja_env, template):
        return fill_slots(render_template(template, **context))
    key = layout_key()
    cache = get_page_cache(app)
    shell = cache.get(key, ttl)
    if shell is None:
        shell = _shell_template(app.jinja_env).render(
            **_updated(app, {**context, "csrf_token": lambda: CSRF_SLOT,
                             "current_path": lambda: PATH_SLOT}))
        cache.put(key, shell)
    context = _updated(app, context)
    title = jinja2_fragments.render_block(app.jinja_env, template, "title", **context)
    content = jinja2_fragments.render_block(app.jinja_env, template, "content", **context)
    # The page's own text goes in last, so nothing in it is taken for a placeholder; its
    # blocks were rendered first, so a form in them has made the token the header needs.
    head, _, tail = shell.partition(CONTENT_SLOT)
    before_title, _, after_title = fill_slots(head).partition(TITLE_SLOT)
    return before_title + title + after_title + content + fill_slots(tail)


def fill_slots(page: str) -> str:
    """A page from the store (or rendered with the slots) with this visitor's values in it.

    The CSRF token is made (and the session cookie with it) only when a form on the page
    needs one; htmx's header then carries it too. A visitor who already has a token gets the
    header on every page, as their htmx requests may post without a form.
    """
    if CSRF_SLOT in page:
        page = page.replace(CSRF_SLOT, generate_csrf())
    if PATH_SLOT in page:
        page = page.replace(PATH_SLOT, str(escape(public_path())))
    if HTMX_CSRF_SLOT in page:
        header = ""
        if "csrf_token" in session:
            header = " hx-headers='{\"X-CSRFToken\": \"" + str(escape(generate_csrf())) + "\"}'"
        page = page.replace(HTMX_CSRF_SLOT, header)
    return page


def htmx_csrf_slot() -> str:
    """``base.html``'s ``<body>`` attribute, filled in by ``fill_slots`` (autoescaping leaves
    the placeholder as it is: it holds no markup characters)."""
    return HTMX_CSRF_SLOT


@functools.cache
def _shell_template(env: Environment):
    return env.from_string(_SHELL_SOURCE)


def _updated(app, context: dict) -> dict:
    """The context a template render sees: context processors, then the view's values."""
    context = dict(context)
    app.update_template_context(context)
    return context
