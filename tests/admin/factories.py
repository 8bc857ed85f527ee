"""The municipality admin's things for the URL-map walks (see tests/factories.py): its staff,
and a valid form for each of its POST routes."""

from __future__ import annotations

import html
import re

from tests.factories import factory, submission
from tests.helpers import csrf_token
from tests.staff_fixtures import make_staff


@factory("admin", "user_id")
def _staff_member(objects):
    return make_staff(objects.app, objects.tenant, ["editor"]).id


@submission("admin.settings")
def _settings(objects, client):
    """The settings form as the page fills it, with a new colour."""
    page = client.get(f"/{objects.tenant.slug}/admin/settings").text
    data = {"csrf_token": csrf_token(page), "primary": "#224466"}
    for name, value in re.findall(r'<input [^>]*name="([a-z_0-9]+)"[^>]*value="([^"]*)"', page):
        data.setdefault(name, html.unescape(value))
    for name, value in re.findall(r'<textarea [^>]*name="([a-z_0-9]+)"[^>]*>\s*([^<]*)</textarea>', page):
        data.setdefault(name, html.unescape(value))
    return data


@submission("admin.invite")
def _invite(objects, client):
    return {"email": "someone@example.org", "roles": ["editor"]}


@submission("admin.member")
def _member(objects, client):
    return {"roles": ["moderator"]}


@submission("admin.deactivate")
def _nothing_more(objects, client):
    return {}


@submission("admin.approve_held")
def _approve(objects, client):
    return {"every": "1"}


@submission("admin.retry_failed")
def _retry(objects, client):
    return {"ids": ["1"]}


@submission("admin.resend_in_doubt")
def _resend(objects, client):
    return {"ids": ["1"], "confirm": "y"}


@factory("admin", "feature_slug", owned=False)
def _feature(objects):
    """A feature whose settings have a form (its name is the same in every municipality)."""
    return "petitions"


@submission("admin.feature_switches")
def _feature_switches(objects, client):
    return {"on": ["tour"]}


@submission("admin.feature_settings")
def _feature_settings(objects, client):
    return {"threshold": "120"}


@submission("admin.working_days_set")
def _working_day(objects, client):
    return {"day": "2026-12-31", "kind": "off", "note": "მთავრობის დადგენილება"}


@submission("admin.working_days_remove")
def _working_day_removed(objects, client):
    from datetime import date

    from portal.extensions import db
    from portal.services.working_days import set_exception
    from portal.tenancy import tenant_context

    with objects.app.app_context(), tenant_context(objects.tenant):
        set_exception(date(2026, 12, 30), False)
        db.session.commit()
    return {"day": "2026-12-30"}
