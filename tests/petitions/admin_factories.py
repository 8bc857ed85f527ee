"""Committed petitions for the staff pages' tests (and the isolation and audit tests)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from portal.blueprints.petitions.models import Petition, VoterCount
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
    """A voter count row, written directly (no audit entry of its own)."""
    with app.app_context(), tenant_context(tenant):
        db.session.add(VoterCount(voters=count, counted_on=on))
        db.session.commit()


def add_paper(app, tenant, petition_id: int, count: int, *, sample: bool = False) -> None:
    """``count`` paper signatures (confirmed), all drawn into the sample when ``sample``."""
    from sqlalchemy import update

    from portal.blueprints.petitions import signing
    from portal.blueprints.petitions.models import Signature

    with app.app_context(), tenant_context(tenant):
        petition = db.session.get(Petition, petition_id)
        for n in range(count):
            signing.add_paper_signature(petition, full_name=f"ხელმომწერი {n}",
                                        personal_number=f"{petition_id * 1000 + n:011d}")
        if sample:
            db.session.execute(update(Signature).where(Signature.petition_id == petition_id)
                               .values(is_sampled=True))
        db.session.commit()


def signature_ids(app, tenant, petition_id: int) -> list[int]:
    from sqlalchemy import select

    from portal.blueprints.petitions.models import Signature

    with app.app_context(), tenant_context(tenant):
        return list(db.session.scalars(select(Signature.id).where(
            Signature.petition_id == petition_id).order_by(Signature.id)))
