"""The public page cache serves each visitor their own CSRF token and nothing personal."""

import re

from portal.i18n import LANG_COOKIE
from portal.web.pagecache import CSRF_SLOT, HTMX_CSRF_SLOT, PATH_SLOT, get_page_cache
from tests.helpers import HTMX, csrf_token, get_in_own_context

get = get_in_own_context


def test_each_visitor_gets_a_valid_token_of_their_own(app, cached):
    """The cached page holds nobody's token: a visitor who has one (from a form elsewhere)
    gets their own in htmx's header; a visitor without one gets none, and no cookie."""
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        get(app, "/poti/accounts/sign-in", client=client)  # a form: a token of their own
    page_one, page_two = get(app, "/poti/", client=first), get(app, "/poti/", client=second)
    assert [key[0] for key in cached._pages].count("home/index.html") == 1, \
        "the second visitor was served from the cache"
    for page in (page_one, page_two):
        assert CSRF_SLOT not in page.text and PATH_SLOT not in page.text
        assert HTMX_CSRF_SLOT not in page.text
        assert {"Cookie", "HX-Request"} <= set(page.headers["Vary"].split(", "))
    token_one, token_two = csrf_token(page_one.text), csrf_token(page_two.text)
    assert token_one != token_two
    assert f'"X-CSRFToken": "{token_one}"' in page_one.text
    stranger = get(app, "/poti/", client=app.test_client())
    assert "X-CSRFToken" not in stranger.text and "Set-Cookie" not in stranger.headers

    with app.app_context():
        switched = second.post("/language", data={
            "csrf_token": token_two, "lang": "en", "next": "/poti/"})
    assert switched.status_code == 303


def test_language_form_returns_to_the_visitors_own_address(app, cached):
    get(app, "/poti/")
    page = get(app, "/poti/?from=<x>").text
    assert 'name="next" value="/poti/?from=&lt;x&gt;"' in page


def test_language_and_host_have_their_own_pages(app, cached):
    ka = get(app, "/poti/").text
    client = app.test_client()
    client.set_cookie(LANG_COOKIE, "en")
    en = get(app, "/poti/", client=client).text
    own_domain = get(app, "/", headers={"Host": "poti.gov.ge"}).text
    assert '<html lang="ka">' in ka and '<html lang="en">' in en
    assert 'href="/poti/tour/"' in ka
    assert 'href="/tour/"' in own_domain and "/poti/" not in own_domain
    assert len(cached._pages) == 3


def test_visitors_with_session_state_get_a_fresh_page(app, cached):
    client = app.test_client()
    get(app, "/poti/", client=client)
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Your letter was sent")]
    page = get(app, "/poti/", client=client)
    assert page.status_code == 200
    assert len(cached._pages) == 1  # only the anonymous rendering was stored


def test_fragments_are_not_cached(app, cached):
    fragment = get(app, "/poti/", headers=HTMX)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert not cached._pages


def test_entries_expire(app, cached, monkeypatch):
    get(app, "/poti/")
    (key,) = cached._pages
    assert cached.get(key, ttl=10) is not None
    stamp, page = cached._pages[key]
    cached._pages[key] = (stamp - 11, page)
    assert cached.get(key, ttl=10) is None


def test_off_outside_production(app):
    assert app.config["PORTAL_PAGE_CACHE_SECONDS"] == 0
    get(app, "/poti/")
    assert not get_page_cache(app)._pages


def test_pages_have_no_leftover_placeholders(app, cached):
    for url in ("/poti/", "/abasha/", "/poti/"):
        text = get(app, url).text
        assert not re.search("\x1b", text)


def test_a_returning_visitor_is_served_from_the_cache(app, cached):
    # From the second request on, Flask-Login's session protection puts ``_fresh`` into an
    # anonymous visitor's session: that alone must not make their page personal.
    client = app.test_client()
    get(app, "/poti/accounts/sign-in", client=client)  # a session with a token
    cached.clear()
    get(app, "/poti/", client=client)
    [(key, (stamp, page))] = cached._pages.items()
    cached._pages[key] = (stamp, page.replace("</main>", "<p>kept</p></main>"))
    get(app, "/poti/", client=client)
    with client.session_transaction() as session:
        assert set(session) == {"csrf_token", "_fresh"}
    assert "<p>kept</p>" in get(app, "/poti/", client=client).text
