"""``flask jobs worker|list|failures|retry|run``: the queue for operators (platform admins see
the same runs at ``/platform/jobs``, through ``portal.jobs.operations``)."""

from __future__ import annotations

import logging
import uuid

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from portal.extensions import db
from portal.jobs import REGISTRY, get_queue, operations
from portal.jobs.models import JobRun
from portal.tenancy import all_tenants
from portal.tenancy.directory import get_directory
from portal.tenancy.models import Tenant
from portal.web.inputs import MAX_ID

jobs_cli = AppGroup("jobs", help="Background jobs: the worker, recent runs, failures, retries.")


@jobs_cli.command("worker")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
@click.option("--no-periodic", is_flag=True, help="Do not run the periodic schedule here.")
def worker(workers: int, no_periodic: bool):
    """Run the queue's consumer in this process, with the app (Ctrl-C stops it)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    queue = get_queue()
    consumer = queue.huey.create_consumer(
        workers=workers, periodic=not no_periodic, worker_type="thread",
        initial_delay=0.05, max_delay=1.0,
    )
    # Tasks a killed worker had taken are gone from the queue; wake every outbox now rather
    # than at the next sweep.
    with all_tenants():
        for tenant in get_directory(current_app).active():
            queue.enqueue("send_outbox", tenant.id)
    db.session.remove()
    consumer.run()


def _slugs() -> dict[int, str]:
    with all_tenants():
        return dict(db.session.execute(select(Tenant.id, Tenant.slug)).all())


def _echo_run(run: JobRun, slugs: dict[int, str]) -> None:
    when = run.started_at.strftime("%Y-%m-%d %H:%M:%S") if run.started_at else "-"
    ms = f"{run.duration_ms}ms" if run.duration_ms is not None else "-"
    click.echo(f"{run.id:>6} {when} {run.name:<18} {slugs.get(run.tenant_id, '-'):<10}"
               f" {run.state:<9} attempts={run.attempts} {ms}")


@jobs_cli.command("list")
@click.option("--limit", default=30, show_default=True)
@click.option("--tenant", "slug", help="Only this municipality's runs.")
def list_runs(limit: int, slug: str | None):
    """Recent job runs, newest first."""
    slugs = _slugs()
    tenant_id = _tenant_id(slug) if slug else None
    for run in operations.recent_runs(tenant_id=tenant_id, limit=limit):
        _echo_run(run, slugs)


@jobs_cli.command("failures")
@click.option("--limit", default=20, show_default=True)
def failures(limit: int):
    """Failed runs with their error."""
    slugs = _slugs()
    for run in operations.recent_runs(state="failed", limit=limit):
        _echo_run(run, slugs)
        for line in (run.error or "").strip().splitlines()[-3:]:
            click.echo(f"         {line}")


@jobs_cli.command("retry")
@click.argument("run_id", type=click.IntRange(1, MAX_ID))
def retry(run_id: int):
    """Queue a failed run again (same job, tenant and arguments)."""
    run = db.session.get(JobRun, run_id)
    if run is None:
        raise click.ClickException(f"no job run {run_id}")
    try:
        task_id = operations.retry_run(run)
    except operations.NotRetryable:
        raise click.ClickException(f"job run {run_id} is {run.state}, not failed") from None
    click.echo(f"queued {run.name} again as task {task_id}")


@jobs_cli.command("run")
@click.argument("name")
@click.option("--tenant", "slug", help="The municipality (required for per-tenant jobs).")
def run_now(name: str, slug: str | None):
    """Run a job now, in this process, through the same runner the worker uses."""
    from portal.jobs.runner import run_job

    spec = REGISTRY.get(name)
    if spec is None:
        raise click.ClickException(f"no job {name!r}; known: {', '.join(sorted(REGISTRY))}")
    tenant_id = _tenant_id(slug) if slug else None
    if spec.per_tenant and tenant_id is None:
        raise click.ClickException(f"{name} runs per municipality: pass --tenant SLUG")
    db.session.remove()
    run_job(current_app._get_current_object(), spec, tenant_id, {},
            task_id=f"cli-{uuid.uuid4().hex}")
    click.echo(f"{name}: done")


def _tenant_id(slug: str) -> int:
    tenant = get_directory(current_app).by_slug(slug)
    if tenant is None:
        raise click.ClickException(f"no active municipality {slug!r}")
    return tenant.id
