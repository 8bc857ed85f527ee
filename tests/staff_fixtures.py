"""Fixtures for staff tests: people with roles in Poti or Abasha, and signing them in.

``staff`` creates a committed (inside the test's rolled-back transaction) staff user with
a password (its argon2 hash computed once per run: ``password_hash``) and TOTP secret;
``sign_in_full`` walks the real two-step sign-in; ``signed_in`` sets the session cookie the
way a finished sign-in does, for tests about other things.
"""

from __future__ import annotations

import functools
import itertools
import time

import pyotp
import pytest

from tests.helpers import csrf_token

PASSWORD = "violet tractor honey window 93"
_counter = itertools.count(1)


@functools.cache
def password_hash(password: str) -> str:
    """The argon2id hash of ``password``, computed once per run: argon2 is slow on purpose,
    and the walks over the URL map create people by the dozen. Every hash verifies."""
    from portal.blueprints.accounts import passwords

    return passwords.hash_password(password)


def make_staff(app, tenant, roles, *, email=None, password=PASSWORD, enrolled=True,
               platform=False, kind="staff", name="Test Person"):
    """A committed staff user (detached) holding ``roles`` in ``tenant`` (None: no tenant)."""
    from portal.blueprints.accounts import totp
    from portal.blueprints.accounts.models import RoleAssignment, User
    from portal.extensions import db
    from portal.tenancy import tenant_context

    email = email or f"person{next(_counter)}-{tenant.slug if tenant else 'platform'}@example.org"
    with app.app_context():
        user = User(email=email, name=name, kind=kind, is_platform_admin=platform,
                    password_hash=password_hash(password) if password else None,
                    totp_secret=totp.new_secret() if enrolled else None)
        db.session.add(user)
        db.session.flush()
        if tenant is not None:
            with tenant_context(tenant):
                for role in roles:
                    db.session.add(RoleAssignment(user_id=user.id, role=role))
                db.session.flush()
        db.session.commit()
        db.session.refresh(user)
        db.session.expunge(user)
    return user


@pytest.fixture
def staff(app):
    """``staff(tenant, ["editor"])`` → a User (detached), signed-in-able."""

    def make(tenant, roles, **options):
        return make_staff(app, tenant, roles, **options)

    return make


@pytest.fixture
def editor(app, staff, poti):
    """A client signed in as an editor of Poti (news, documents, projects, sights), in English."""
    client = app.test_client()
    signed_in(client, staff(poti, ["editor"]))
    client.set_cookie("lang", "en")
    return client


def totp_now(secret: str, offset_steps: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.at(time.time() + offset_steps * totp.interval)


def sign_in_full(client, tenant_slug: str | None, user, password: str = PASSWORD, code: str | None = None):
    """The real sign-in: password page, then the code page. Returns the last response."""
    base = f"/{tenant_slug}/accounts" if tenant_slug else "/accounts"
    page = client.get(f"{base}/sign-in")
    response = client.post(f"{base}/sign-in", data={
        "csrf_token": csrf_token(page.text), "email": user.email, "password": password})
    if response.status_code != 303:
        return response
    page = client.get(f"{base}/two-factor")
    return client.post(f"{base}/two-factor", data={
        "csrf_token": csrf_token(page.text), "code": code or totp_now(user.totp_secret)})


def signed_in(client, user) -> str:
    """Put ``user`` in the client's session as a completed sign-in would (a ``user_sessions``
    row on the server, its key in the cookie); returns the session key."""
    from portal.blueprints.accounts import user_sessions
    from portal.blueprints.accounts.models import User
    from portal.extensions import db

    app = client.application
    with app.app_context():
        key = user_sessions.start(db.session.get(User, user.id))
        db.session.commit()
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = f"{user.id}:{user.session_version}:{key}"
        session["_fresh"] = True
    return key


def form_token(client, url: str) -> str:
    return csrf_token(client.get(url).text)
