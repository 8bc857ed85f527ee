"""The cached page layout: a page built from it is the page rendered whole, and only
anonymous visitors get one."""

import re

import pytest
from jinja2 import DictLoader, Environment

from portal.web.shell import CONTENT_SLOT, shell_eligible
from tests.helpers import csrf_token
from tests.helpers import get_in_own_context as get
from tests.staff_fixtures import make_staff, signed_in

PAGES = [
    "/poti/sessions/",
    "/poti/sessions/search?q=%E1%83%91%E1%83%98%E1%83%A3%E1%83%AF&year=2025",
    "/poti/sessions/bodies/",
    "/poti/sessions/members/",
    "/abasha/sessions/search",
    "/search?q=x",
    "/poti/tour/",
    "/poti/accounts/sign-in",
]


def _tokens_masked(html: str) -> str:
    # Any CSRF input (the macro's and WTForms' own, whose attributes come in another order) and
    # the htmx header: a token carries the second it was signed, so two renders can differ.
    return re.sub(r'(name="csrf_token"[^>]*? value="|"X-CSRFToken": ")[^"]+', r"\1…", html)


@pytest.mark.parametrize("url", PAGES)
def test_a_page_from_the_layout_is_the_page_rendered_whole(app, cached, monkeypatch, url):
    client = app.test_client()
    monkeypatch.setitem(app.config, "PORTAL_PAGE_CACHE_SECONDS", 0)
    whole = get(app, url, client=client)
    monkeypatch.setitem(app.config, "PORTAL_PAGE_CACHE_SECONDS", 10)
    first, again = get(app, url, client=client), get(app, url, client=client)
    assert whole.status_code == first.status_code == again.status_code == 200
    assert any(key[0] == "layout" for key in cached._pages), "the layout was not used"
    for page in (first, again):
        assert "\x1b" not in page.text
        assert _tokens_masked(page.text) == _tokens_masked(whole.text)


def test_a_returning_visitor_gets_the_kept_layout_with_their_own_token_and_path(app, cached):
    client = app.test_client()
    get(app, "/poti/sessions/search?q=a", client=client)
    [(key, (stamp, layout))] = [(k, v) for k, v in cached._pages.items() if k[0] == "layout"]
    cached._pages[key] = (stamp, layout.replace(CONTENT_SLOT, "<p>kept</p>" + CONTENT_SLOT))
    page = get(app, "/poti/sessions/search?q=b&year=2020", client=client).text
    assert "<p>kept</p>" in page
    token = csrf_token(page)
    assert f'"X-CSRFToken": "{token}"' in page
    with app.app_context():
        switched = client.post("/language", data={"csrf_token": token, "lang": "en",
                                                  "next": "/poti/sessions/search"})
    assert switched.status_code == 303
    assert 'name="next" value="/poti/sessions/search?q=b&amp;year=2020"' in page
    assert '<input id="q" name="q" type="search" value="b"' in page


def test_each_language_has_its_own_layout(app, cached):
    ka = get(app, "/poti/sessions/search").text
    client = app.test_client()
    client.set_cookie("lang", "en")
    en = get(app, "/poti/sessions/search", client=client).text
    assert '<html lang="ka">' in ka and '<html lang="en">' in en
    assert "Search the archive" in en and "Search the archive" not in ka
    assert len([k for k in cached._pages if k[0] == "layout"]) == 2


def test_signed_in_staff_get_the_page_rendered_whole(app, cached, poti):
    editor = make_staff(app, poti, ["editor"])
    client = app.test_client()
    signed_in(client, editor)
    page = get(app, "/poti/sessions/search", client=client)
    assert page.status_code == 200
    assert not cached._pages
    assert 'href="/poti/admin/"' in page.text  # their own footer: the way to the admin


def test_only_pages_made_of_the_layout_and_their_two_blocks_qualify(app):
    env = Environment(loader=DictLoader({
        "base.html": "<title>{% block title %}{% endblock %}</title>{% block content %}{% endblock %}",
        "plain.html": '{% extends "base.html" %}\n{% block title %}T{% endblock %}\n'
                      "{% block content %}<p>{% block inner %}{% endblock %}</p>{% endblock %}\n",
        "sets.html": '{% extends "base.html" %}{% set x = 1 %}{% block content %}{{ x }}{% endblock %}',
        "more.html": '{% extends "base.html" %}{% block head %}{% endblock %}',
        "other.html": '{% extends "admin/_layout.html" %}{% block content %}{% endblock %}',
    }))
    assert shell_eligible(env, "plain.html")
    assert not shell_eligible(env, "sets.html")
    assert not shell_eligible(env, "more.html")
    assert not shell_eligible(env, "other.html")
    assert shell_eligible(app.jinja_env, "sessions/search.html")
