"""Which signature threshold a municipality shows, and where it comes from.

The dated, audited voter count (``voters.VoterCount``) wins whenever one is recorded: it is
what ``lifecycle.publish`` fixes on a petition. Before the first count, the section's
settings (``registered_voters``, ``threshold``) give the figure shown, but publishing waits
for a dated count.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.blueprints.petitions import voters
from portal.blueprints.petitions.settings import petitions_settings


@dataclass(frozen=True)
class ShownThreshold:
    threshold: int | None
    #: "voter_count" (the newest dated count), "settings", or "none".
    source: str
    voters: int | None = None


def shown_threshold() -> ShownThreshold:
    """The current municipality's threshold as pages should show it."""
    newest = voters.newest()
    if newest is not None:
        return ShownThreshold(voters.threshold_for(newest.voters), "voter_count", newest.voters)
    values = petitions_settings.get_all()
    registered = values.get("registered_voters")
    if values.get("threshold"):
        return ShownThreshold(values["threshold"], "settings", registered)
    if registered:
        return ShownThreshold(voters.threshold_for(registered), "settings", registered)
    return ShownThreshold(None, "none")
