"""The clerk's list of a petition's signatures for checking against the voter list: the only
place personal numbers are read back (decrypted), and every read is audit-logged.

``signature_rows`` is the one row source; ``to_csv`` and ``to_xlsx`` write the same header
line ("exported by whom, when"), the same columns and the same cells, every text cell that a
spreadsheet would run as a formula quoted (``cell``)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy import select

from portal.blueprints.petitions.models import Petition, Signature
from portal.db import aware
from portal.extensions import db
from portal.services import audit


@dataclass(frozen=True)
class SignatureRow:
    position: int
    full_name: str
    personal_number: str
    unit: str
    is_paper: bool
    confirmed_at: datetime
    #: "valid"/"invalid" for sampled signatures the clerk checked, else None.
    validity: str | None


def signature_rows(petition: Petition) -> list[SignatureRow]:
    """The petition's confirmed, not anonymised signatures in signing order, personal numbers
    readable; records the read (``read.petition_signatures``) in the audit log. The caller
    (the clerk's export view) checks the clerk's permission first."""
    signatures = db.session.scalars(
        select(Signature).where(Signature.petition_id == petition.id,
                                Signature.confirmed_at.is_not(None),
                                Signature.anonymised_at.is_(None),
                                Signature.invalidated_at.is_(None))
        .order_by(Signature.confirmed_at, Signature.id)).all()
    audit.record_read("petition_signatures", target=f"petition:{petition.id}")
    return [SignatureRow(position=n, full_name=s.full_name, personal_number=s.personal_number or "",
                         unit=s.unit, is_paper=s.is_paper, confirmed_at=s.confirmed_at,
                         validity=s.validity)
            for n, s in enumerate(signatures, start=1)]


def cell(value) -> str:
    """A spreadsheet never runs a cell as a formula: text starting with one of its formula
    signs gets a leading apostrophe."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def exported_by(who: str, when: datetime) -> str:
    """The first line of every export: who exported it, and when (UTC)."""
    return cell(_("Exported by %(who)s on %(when)s UTC", who=who,
                  when=when.astimezone(UTC).strftime("%Y-%m-%d %H:%M")))


def columns() -> list[str]:
    return [_("No."), _("Full name"), _("Personal number"), _("Unit"), _("Paper"),
            _("Confirmed"), _("Checked")]


def cells(row: SignatureRow) -> list:
    """One signature's cells (text quoted by ``cell``; the time is the writer's)."""
    return [row.position, cell(row.full_name), cell(row.personal_number), cell(row.unit),
            _("yes") if row.is_paper else "", row.confirmed_at, row.validity or ""]


def to_csv(rows: list[SignatureRow], who: str, when: datetime) -> str:
    """UTF-8 text with a byte-order mark (Excel reads Georgian as UTF-8 only with it)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([exported_by(who, when)])
    writer.writerow(columns())
    for row in rows:
        values = cells(row)
        values[5] = aware(row.confirmed_at).isoformat()  # SQLite's naive UTC made explicit
        writer.writerow(values)
    return "\ufeff" + out.getvalue()


def to_xlsx(rows: list[SignatureRow], who: str, when: datetime, title: str) -> bytes:
    """An .xlsx workbook written row by row (openpyxl's write-only mode: a big petition's
    rows are never all held as cells); the document's properties name who and when too."""
    book = Workbook(write_only=True)
    book.properties.creator = book.properties.lastModifiedBy = who
    book.properties.created = book.properties.modified = when.astimezone(UTC).replace(tzinfo=None)
    book.properties.title = cell(title)[:255]
    sheet = book.create_sheet(_("Signatures")[:31])
    sheet.append([exported_by(who, when)])
    sheet.append(columns())
    for row in rows:
        values = cells(row)
        confirmed = WriteOnlyCell(sheet, value=_naive_utc(row.confirmed_at))
        confirmed.number_format = "yyyy-mm-dd hh:mm:ss"
        values[5] = confirmed
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _naive_utc(value: datetime) -> datetime:
    # Excel's times know no zone: UTC, as the header line says.
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
