"""Authors for the petitions' tests: a signed-in citizen, with or without confirmed author
details."""

from __future__ import annotations

from datetime import date

from portal.blueprints.petitions import personal_numbers
from portal.blueprints.petitions.models import AuthorProfile
from portal.db import utcnow
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.staff_fixtures import make_staff, signed_in

NUMBER = "01001012345"


def citizen(app, email, *, lang="en", name="ნინო ბერიძე"):
    """(user, client): a citizen account signed in on a fresh test client."""
    user = make_staff(app, None, [], kind="citizen", password=None, enrolled=False, email=email,
                      name=name)
    client = app.test_client()
    signed_in(client, user)
    client.set_cookie("lang", lang)
    return user, client


def confirmed_profile(app, tenant, user_id, *, number=NUMBER, phone="+995555123456"):
    """Complete, confirmed author details for ``user_id`` in ``tenant``; committed."""
    now = utcnow()
    with app.app_context(), tenant_context(tenant):
        profile = AuthorProfile(
            user_id=user_id, first_name="ნინო", last_name="ბერიძე", birth_date=date(1990, 5, 1),
            personal_number_hash=personal_numbers.fingerprint(number), personal_number=number,
            phone=phone, email_confirmed_at=now, phone_confirmed_at=now)
        db.session.add(profile)
        db.session.commit()
        return profile.id
