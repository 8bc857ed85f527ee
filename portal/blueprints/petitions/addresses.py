"""E-mail addresses as duplicate checks see them: one person's aliases become one address.

``Jane.Doe+petition@GoogleMail.com`` and ``janedoe@gmail.com`` reach the same inbox, so limits
and bursts are counted on the normalised form; mail still goes to the address as typed.
"""

from __future__ import annotations

#: Domains that ignore dots in the local part (and are one mailbox system).
DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def normalise_email(address: str) -> str:
    """Lower case, no ``+tag`` (any domain: sub-addressing is near universal), Gmail's dots
    dropped and googlemail.com written gmail.com. Text without an ``@`` is returned lowered."""
    address = (address or "").strip().lower()
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return address
    local = local.split("+", 1)[0] or local
    domain = DOTLESS_DOMAINS.get(domain, domain)
    if domain in DOTLESS_DOMAINS.values():
        local = local.replace(".", "") or local
    return f"{local}@{domain}"
