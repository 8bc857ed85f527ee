"""Committed petitions for the staff pages' tests (and the isolation and audit tests)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from portal.blueprints.petitions import voters
from portal.blueprints.petitions.models import Petition
from portal.extensions import db
from portal.tenancy import tenant_context


def make_petition(app, tenant, *, status: str = "moderation", author_id: int | None = None,
                  title: str = "ნაგვის გატანა ყოველდღე", **values) -> int:
    """A committed petition of ``tenant`` (its id)."""
    now = datetime.now(UTC)
    with app.app_context(), tenant_context(tenant):
        collecting = status not in ("draft", "moderation", "changes_requested", "rejected")
        petition = Petition(title=title, text="ტექსტი", requested_action="განიხილოს",
                            form="request_to_discuss", status=status, author_id=author_id,
                            collection_opens_at=now - timedelta(days=1) if collecting else None,
                            collection_closes_at=now + timedelta(days=29) if collecting else None,
                            threshold=values.pop("threshold", 201 if collecting else None),
                            **values)
        db.session.add(petition)
        db.session.commit()
        return petition.id


def record_voters(app, tenant, count: int = 20013, on: date = date(2022, 6, 21)) -> None:
    with app.app_context(), tenant_context(tenant):
        voters.set_voter_count(count, on)
        db.session.commit()
