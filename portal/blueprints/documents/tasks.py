"""The register's jobs: read an uploaded file's text, and sweep up versions whose job was lost."""

from __future__ import annotations

from portal.jobs import job


@job(retries=2, retry_delay=30)
def extract_register_text(tenant_id: int, document_version_id: int) -> str:
    """Read a register file's text within the limits (idempotent)."""
    from portal.blueprints.documents.services import extract_pending

    return extract_pending(document_version_id)


@job(retries=0)
def extract_stale_register_texts(tenant_id: int) -> str:
    """Read the versions pending for more than 10 minutes (their job was lost)."""
    from portal.blueprints.documents.services import extract_pending, stale_pending

    return ", ".join(extract_pending(v) for v in stale_pending()) or "none pending"
