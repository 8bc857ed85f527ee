"""``flask outbox list|approve|retry|resend|send``: a municipality's messages for operators (the staff
admin page ``admin.outbox`` uses the same operations)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from portal.delivery import operations
from portal.delivery.models import STATUSES
from portal.extensions import db
from portal.tenancy import tenant_context
from portal.tenancy.directory import get_directory
from portal.web.inputs import MAX_ID

outbox_cli = AppGroup("outbox", help="Outgoing e-mail and SMS of one municipality.")
#: A message id the database can hold (a longer number is a usage error, not a crash).
ID = click.IntRange(1, MAX_ID)
tenant_option = click.option("--tenant", "slug", required=True, help="Municipality slug.")


def _enter(slug: str):
    tenant = get_directory(current_app).by_slug(slug)
    if tenant is None:
        raise click.ClickException(f"no active municipality {slug!r}")
    return tenant_context(tenant)


@outbox_cli.command("list")
@tenant_option
@click.option("--status", type=click.Choice(list(STATUSES)))
@click.option("--limit", default=30, show_default=True)
def list_messages(slug: str, status: str | None, limit: int):
    """Counts by status, then the newest messages."""
    with _enter(slug):
        counts = operations.status_counts()
        click.echo("  ".join(f"{c.channel}/{c.status}={c.count}" for c in counts)
                   or "no messages")
        for m in operations.recent_messages(status=status, limit=limit):
            cost = f" {m.segments}seg {m.cost_tetri}t" if m.channel == "sms" else ""
            click.echo(f"{m.id:>7} {m.channel:<5} {m.status:<8} attempts={m.attempts}{cost}"
                       f" {m.recipient} {m.last_error or ''}".rstrip())


@outbox_cli.command("approve")
@tenant_option
@click.argument("ids", nargs=-1, type=ID)
@click.option("--all", "approve_all", is_flag=True, help="Every held message.")
def approve(slug: str, ids: tuple[int, ...], approve_all: bool):
    """Send held SMS despite the monthly budget (by id, or --all)."""
    if not ids and not approve_all:
        raise click.UsageError("give message ids or --all")
    with _enter(slug):
        count = operations.approve_held(None if approve_all else ids)
        db.session.commit()
    click.echo(f"approved {count} message(s)")


@outbox_cli.command("retry")
@tenant_option
@click.argument("ids", nargs=-1, type=ID, required=True)
def retry(slug: str, ids: tuple[int, ...]):
    """Give failed messages a fresh set of attempts (bounced ones stay bounced)."""
    with _enter(slug):
        count = operations.retry_failed(ids)
        db.session.commit()
    click.echo(f"queued {count} message(s) again")


@outbox_cli.command("resend")
@tenant_option
@click.argument("ids", nargs=-1, type=ID, required=True)
@click.confirmation_option(prompt="The recipients may already have these messages and get them"
                           " twice. Send them again?")
def resend(slug: str, ids: tuple[int, ...]):
    """Send e-mails in doubt (status in_doubt) again; they may arrive twice."""
    with _enter(slug):
        count = operations.resend_in_doubt(ids)
        db.session.commit()
    click.echo(f"queued {count} message(s) again")


@outbox_cli.command("send")
@tenant_option
def send_now(slug: str):
    """Drain the municipality's outbox in this process (what the worker's job does)."""
    from portal.delivery.worker import drain

    with _enter(slug):
        report = drain(time_budget=3600)
        db.session.commit()
    click.echo(f"sent={report.sent} retried={report.retried} failed={report.failed}"
               f" held={report.held} in_doubt={report.in_doubt}")
