"""Saved searches of the archive (the topic ``sessions.search``) on the citizen's My page and
in the staff's counts per topic."""

from __future__ import annotations

import re

from portal.blueprints.sessions.search_alerts import save_search
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.subscriptions.factories import make_subscriber


def _saved(app, tenant, words) -> int:
    with app.app_context(), tenant_context(tenant):
        search_id = save_search(words).id
        db.session.commit()
        return search_id


def test_my_page_lists_each_saved_search(app, client, poti):
    from tests.staff_fixtures import make_staff, signed_in

    search_id = _saved(app, poti, "პორტი")
    make_subscriber(app, poti, address="mine@example.ge",
                    topics=("emergency", f"sessions.search:{search_id}"))
    citizen = make_staff(app, None, [], kind="citizen", password=None, enrolled=False,
                         email="mine@example.ge")
    signed_in(client, citizen)
    page = client.get("/poti/accounts/me")
    assert page.status_code == 200 and "“პორტი”" in page.text


def test_staff_see_how_many_searches_are_saved(app, staff, poti, abasha):
    from tests.staff_fixtures import signed_in

    port, budget = _saved(app, poti, "პორტი"), _saved(app, poti, "ბიუჯეტი")
    make_subscriber(app, poti, topics=(f"sessions.search:{port}", f"sessions.search:{budget}"))
    make_subscriber(app, poti, topics=(f"sessions.search:{port}",))
    make_subscriber(app, poti, channel="sms", address="995555000009",
                    topics=(f"sessions.search:{port}",))
    make_subscriber(app, abasha, topics=(f"sessions.search:{_saved(app, abasha, 'გზა')}",))
    admin = app.test_client()
    signed_in(admin, staff(poti, ["editor"]))
    page = admin.get("/poti/admin/subscriptions/")
    assert page.status_code == 200
    row = re.search(r"<tr>\s*<td[^>]*>[^<]*არქივ[^<]*</td>(.*?)</tr>", page.text, re.S)
    # e-mail subscriptions, SMS subscriptions, different searches (Abasha's not counted)
    assert row and re.findall(r">(\d+)<", row.group(1)) == ["3", "1", "2"]
