"""The one way user-written HTML reaches a page: cleaned by nh3, returned as Markup.

Templates never use ``|safe``; a test fails if one does. Anything that should render as HTML
passes through ``clean_html`` in a service and is stored or handed to the template as Markup.
"""

from __future__ import annotations

import re

import nh3
from markupsafe import Markup, escape

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "i", "li",
    "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead",
    "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean_html(html: str | None) -> Markup:
    """Strip everything but a small set of formatting tags; links get rel=noopener noreferrer."""
    if not html:
        return Markup("")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return Markup(cleaned)  # noqa: S704 - the output of nh3 is the sanitised markup


#: Anything that looks like an HTML tag: text without one is plain text.
TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def text_or_html(raw: str | None) -> str:
    """An editor's HTML cleaned, or plain text (a textarea, a browser without JavaScript) made
    into paragraphs: a blank line between paragraphs, a line break within one."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    if not TAG.search(raw):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", raw.replace("\r\n", "\n"))
                      if p.strip()]
        raw = "".join(f"<p>{'<br>'.join(escape(line) for line in p.splitlines())}</p>"
                      for p in paragraphs)
    return str(clean_html(raw))
