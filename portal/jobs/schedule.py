"""The one table of periodic jobs: what runs when, for every active municipality or once.

``SCHEDULE`` holds the platform's own jobs; each feature declares its periodic jobs in its
registry entry (``Feature.schedule``), and ``full_schedule(app)`` joins the two. A feature's
job runs only for the municipalities that have the feature on.
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
    #: The feature the job belongs to (None: the platform's): skipped where it is off.
    feature: str | None = None


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
)


def full_schedule(app: Flask) -> tuple[Periodic, ...]:
    """The platform's table and every registered feature's ``schedule``."""
    registry = app.extensions.get("features")
    features = registry.entries if registry is not None else ()
    return SCHEDULE + tuple(
        Periodic(every.job, crontab(minute=every.minute, hour=every.hour, day=every.day),
                 every.per_tenant, feature=entry.name if entry.switchable else None)
        for entry in features for every in entry.schedule)


def register_schedule(app: Flask, queue) -> None:
    """Give Huey's scheduler one small task per entry that fans the job out."""
    for entry in full_schedule(app):
        task = queue.huey.periodic_task(entry.when, name=f"periodic.{entry.job}")
        task(_fan_out(app, queue, entry))


def _fan_out(app: Flask, queue, entry: Periodic):
    def fan_out():
        with app.app_context(), all_tenants():
            if not entry.per_tenant:
                queue.enqueue(entry.job, None)
                return
            feature = entry.feature or _feature_of(app, entry.job)
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
