"""Petitions in both municipalities, ready to sign."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from portal.blueprints.petitions.models import Petition
from portal.extensions import db

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def make_petition(*, status: str = "collecting", title: str = "ნაგვის გატანა ყოველდღე",
                  opens: datetime | None = NOW - timedelta(days=1),
                  closes: datetime | None = NOW + timedelta(days=29), **values) -> Petition:
    """A petition of the current municipality (call inside ``tenant_context``); flushed."""
    petition = Petition(title=title, text="ტექსტი", requested_action="განიხილოს",
                        form="request_to_discuss", status=status, collection_opens_at=opens,
                        collection_closes_at=closes, threshold=values.pop("threshold", 201),
                        **values)
    db.session.add(petition)
    db.session.flush()
    return petition


def signer(n: int, **values) -> dict:
    """The keyword arguments of ``signing.sign`` for signer number ``n`` (distinct numbers)."""
    return {"full_name": f"ნინო ბერიძე {n}", "personal_number": f"{n:011d}",
            "email": f"signer{n}@example.ge", "consent": True, "locale": "ka",
            "confirm_url": lambda token: f"https://poti.example.ge/confirm/{token}", **values}


@pytest.fixture
def confirm_link():
    return lambda token: f"https://poti.example.ge/confirm/{token}"
