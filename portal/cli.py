"""Operator commands: ``flask tenants load|list``, ``flask demo load``, ``flask i18n ...``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from portal.config import PROJECT_ROOT
from portal.extensions import db
from portal.tenancy.registry import TenantFileError

tenants_cli = AppGroup("tenants", help="Municipalities served by this deployment.")
demo_cli = AppGroup("demo", help="Demo content for trying the portal out.")
i18n_cli = AppGroup("i18n", help="Translation catalogues (extract, update, compile).")

TRANSLATIONS = PROJECT_ROOT / "portal" / "translations"


@tenants_cli.command("load")
@click.option("--dir", "tenants_dir", type=click.Path(file_okay=False, path_type=Path))
def tenants_load(tenants_dir: Path | None):
    """Create or update municipalities from tenants/*/tenant.toml (idempotent)."""
    from portal.tenancy import get_directory
    from portal.tenancy.loader import load_tenants

    folder = tenants_dir or Path(current_app.config["PORTAL_TENANTS_DIR"])
    try:
        report = load_tenants(folder)
    except TenantFileError as exc:
        db.session.rollback()
        raise click.ClickException(f"nothing loaded: {exc}") from exc
    db.session.commit()
    get_directory(current_app).invalidate()
    for label, slugs in (("created", report.created), ("updated", report.updated),
                         ("unchanged", report.unchanged)):
        if slugs:
            click.echo(f"{label}: {', '.join(slugs)}")


@tenants_cli.command("list")
def tenants_list():
    """Show the municipalities in the database."""
    from sqlalchemy import select

    from portal.tenancy import all_tenants
    from portal.tenancy.models import Tenant

    with all_tenants():
        for t in db.session.execute(select(Tenant).order_by(Tenant.slug)).scalars():
            domains = ", ".join(t.domains) or "-"
            state = "active" if t.is_active else "inactive"
            click.echo(f"{t.slug:<12} {t.name_en:<30} {state:<8} {domains}")


@demo_cli.command("load")
def demo_load():
    """Load the demo content of every feature (idempotent)."""
    from portal.demo import load_demo

    for line in load_demo():
        click.echo(line)
    db.session.commit()


def _pybabel(*args: str) -> None:
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), *args], check=True)


@i18n_cli.command("extract")
def i18n_extract():
    """Extract messages into messages.pot, merge into ka and en; English copies its msgids."""
    pot = str(TRANSLATIONS / "messages.pot")
    # --ignore-dirs: pybabel skips folders starting with "_" by default, which would leave
    # out templates/_macros/.
    _pybabel("extract", "-F", str(TRANSLATIONS / "babel.cfg"), "-k", "_l", "--no-location",
             "--ignore-dirs", ".* __pycache__", "--sort-output", "-o", pot,
             str(PROJECT_ROOT / "portal"))
    # The catalogues are kept at 100 columns (pybabel's default is 76: every update would
    # rewrap the whole Georgian catalogue).
    _pybabel("update", "-i", pot, "-d", str(TRANSLATIONS), "--no-fuzzy-matching",
             "--ignore-obsolete", "--width", "100")
    _fill_english(TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po")
    click.echo("Now translate the empty entries of ka/LC_MESSAGES/messages.po.")


def _fill_english(po_path: Path) -> None:
    # Message ids are English, so the English catalogue is its ids, written out.
    from babel.messages.pofile import read_po, write_po

    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale="en")
    for message in catalog:
        empty = not all(message.string) if isinstance(message.string, tuple) else not message.string
        if message.id and empty:
            message.string = message.id  # a plural's ids are its (singular, plural) forms
    with po_path.open("wb") as fh:
        write_po(fh, catalog, sort_output=True, width=100)


@i18n_cli.command("compile")
def i18n_compile():
    """Compile the catalogues to .mo files."""
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


def register_commands(app: Flask) -> None:
    app.cli.add_command(tenants_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(i18n_cli)
    from portal.backup import backup_command, restore_command
    from portal.blueprints import cli_groups
    from portal.delivery.cli import outbox_cli
    from portal.doctor import check_command
    from portal.jobs.cli import jobs_cli
    from portal.services.crypto_cli import crypto_cli

    app.cli.add_command(jobs_cli)
    app.cli.add_command(crypto_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(check_command)
    for group in cli_groups():
        app.cli.add_command(group)
