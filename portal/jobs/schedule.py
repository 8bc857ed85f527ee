"""The one table of periodic jobs: what runs when, for every active municipality or once.

A feature's job runs only for the municipalities that have the feature on (the registry in
``app.extensions["features"]`` says which feature a job module belongs to).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask
from huey import crontab

from portal.tenancy import all_tenants
from portal.tenancy.directory import get_directory

log = logging.getLogger("portal.jobs")


@dataclass(frozen=True)
class Periodic:
    job: str
    when: crontab
    #: True: enqueue the job once per active municipality; False: once, as a platform job.
    per_tenant: bool = True


SCHEDULE: tuple[Periodic, ...] = (
    # The sweeper: commits wake delivery at once; this catches anything a lost wake-up
    # (worker restart, Redis blip) or a retry delay left behind.
    Periodic("send_outbox", crontab(minute="*")),
    Periodic("poll_sms_status", crontab(minute="*/5")),
    Periodic("purge_job_runs", crontab(hour="3", minute="17"), per_tenant=False),
    # Ended or long-idle sessions and day-old sign-in failure counts (personal data: addresses).
    Periodic("purge_sign_in_records", crontab(minute="23"), per_tenant=False),
    # Finished messages after OUTBOX_RETENTION_DAYS (portal/delivery/retention.py).
    Periodic("purge_outbox", crontab(hour="3", minute="41")),
    # The council archive (issue 5): every 10 minutes, so a livestream shows on the home page
    # within ten minutes of going live. An unchanged YouTube channel costs 2 quota units a run
    # (channels.list + one playlistItems.list page; videos.list only for new videos, plus 1
    # while a live or upcoming video is watched): 144 runs, about 290-430 units a day per
    # municipality, so the default 10,000 units a day of one API key serve some 20 of them.
    # Facebook costs 2 Graph API calls a run, far below a Page token's hourly limit.
    Periodic("sync_sessions", crontab(minute="*/10")),
    # Documents' text: uploads queue their own job; this reads those whose job was lost.
    Periodic("extract_stale_documents", crontab(minute="5-59/10")),
    # Petitions (issue 12): confirmed signatures join the public count within a minute; the
    # daily check that each count equals its confirmed rows, and the anonymisation of signers
    # of petitions closed long enough ago.
    Periodic("count_signatures", crontab(minute="*")),
    Periodic("reconcile_signature_counts", crontab(hour="2", minute="53")),
    Periodic("anonymise_signatures", crontab(hour="4", minute="7")),
)


def register_schedule(app: Flask, queue) -> None:
    """Give Huey's scheduler one small task per entry that fans the job out."""
    for entry in SCHEDULE:
        task = queue.huey.periodic_task(entry.when, name=f"periodic.{entry.job}")
        task(_fan_out(app, queue, entry))


def _fan_out(app: Flask, queue, entry: Periodic):
    def fan_out():
        with app.app_context(), all_tenants():
            if not entry.per_tenant:
                queue.enqueue(entry.job, None)
                return
            feature = _feature_of(app, entry.job)
            for tenant in get_directory(app).active():
                if feature is not None and not tenant.has_feature(feature):
                    continue
                try:
                    queue.enqueue(entry.job, tenant.id)
                except Exception:  # noqa: BLE001 - one municipality must not stop the others
                    log.exception("could not enqueue %s for %s", entry.job, tenant.slug)

    fan_out.__name__ = f"periodic_{entry.job}"
    return fan_out


def _feature_of(app: Flask, job: str) -> str | None:
    """The switchable feature whose job module holds ``job`` (None: a platform job)."""
    from portal.jobs import REGISTRY

    spec = REGISTRY.get(job)
    registry = app.extensions.get("features")
    if spec is None or registry is None:
        return None
    feature = registry.feature_of_module(spec.func.__module__)
    return feature.name if feature else None
