"""Seat roles in the page's language.

A seat's role is free text that clerks type in Georgian. The usual ones are known here, so an
English page says "Chair" rather than "თავმჯდომარე"; any other role shows as typed, marked
``lang="ka"`` on pages in another language (``portal.i18n.Text``).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.blueprints.sessions import bp
from portal.i18n import Text, current_lang, localized

#: Roles as clerks write them (lower case, single spaces) → their label.
SEAT_ROLES: dict[str, object] = {
    "თავმჯდომარე": _l("Chair"),
    "საკრებულოს თავმჯდომარე": _l("Chair of the Sakrebulo"),
    "თავმჯდომარის მოადგილე": _l("Deputy chair"),
    "თავმჯდომარის პირველი მოადგილე": _l("First deputy chair"),
    "საკრებულოს თავმჯდომარის მოადგილე": _l("Deputy chair of the Sakrebulo"),
    "საკრებულოს თავმჯდომარის პირველი მოადგილე": _l("First deputy chair of the Sakrebulo"),
    "კომისიის თავმჯდომარე": _l("Committee chair"),
    "კომისიის თავმჯდომარის მოადგილე": _l("Deputy committee chair"),
    "ფრაქციის თავმჯდომარე": _l("Faction chair"),
    "მდივანი": _l("Secretary"),
    "წევრი": _l("Member"),
}


def _key(role: str) -> str:
    return " ".join(role.lower().split())


@bp.app_template_filter("seat_role")
def seat_role(role: str | None) -> Text:
    label = SEAT_ROLES.get(_key(role or ""))
    if label is not None:
        return Text(str(label), current_lang())
    return localized(role or "")
