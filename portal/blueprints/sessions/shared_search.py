"""The archive's search service for other features (the one index; issue 15's documents
register uses it): a feature registers a ``GroupSource`` (its groups are kept current by the
archive's flush listener, scoped by municipality, out of the archive's own searches) and
searches its groups with ``search_source``."""

from __future__ import annotations

from sqlalchemy import Connection

from portal.blueprints.sessions.search import Group, SearchPage, SearchQuery, search
from portal.blueprints.sessions.search.entries import (
    GroupSource,
    IndexedGroup,
    IndexedText,
    register_source,
)

__all__ = ["Group", "GroupSource", "IndexedGroup", "IndexedText", "SearchPage",
           "register_source", "search_source"]


def search_source(conn: Connection, prefix: str, text: str, *, tenant_id: int,
                  tokens: tuple[str, ...] = (), year: int | None = None,
                  before: int | None = None, per_page: int = 20,
                  hits_per_group: int = 2) -> SearchPage:
    """Groups of ``prefix`` in one municipality matching ``text`` (every word, as a prefix)
    and every filter token, newest day first; ``next_cursor`` continues below the page."""
    return search(conn, SearchQuery(text=text, tenant_ids=(tenant_id,), year=year, before=before,
                                    per_page=per_page, hits_per_group=hits_per_group,
                                    source=prefix, tokens=tokens))
