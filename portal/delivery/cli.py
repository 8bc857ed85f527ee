"""``flask outbox list|approve|send``: a municipality's messages for operators (the staff admin
page comes later and uses the same queries)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select, update

from portal.db import utcnow
from portal.delivery.models import OutboxMessage as M
from portal.extensions import db
from portal.services.outbox import WAKE_KEY
from portal.tenancy import tenant_context
from portal.tenancy.directory import get_directory

outbox_cli = AppGroup("outbox", help="Outgoing e-mail and SMS of one municipality.")
tenant_option = click.option("--tenant", "slug", required=True, help="Municipality slug.")


def _enter(slug: str):
    tenant = get_directory(current_app).by_slug(slug)
    if tenant is None:
        raise click.ClickException(f"no active municipality {slug!r}")
    return tenant_context(tenant)


@outbox_cli.command("list")
@tenant_option
@click.option("--status", type=click.Choice(["pending", "sending", "sent", "failed", "bounced",
                                              "held"]))
@click.option("--limit", default=30, show_default=True)
def list_messages(slug: str, status: str | None, limit: int):
    """Counts by status, then the newest messages."""
    with _enter(slug):
        counts = db.session.execute(
            select(M.channel, M.status, func.count()).group_by(M.channel, M.status)
            .order_by(M.channel, M.status)).all()
        click.echo("  ".join(f"{c}/{s}={n}" for c, s, n in counts) or "no messages")
        query = select(M).order_by(M.id.desc()).limit(limit)
        if status:
            query = query.where(M.status == status)
        for m in db.session.execute(query).scalars():
            cost = f" {m.segments}seg {m.cost_tetri}t" if m.channel == "sms" else ""
            click.echo(f"{m.id:>7} {m.channel:<5} {m.status:<8} attempts={m.attempts}{cost}"
                       f" {m.recipient} {m.last_error or ''}".rstrip())


@outbox_cli.command("approve")
@tenant_option
@click.argument("ids", nargs=-1, type=int)
@click.option("--all", "approve_all", is_flag=True, help="Every held message.")
def approve(slug: str, ids: tuple[int, ...], approve_all: bool):
    """Send held SMS despite the monthly budget (by id, or --all)."""
    if not ids and not approve_all:
        raise click.UsageError("give message ids or --all")
    with _enter(slug):
        query = update(M).where(M.status == "held")
        if not approve_all:
            query = query.where(M.id.in_(ids))
        result = db.session.execute(
            query.values(status="pending", approved_at=utcnow(), next_attempt_at=utcnow(),
                         last_error=None),
            execution_options={"synchronize_session": False})
        db.session.info.setdefault(WAKE_KEY, set()).add(
            get_directory(current_app).by_slug(slug).id)
        db.session.commit()
    click.echo(f"approved {result.rowcount} message(s)")


@outbox_cli.command("send")
@tenant_option
def send_now(slug: str):
    """Drain the municipality's outbox in this process (what the worker's job does)."""
    from portal.delivery.worker import drain

    with _enter(slug):
        report = drain(time_budget=3600)
        db.session.commit()
    click.echo(f"sent={report.sent} retried={report.retried} failed={report.failed}"
               f" held={report.held}")
