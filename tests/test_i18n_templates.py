"""Templates translate with the request's language, including a ``force_locale`` inside it.

Guards ``portal.i18n.install_template_gettext``/``request_locale``, which look the catalogue up
faster than Flask-Babel's own template callables (see docs/performance.md).
"""

from flask import render_template_string
from flask_babel import force_locale, refresh

from portal.i18n import LANG_COOKIE, current_lang


# One request per test: the fixtures keep an app context open, so ``g`` (where Flask-Babel
# keeps the chosen locale) outlives a request within a test.
def test_home_page_is_georgian_by_default(client):
    georgian = client.get("/poti/").text
    assert ">მთავარი<" in georgian and '<html lang="ka">' in georgian


def test_home_page_is_english_on_request(client):
    client.set_cookie(LANG_COOKIE, "en")
    english = client.get("/poti/").text
    assert ">Home<" in english and '<html lang="en">' in english
    assert "მთავარ შინაარსზე გადასვლა" not in english


def test_force_locale_and_refresh_apply_to_templates(app):
    template = "{{ current_lang() }}:{{ _('Home') }}"
    with app.test_request_context("/poti/"):
        assert render_template_string(template) == "ka:მთავარი"
        with force_locale("en"):
            assert render_template_string(template) == "en:Home"
            assert current_lang() == "en"
        assert render_template_string(template) == "ka:მთავარი"
        refresh()
        assert render_template_string(template) == "ka:მთავარი"


def test_plural_and_context_callables_are_installed(app):
    with app.test_request_context("/poti/"), force_locale("en"):
        rendered = render_template_string(
            "{{ ngettext('%(num)d item', '%(num)d items', 3) }}|{{ pgettext('nav', 'Home') }}"
        )
    assert rendered == "3 items|Home"
