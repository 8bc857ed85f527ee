"""Job entry points for the archive, registered on the job queue (``portal.jobs``) and
scheduled in ``portal/jobs/schedule.py``."""

from __future__ import annotations

from flask import current_app

from portal.extensions import db
from portal.jobs import job
from portal.tenancy import get_directory


# Not retried by the queue: a source's failure is recorded in its sync run, and the next
# scheduled run (ten minutes later) resumes from the saved cursor anyway.
@job(retries=0)
def sync_sessions(tenant_id: int) -> str:
    """Sync one municipality's YouTube channel and Facebook Page into its archive.

    Commits page by page (the sync is resumable), so it owns its commits, like a CLI command.
    """
    from portal.blueprints.sessions.sources.sync import configured_clients, sync_tenant

    tenant = next((t for t in get_directory(current_app).active() if t.id == tenant_id), None)
    if tenant is None:
        return "no such municipality"
    runs = sync_tenant(tenant, configured_clients(tenant), checkpoint=db.session.commit)
    db.session.commit()
    summary = ", ".join(f"{r.source}:{r.status}" for r in runs) or "no source configured"
    return summary + _queue_transcriptions(tenant_id)


def _queue_transcriptions(tenant_id: int) -> str:
    """After a sync: speech-to-text for the recordings still without captions, when the
    operator configured a backend (``ARCHIVE_SPEECH_BACKEND``) and some are waiting."""
    from portal.blueprints.sessions.recordings import machine
    from portal.jobs import enqueue

    if machine.transcriber() is None or not machine.candidates(limit=1):
        return ""
    enqueue("transcribe_recordings", tenant_id=tenant_id)
    return "; transcription queued"


# Not retried by the queue: a failed recording is recorded in its transcription row (the
# clerk sees why), a failure of the service's side is taken again by a later run.
@job(retries=0)
def transcribe_recordings(tenant_id: int) -> str:
    """Machine transcripts for a few recordings without captions (``recordings/machine.py``):
    each claimed first, so two workers never transcribe (and pay for) the same recording."""
    from portal.blueprints.sessions.recordings import machine
    from portal.blueprints.sessions.sources.sync import configured_clients

    engine = machine.transcriber()
    tenant = next((t for t in get_directory(current_app).active() if t.id == tenant_id), None)
    if engine is None or tenant is None:
        return "speech-to-text is off"
    clients = configured_clients(tenant)
    done = [f"{rid}:{machine.transcribe_recording(rid, engine, clients)}"
            for rid in machine.candidates()]
    return ", ".join(done) or "nothing to transcribe"


@job(retries=2, retry_delay=30)
def extract_document_text(tenant_id: int, document_id: int) -> str:
    """Read an uploaded PDF or Word file's text within the limits (idempotent)."""
    from portal.blueprints.sessions.council.documents import extract_pending

    return extract_pending(document_id)


# Not retried: the next sweep (ten minutes later) tries again.
@job(retries=0)
def extract_stale_documents(tenant_id: int) -> str:
    """Read the documents whose extraction job was lost (pending for more than 10 minutes)."""
    from portal.blueprints.sessions.council.documents import extract_pending, stale_pending

    statuses = [extract_pending(document_id) for document_id in stale_pending()]
    return ", ".join(statuses) or "none pending"


# Not retried: the next run (ten minutes later) starts from the watermarks, and the matches
# already claimed are never sent again.
@job(retries=0)
def send_search_alerts(tenant_id: int) -> str:
    """Run the saved searches of the archive over what is new; tell their subscribers once
    (``search_alerts.py``). Searches nobody follows any more are deleted."""
    from portal.blueprints.sessions.search_alerts import purge_unfollowed, send_alerts

    made = send_alerts()
    return f"{made} messages, {purge_unfollowed()} unfollowed searches deleted"
