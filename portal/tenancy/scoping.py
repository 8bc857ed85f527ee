"""Scope every ORM statement on tenant-owned models to the current tenant.

Forgetting a ``tenant_id`` filter cannot leak data: SELECT, UPDATE and DELETE statements that
touch a ``TenantOwned`` model get ``tenant_id = current`` added, and new rows are stamped.
Code with no tenant (the platform root, a scheduler) must opt out with ``all_tenants()``;
otherwise it gets an error rather than every municipality's rows. A statement marked with
the execution option ``CURRENT_TENANT_ONLY`` (``portal.extensions.get_or_404``) is scoped even
under that opt-out, and finds nothing when there is no tenant.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql.util import find_tables

from portal.db import CURRENT_TENANT_ONLY, TenantOwned
from portal.tenancy.context import get_current_tenant, is_unscoped


class TenantScopeError(RuntimeError):
    """Tenant-owned data was touched with no tenant in context and no explicit opt-out."""


def _tenant_owned_tables() -> set:
    tables, stack = set(), list(TenantOwned.__subclasses__())
    while stack:
        cls = stack.pop()
        if getattr(cls, "__table__", None) is not None:
            tables.add(cls.__table__)
        stack.extend(cls.__subclasses__())
    return tables


def _touches_tenant_data(state: ORMExecuteState) -> bool:
    # Fast path, most statements: the statement's first ORM entity (wherever in it, a
    # subquery's too) is tenant-owned, so its table is in the statement; the same answer as
    # below without building ``all_mappers``, which costs more than the rest of this hook.
    subject = state.statement._propagate_attrs.get("plugin_subject")
    mapper = getattr(subject, "mapper", None)
    if mapper is not None and issubclass(mapper.class_, TenantOwned):
        return True
    # all_mappers misses entities inside subqueries (Query.count() wraps one), so also look
    # at every table the statement reads, however deeply nested.
    if any(issubclass(m.class_, TenantOwned) for m in state.all_mappers):
        return True
    tables = find_tables(state.statement, include_crud=True, include_joins=True)
    return not _tenant_owned_tables().isdisjoint(tables)


def _scope_statement(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load or state.is_relationship_load:
        return  # the parent was already scoped; criteria propagate through the option
    strict = bool(state.execution_options.get(CURRENT_TENANT_ONLY))
    if not strict and (state.execution_options.get("all_tenants") or is_unscoped()):
        return
    if not _touches_tenant_data(state):
        return
    tenant = get_current_tenant()
    if tenant is None and strict:
        # tenant_id is NOT NULL: no row matches, so the caller answers 404.
        criteria = with_loader_criteria(
            TenantOwned, lambda cls: cls.tenant_id.is_(None), include_aliases=True)
    elif tenant is None:
        raise TenantScopeError(
            "tenant-owned data queried with no tenant in context; use tenant_context() or,"
            " for deliberate cross-tenant work, all_tenants()"
        )
    else:
        criteria = _criteria_of(tenant.id)
    state.statement = state.statement.options(criteria)


#: One criteria option per municipality: building it analyses its lambda, which cost more
#: than the rest of this hook on every statement. The option is immutable and its cache key
#: carries the tenant's id, so sharing it between statements and threads is safe.
_CRITERIA: dict[int, object] = {}


def _criteria_of(tenant_id: int):
    criteria = _CRITERIA.get(tenant_id)
    if criteria is None:
        criteria = _CRITERIA[tenant_id] = with_loader_criteria(
            TenantOwned, lambda cls: cls.tenant_id == tenant_id, include_aliases=True)
    return criteria


def _stamp_new_rows(session: Session, flush_context, instances) -> None:
    tenant = get_current_tenant()
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, TenantOwned):
            continue
        if obj.tenant_id is None:
            if tenant is None:
                raise TenantScopeError(f"new {type(obj).__name__} has no tenant")
            obj.tenant_id = tenant.id
        elif tenant is not None and obj.tenant_id != tenant.id and not is_unscoped():
            raise TenantScopeError(
                f"{type(obj).__name__} of tenant {obj.tenant_id} written in tenant {tenant.id}"
            )


def install_scoping() -> None:
    """Listen on every Session (Flask-SQLAlchemy's, the tests', the jobs')."""
    if not event.contains(Session, "do_orm_execute", _scope_statement):
        event.listen(Session, "do_orm_execute", _scope_statement)
        event.listen(Session, "before_flush", _stamp_new_rows)

