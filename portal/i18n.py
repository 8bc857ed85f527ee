"""Language and time zone of each request; helpers for ka/en data fields."""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton, format_time
from babel.lists import format_list
from babel.numbers import format_decimal
from flask import Flask, g, request
from flask_babel import get_locale, get_translations, gettext, ngettext
from markupsafe import Markup, escape

from portal.extensions import babel
from portal.tenancy import current_tenant, get_current_tenant

LOCALES = ("ka", "en")
LANG_COOKIE = "lang"
LOCALE_NAMES = {"ka": "ქართული", "en": "English"}


def enabled_locales() -> tuple[str, ...]:
    tenant = get_current_tenant()
    return tuple(tenant.config.locales) if tenant else LOCALES


def select_locale() -> str:
    """The user's remembered choice, else the tenant's default (Georgian)."""
    enabled = enabled_locales()
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in enabled:
        return chosen
    tenant = get_current_tenant()
    return tenant.config.default_locale if tenant else "ka"


def select_timezone() -> str:
    tenant = get_current_tenant()
    return tenant.config.timezone if tenant else "Asia/Tbilisi"


#: Georgian script: Mkhedruli, Mtavruli, and the older Asomtavruli/Nuskhuri.
GEORGIAN = re.compile("[\u10a0-\u10ff\u1c90-\u1cbf\u2d00-\u2d2f]")


class Text(str):
    """Data text that knows its language, so a page in another language marks it.

    In HTML (Jinja's autoescape calls ``__html__``) a text in Georgian on an English page comes
    out as ``<span lang="ka">…</span>``, so screen readers pronounce it as Georgian (WCAG 3.1.2).
    Everywhere else it is the plain string. In an attribute, ``<title>`` or ``{% trans %}``
    whose output goes into an attribute, use ``|l10n_plain``: a span has no place there.
    """

    __slots__ = ("lang",)

    def __new__(cls, value: str, lang: str | None):
        text = super().__new__(cls, value)
        text.lang = lang
        return text

    def __html__(self) -> Markup:
        if self and self.lang and self.lang != current_lang():
            return Markup('<span lang="%s">%s</span>') % (self.lang, str(self))
        return escape(str(self))


def text_lang(text) -> str | None:
    """"ka" for text in Georgian script; None when it cannot tell (Latin script, digits)."""
    return "ka" if text and GEORGIAN.search(str(text)) else None


def localized(text) -> Text:
    """Pick the current language from a ka/en text (model or mapping), falling back to ka.

    A plain string (data kept in one language only: session titles, names, transcripts) is
    taken as it is, its language told by its script. The result knows which language it is
    in (``Text``), so a fallback to Georgian on an English page is marked ``lang="ka"``.
    """
    if text is None:
        return Text("", None)
    if isinstance(text, str):
        return text if isinstance(text, Text) else Text(text, text_lang(text))
    lang = current_lang()
    value = text.get(lang) if isinstance(text, dict) else getattr(text, lang, "")
    if value:
        return Text(value, lang)
    return Text(text.get("ka", "") if isinstance(text, dict) else text.ka, "ka")


def localized_plain(text) -> str:
    """``localized`` as a plain string, for attributes and ``<title>``."""
    return str(localized(text))


def lang_attr(*texts) -> Markup:
    """`` lang="ka"`` for an element (a transcript, a search snippet) whose text is in Georgian,
    on a page in another language; nothing otherwise."""
    if current_lang() != "ka" and any(text_lang(t) for t in texts):
        return Markup(' lang="ka"')
    return Markup("")


def request_locale():
    """``flask_babel.get_locale()``, reading the locale it already chose in one step.

    A page asks for its locale some fifty times (every ``_()`` and ``|l10n``); Flask-Babel's
    lookup walks ``g`` three times per call. Its choice (which ``force_locale`` and ``refresh``
    change) sits in ``g._flask_babel.babel_locale``; if a Flask-Babel release moves it, this
    falls back to ``get_locale()`` and only loses the speed.
    """
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    return locale if locale is not None else get_locale()


def current_lang() -> str:
    # Our locales are bare languages; ``str(locale)`` would rebuild the identifier every call.
    locale = request_locale()
    return locale.language if locale else "ka"


