"""Every staff route that changes something writes an audit row.

The test finds every staff route accepting POST in ``app.url_map``; each needs a valid
``@submission(endpoint)`` in its feature's ``tests/<feature>/factories.py``, its URL built by
the factories (tests/factories.py); a new route fails ``test_every_mutating_staff_route_is_covered``
until its feature adds one. Each submission must add an audit entry naming the actor and the
client address. At run time ``@requires`` also refuses (in tests) a successful staff POST
that wrote no audit row.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.web.permissions import is_staff_rule
from tests.factories import Objects, rule_for, submissions
from tests.helpers import csrf_token
from tests.staff_fixtures import signed_in


def mutating_staff_endpoints(app) -> set[str]:
    return {r.endpoint for r in app.url_map.iter_rules() if is_staff_rule(r.rule) and "POST" in r.methods}


def test_every_mutating_staff_route_is_covered(app):
    missing = mutating_staff_endpoints(app) - set(submissions())
    assert not missing, ("add a valid @submission(endpoint) to the feature's tests/<feature>/factories.py "
                         f"(see tests/factories.py) for: {sorted(missing)}")


@pytest.fixture(autouse=True)
def _no_mail(monkeypatch):
    from portal.blueprints.accounts import notifications

    monkeypatch.setattr(notifications, "_queue_email", lambda **kw: None)


@pytest.mark.parametrize("endpoint", sorted(submissions()))
def test_each_mutation_writes_an_audit_row(app, staff, poti, endpoint):
    admin = staff(poti, ["admin"], platform=True)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    signed_in(client, admin)
    objects = Objects(app, poti)
    url = objects.url(rule_for(app, endpoint), "poti")
    data = submissions()[endpoint](objects, client)
    with app.app_context():
        last = db.session.execute(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)).scalar() or 0
    data.setdefault("csrf_token", csrf_token(client.get("/poti/admin/staff").text))
    response = client.post(url, data=data)
    assert response.status_code == 303, response.text[-1500:]
    with app.app_context():
        entries = db.session.execute(select(AuditEntry).where(AuditEntry.id > last)).scalars().all()
    assert entries, f"{endpoint} wrote no audit entry"
    assert all(e.actor_id == admin.id and e.ip == "203.0.113.9" for e in entries)


def test_an_unaudited_staff_mutation_is_caught(app):
    from flask import Flask

    from portal.web.permissions import _check_audited

    probe = Flask("probe")
    probe.config["TESTING"] = True
    with probe.test_request_context("/x/admin/thing", method="POST"):
        from flask import g

        g.audit_expected = True
        with pytest.raises(AssertionError, match="without an audit row"):
            _check_audited(probe.make_response(("ok", 200)))
