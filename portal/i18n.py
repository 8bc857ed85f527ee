"""Language and time zone of each request; helpers for ka/en data fields."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import get_locale

from portal.extensions import babel
from portal.tenancy import get_current_tenant

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


def localized(text) -> str:
    """Pick the current language from a ka/en text (model or mapping), falling back to ka."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    lang = str(get_locale() or "ka")
    value = text.get(lang) if isinstance(text, dict) else getattr(text, lang, "")
    if value:
        return value
    return text.get("ka", "") if isinstance(text, dict) else text.ka


def current_lang() -> str:
    return str(get_locale() or "ka")


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.filters["l10n"] = localized
    app.jinja_env.globals.update(
        current_lang=current_lang, enabled_locales=enabled_locales, LOCALE_NAMES=LOCALE_NAMES
    )
