"""Sign-in links for the URL-map walks (see tests/factories.py): a reset, an invitation and a
citizen's sign-in link, issued under the municipality (``accounts``) or on the shared host
(``platform_accounts``), each for a person of its own."""

from __future__ import annotations

from tests.factories import factory
from tests.staff_fixtures import make_staff


def _issue(objects, purpose: str, *, platform: bool) -> str:
    from portal.blueprints.accounts import services
    from portal.blueprints.accounts.models import User
    from portal.extensions import db

    tenant = None if platform else objects.tenant
    if purpose == "login":
        person = make_staff(objects.app, None, [], kind="citizen", password=None, enrolled=False)
    else:
        person = make_staff(objects.app, tenant, ["editor"], enrolled=purpose != "invite")
    with objects.app.app_context():
        token = services.issue_token(db.session.get(User, person.id), purpose,
                                     tenant.id if tenant else None)
        db.session.commit()
    return token


@factory("accounts", "reset_token")
def _reset(objects):
    return _issue(objects, "reset", platform=False)


@factory("accounts", "invitation_token")
def _invitation(objects):
    return _issue(objects, "invite", platform=False)


@factory("accounts", "link_token")
def _link(objects):
    return _issue(objects, "login", platform=False)


@factory("platform_accounts", "reset_token")
def _platform_reset(objects):
    return _issue(objects, "reset", platform=True)


@factory("platform_accounts", "invitation_token")
def _platform_invitation(objects):
    return _issue(objects, "invite", platform=True)


@factory("platform_accounts", "link_token")
def _platform_link(objects):
    return _issue(objects, "login", platform=True)
