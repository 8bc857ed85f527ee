"""Rules every model follows: tenant-owned rows are indexed by tenant, relationships never
lazy-load behind a list page's back."""

from sqlalchemy.orm import RelationshipProperty

from portal.db import Model, TenantOwned


def mapped_classes():
    return [m.class_ for m in Model.registry.mappers]


def test_relationships_raise_on_lazy_load():
    for cls in mapped_classes():
        for prop in cls.__mapper__.iterate_properties:
            if isinstance(prop, RelationshipProperty):
                assert prop.lazy in {"raise", "raise_on_sql", "selectin", "joined", "noload",
                                     "write_only", "dynamic"}, f"{cls.__name__}.{prop.key}"


def test_tenant_owned_tables_index_their_tenant():
    for cls in mapped_classes():
        if issubclass(cls, TenantOwned):
            column = cls.__table__.c.tenant_id
            assert not column.nullable and column.index, cls.__name__


def test_tenant_owned_unique_constraints_include_the_tenant():
    from sqlalchemy import UniqueConstraint

    for cls in mapped_classes():
        if not issubclass(cls, TenantOwned):
            continue
        for constraint in cls.__table__.constraints:
            if isinstance(constraint, UniqueConstraint):
                assert "tenant_id" in constraint.columns, f"{cls.__name__}: {constraint.name}"
