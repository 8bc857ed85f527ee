"""Abuse controls on signing, per municipality (``petitions_settings``): a switch that pauses
signing, and allow/block lists of e-mail domains and addresses.

Lists are text, one entry a line (commas and spaces also separate). Addresses are compared in
their normalised form (``addresses.normalise_email``: aliases of one inbox are one address);
a domain entry covers its subdomains. An allowed address passes every list; otherwise a
blocked address or domain is refused, and when allowed domains are listed only they pass.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from portal.blueprints.petitions.addresses import normalise_email
from portal.blueprints.petitions.settings import petitions_settings
from portal.services.errors import DomainError

PAUSED = _l("Signing is paused in this municipality for now. Please come back later.")
REFUSED_ADDRESS = _l("Signatures from this e-mail address are not accepted. Use another "
                     "address, or contact the municipality.")


def entries(text: str | None) -> frozenset[str]:
    """The entries of a list setting, lowered; blank lines and ``#`` comments skipped."""
    lines = (line.split("#", 1)[0] for line in (text or "").splitlines())
    return frozenset(item.strip().lower().lstrip("@")
                     for line in lines for item in re.split(r"[,\s;]+", line) if item.strip())


def signing_paused() -> bool:
    """Whether the municipality's staff paused signing."""
    return bool(petitions_settings.get("signing_paused"))


def email_domain(address: str) -> str:
    """The domain of ``address`` as duplicate checks see it (``gmail.com`` for googlemail)."""
    return normalise_email(address).rpartition("@")[2]


#: Big webmail providers. A crowd signing a popular petition writes mostly from these, so the
#: per-domain limit (meant for a throw-away domain filling a petition) leaves them out; the
#: limits per network address and per inbox, and the moderators' burst view, still apply.
SHARED_PROVIDERS = frozenset({
    "gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "live.com", "icloud.com",
    "mail.ru", "yandex.ru", "yandex.com", "proton.me", "protonmail.com", "aol.com", "gmx.com",
})


def shared_provider(address: str) -> bool:
    """Whether ``address`` is at one of the big webmail providers (``SHARED_PROVIDERS``)."""
    return email_domain(address) in SHARED_PROVIDERS


def address_allowed(address: str, settings: dict | None = None) -> bool:
    """Whether the lists let ``address`` sign."""
    values = settings if settings is not None else petitions_settings.get_all()
    normalised = normalise_email(address)
    if normalised in {normalise_email(a) for a in entries(values.get("allowed_emails"))}:
        return True
    if normalised in {normalise_email(a) for a in entries(values.get("blocked_emails"))}:
        return False
    domain = normalised.rpartition("@")[2]
    if _covered(domain, entries(values.get("blocked_email_domains"))):
        return False
    allowed = entries(values.get("allowed_email_domains"))
    return not allowed or _covered(domain, allowed)


def check_signer(address: str, settings: dict | None = None) -> None:
    """Refuse (DomainError) when signing is paused or the lists refuse ``address``
    (``settings``: the municipality's petition settings, when the caller has them)."""
    values = settings if settings is not None else petitions_settings.get_all()
    if values.get("signing_paused"):
        raise DomainError(PAUSED)
    if address and "@" in address and not address_allowed(address, values):
        raise DomainError(REFUSED_ADDRESS, field="email")


def _covered(domain: str, listed: frozenset[str]) -> bool:
    parts = domain.split(".")
    return any(".".join(parts[i:]) in listed for i in range(len(parts)))
