"""Tenant scoping: a query in Poti's context cannot return or change Abasha's rows."""

import pytest
from sqlalchemy import MetaData, String, delete, func, select, update
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from portal.db import NAMING_CONVENTION, TenantOwned
from portal.extensions import db
from portal.tenancy import TenantScopeError, all_tenants, tenant_context
from portal.tenancy.models import Tenant


class ScratchBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


Tenant.__table__.to_metadata(ScratchBase.metadata)


class Note(TenantOwned, ScratchBase):
    """A tenant-owned model that exists only in these tests."""

    __tablename__ = "scratch_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(50))


@pytest.fixture
def notes(ctx, poti, abasha):
    Note.__table__.create(db.session.connection())
    with tenant_context(poti):
        db.session.add_all([Note(text="poti-1"), Note(text="poti-2")])
        db.session.flush()
    with tenant_context(abasha):
        db.session.add(Note(text="abasha-1"))
        db.session.flush()


def test_select_sees_only_current_tenant(notes, poti, abasha):
    with tenant_context(poti):
        assert sorted(n.text for n in db.session.scalars(select(Note))) == ["poti-1", "poti-2"]
        assert db.session.scalar(select(func.count(Note.id))) == 2
    with tenant_context(abasha):
        assert [n.text for n in db.session.scalars(select(Note))] == ["abasha-1"]


def test_get_by_id_of_another_tenant_finds_nothing(notes, poti, abasha):
    with tenant_context(abasha):
        abasha_id = db.session.scalars(select(Note.id)).one()
    db.session.expunge_all()
    with tenant_context(poti):
        assert db.session.scalars(select(Note).where(Note.id == abasha_id)).first() is None
        assert db.get_or_404 is not None
        found = db.session.execute(select(Note).filter_by(id=abasha_id)).scalar_one_or_none()
        assert found is None


def test_update_and_delete_are_scoped(notes, poti, abasha):
    with tenant_context(poti):
        db.session.execute(update(Note).values(text="changed"))
        db.session.execute(delete(Note))
    with tenant_context(abasha):
        assert [n.text for n in db.session.scalars(select(Note))] == ["abasha-1"]


def test_no_tenant_in_context_is_an_error_not_a_leak(notes):
    with pytest.raises(TenantScopeError):
        db.session.scalars(select(Note)).all()


def test_explicit_opt_out_sees_everything(notes):
    with all_tenants():
        assert db.session.scalar(select(func.count(Note.id))) == 3
    assert db.session.scalar(
        select(func.count(Note.id)).execution_options(all_tenants=True)
    ) == 3


def test_new_rows_are_stamped_and_foreign_rows_refused(notes, poti, abasha):
    with tenant_context(poti):
        note = Note(text="new")
        db.session.add(note)
        db.session.flush()
        assert note.tenant_id == poti.id
        db.session.add(Note(text="smuggled", tenant_id=abasha.id))
        with pytest.raises(TenantScopeError):
            db.session.flush()
    db.session.rollback()


def test_scoping_cannot_be_fooled_by_cached_statements(notes, poti, abasha):
    # The same statement object, compiled once, must still use each tenant's own id.
    stmt = select(Note.text)
    with tenant_context(poti):
        first = set(db.session.scalars(stmt))
    with tenant_context(abasha):
        second = set(db.session.scalars(stmt))
    assert first == {"poti-1", "poti-2"} and second == {"abasha-1"}


def test_get_or_404_refuses_another_tenants_id_even_from_the_identity_map(notes, poti, abasha):
    from werkzeug.exceptions import NotFound

    from portal.extensions import get_or_404

    with tenant_context(abasha):
        abasha_note = db.session.scalars(select(Note)).one()  # now in the identity map
        assert get_or_404(Note, abasha_note.id) is abasha_note
    with tenant_context(poti), pytest.raises(NotFound):
        get_or_404(Note, abasha_note.id)
    with tenant_context(poti), pytest.raises(NotFound):
        get_or_404(Note, 999_999)
    with tenant_context(poti), all_tenants(), pytest.raises(NotFound):
        get_or_404(Note, abasha_note.id)  # the opt-out widens queries, never get_or_404
    with pytest.raises(NotFound):
        get_or_404(Note, abasha_note.id)  # no tenant: nothing is anybody's


def test_legacy_query_api_is_scoped_too(notes, poti, abasha):
    with tenant_context(poti):
        assert db.session.query(Note).count() == 2
        assert db.session.query(Note.id).count() == 2
        assert db.session.query(func.count(Note.id)).scalar() == 2
        assert db.session.scalar(select(func.count()).select_from(Note)) == 2
        inner = select(Note.id).subquery()
        assert db.session.scalar(select(func.count()).select_from(inner)) == 2
        assert len(db.session.query(Note).all()) == 2


def test_subquery_with_no_tenant_is_an_error(notes):
    inner = select(Note.id).subquery()
    with pytest.raises(TenantScopeError):
        db.session.scalar(select(func.count()).select_from(inner))
    with pytest.raises(TenantScopeError):
        db.session.query(Note).count()


def test_flask_sqlalchemy_get_or_404_is_tenant_safe(notes, poti, abasha):
    from werkzeug.exceptions import NotFound

    with tenant_context(abasha):
        foreign = db.session.scalars(select(Note)).one()
    with tenant_context(poti), pytest.raises(NotFound):
        db.get_or_404(Note, foreign.id)
