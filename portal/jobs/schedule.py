"""The one table of periodic jobs: what runs when, for every active municipality or once."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from huey import crontab

from portal.tenancy import all_tenants
from portal.tenancy.directory import get_directory


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
            for tenant in get_directory(app).active():
                queue.enqueue(entry.job, tenant.id)

    fan_out.__name__ = f"periodic_{entry.job}"
    return fan_out