@functools.lru_cache(maxsize=4096)
def _long_date(day: date, locale) -> str:
    return format_date(day, "long", locale=locale)


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def long_date(value: datetime | date | None) -> str:
    """``value|dateformat("long")`` (the day in the municipality's time zone, in the page's
    language) at a tenth of the cost: a list of search results formats ten dates, and
    Flask-Babel resolves the locale and the time zone anew for each (70 µs)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(_zone(select_timezone())).date()
    return _long_date(value, request_locale())


@functools.lru_cache(maxsize=1024)
def _short_date(day: date, locale) -> str:
    return format_skeleton("MMMd", day, locale=locale)


def short_date(value: date | None) -> str:
    """Day and abbreviated month in the page's language ("Mar 3" / "3 მარ"): a chart's axis."""
    return "" if value is None else _short_date(value, request_locale())


def month_year(value: date | None) -> str:
    """A month standing alone, in the page's language ("March 2026" / "მარტი 2026"): a
    monthly statistics table's rows."""
    return "" if value is None else format_date(value, "LLLL y", locale=request_locale())


_catalogues: dict = {}


def request_catalogue():
    """The request's catalogue, looked up by its locale object (see below)."""
    locale = request_locale()
    try:
        return _catalogues[locale]
    except KeyError:
        _catalogues[locale] = found = get_translations()
        return found


def _local(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(_zone(select_timezone()))


def date_time(value: datetime | None) -> str:
    """The one way a moment is written: the long date and the time without seconds, in the
    municipality's time zone ("March 14, 2025, 12:00 PM" / "14 მარტი, 2025, 12:00")."""
    if value is None:
        return ""
    local = _local(value)
    return f"{long_date(local.date())}, {time_of_day(local)}"


def time_of_day(value: datetime | None) -> str:
    """Hours and minutes in the municipality's time zone, never seconds."""
    if value is None:
        return ""
    return format_time(_local(value).timetz(), "short", locale=request_locale())


#: Decimal (SI) units, as browsers and operating systems show file sizes.
_SIZE_UNITS = ((10**9, "GB"), (10**6, "MB"), (10**3, "kB"))


def file_size(size: int | None) -> str:
    """A file's size in the page's language: "191 bytes", "1.2 MB" / "191 ბაიტი", "1,2 მბ"."""
    size = int(size or 0)
    locale = request_locale()
    for factor, unit in _SIZE_UNITS:
        if size >= factor:
            number = format_decimal(size / factor, "#,##0.#", locale=locale)
            return {"GB": gettext("%(size)s GB", size=number),
                    "MB": gettext("%(size)s MB", size=number),
                    "kB": gettext("%(size)s kB", size=number)}[unit]
    return ngettext("%(size)s byte", "%(size)s bytes", size, size=format_decimal(size, locale=locale))


def list_phrase(items) -> str:
    """Words as a list in the page's language: "A, B and C" / "A, B და C"."""
    return format_list([str(item) for item in items], locale=request_locale())


def local_name(obj) -> Text:
    """A body's or member's name in the page's language; Georgian (marked so) without one."""
    if current_lang() == "en" and getattr(obj, "name_en", ""):
        return Text(obj.name_en, "en")
    return Text(obj.name_ka, "ka")


def zone() -> ZoneInfo:
    """The municipality's time zone (in a request or ``tenant_context``)."""
    return ZoneInfo(current_tenant.config.timezone)


def to_utc(local: datetime | None) -> datetime | None:
    """A wall-clock time typed by the clerk, in the municipality's zone, as an aware UTC time."""
    return local.replace(tzinfo=zone()).astimezone(UTC) if local else None


def to_local(stored: datetime | None) -> datetime | None:
    """A stored time (naive UTC on SQLite) as the municipality's wall-clock time."""
    if stored is None:
        return None
    aware = stored.replace(tzinfo=UTC) if stored.tzinfo is None else stored
    return aware.astimezone(zone()).replace(tzinfo=None)


def install_template_gettext(app: Flask) -> None:
    """Template ``_()``/``{% trans %}`` with one catalogue lookup per call, not five.

    Flask-Babel's own callables resolve the domain, the request context (twice), the locale
    and the locale's identifier string for every string a template translates: a fifth of
    a home page's rendering time. These look the catalogue up by the request's locale object,
    so ``force_locale`` and ``refresh`` still take effect; catalogues, like Flask-Babel's,
    are loaded once per process.
    """
    catalogue = request_catalogue
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalogue().ugettext(s),
        ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
        pgettext=lambda c, s: catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalogue().unpgettext(c, s, p, n),
        newstyle=True,
    )


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    install_template_gettext(app)
    app.jinja_env.filters.update(l10n=localized, l10n_plain=localized_plain,
                                 local_name=local_name)
    # The one set of date and size filters (tests/test_formats.py keeps templates on them).
    app.jinja_env.filters.update(long_date=long_date, short_date=short_date, month_year=month_year,
                                 date_time=date_time,
                                 time_of_day=time_of_day, filesizeformat=file_size,
                                 list_phrase=list_phrase)
    app.jinja_env.globals.update(
        current_lang=current_lang, enabled_locales=enabled_locales, LOCALE_NAMES=LOCALE_NAMES,
        lang_attr=lang_attr,
    )
