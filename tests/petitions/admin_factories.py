"""Committed petitions for the staff pages' tests, and the staff pages' objects and valid
forms for the URL-map walks (listed in tests/factories.py: FEATURE_MODULES)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from portal.blueprints.petitions import bursts
from portal.blueprints.petitions.models import Petition, Signature, VoterCount
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.factories import factory, submission


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


# The URL-map walks (tests/factories.py): the staff pages' petition and a valid form for each
# of their POST routes. One petition serves a walk; a submission first puts it in the status
# its route needs.

@factory("petitions_admin", "petition_id")
def _petition(objects):
    return make_petition(objects.app, objects.tenant)


def _in_status(objects, status: str, *, paper: int = 0, sample: bool = False) -> int:
    from sqlalchemy import update

    pid = int(objects.value("petitions_admin", "petition_id"))
    with objects.app.app_context(), tenant_context(objects.tenant):
        collecting = status != "moderation"
        now = datetime.now(UTC)
        db.session.execute(update(Petition).where(Petition.id == pid).values(
            status=status, threshold=201 if collecting else None,
            collection_opens_at=now - timedelta(days=1) if collecting else None,
            collection_closes_at=now + timedelta(days=29) if collecting else None))
        db.session.commit()
    if paper:
        add_paper(objects.app, objects.tenant, pid, paper, sample=sample)
    return pid


@submission("petitions_admin.publish")
def _publish(objects, client):
    record_voters(objects.app, objects.tenant)
    _in_status(objects, "moderation")
    return {}


@submission("petitions_admin.ask_changes")
def _ask_changes(objects, client):
    _in_status(objects, "moderation")
    return {"note": "დააზუსტეთ მოთხოვნა"}


@submission("petitions_admin.reject")
def _reject(objects, client):
    _in_status(objects, "moderation")
    return {"reason": "unclear"}


@submission("petitions_admin.voter_count")
def _voter_count(objects, client):
    return {"voters": "20013", "counted_on": "2022-06-21"}


@submission("petitions_admin.paper")
def _paper(objects, client):
    _in_status(objects, "collecting")
    return {"rows": "12345678901, ნინო ბერიძე"}


@submission("petitions_admin.sample")
def _sample(objects, client):
    _in_status(objects, "collecting", paper=2)
    return {"percent": "50", "seed": "7"}


@submission("petitions_admin.mark")
def _mark(objects, client):
    pid = _in_status(objects, "collecting", paper=1, sample=True)
    [signature] = signature_ids(objects.app, objects.tenant, pid)
    return {"signature_id": str(signature), "validity": "valid"}


def _archive_session(objects):
    """A session of the municipality's archive with a recording and a transcript line."""
    from tests.sessions.admin_recordings.factories import make_recording

    return objects.once("petitions' archive session",
                        lambda: make_recording(objects.app, objects.tenant))


@submission("petitions_admin.agenda")
def _agenda(objects, client):
    _in_status(objects, "submitted")
    return {"session": str(_archive_session(objects).session)}


@submission("petitions_admin.decision")
def _decision(objects, client):
    _in_status(objects, "submitted")
    made = _archive_session(objects)
    return {"decision": "მიღებულია", "session": str(made.session),
            "segment": str(made.segment)}


@factory("petitions_author", "petition_id")
def _authors_petition(objects):
    """A draft (its page asks a signed-out visitor to sign in; 404 elsewhere)."""
    return make_petition(objects.app, objects.tenant, status="draft")


_bursts = itertools.count(1)


@submission("petitions_admin.invalidate_burst")
def _invalidate_burst(objects, client):
    pid = _in_status(objects, "collecting")
    run = next(_bursts)
    domain = f"burst{run}.example"
    with objects.app.app_context(), tenant_context(objects.tenant):
        now = datetime.now(UTC)
        for n in range(2):
            db.session.add(Signature(petition_id=pid, full_name="ნინო ბერიძე",
                                     personal_number_hash=f"burst-{run}-{n}",
                                     email=f"b{n}@{domain}", has_consent=True,
                                     email_normalised=f"b{n}@{domain}", created_at=now))
        db.session.commit()
        petition = db.session.get(Petition, pid)
        [burst] = [b for b in bursts.find(petition, at_least=2) if b.source == domain]
        return {"burst": burst.key}
