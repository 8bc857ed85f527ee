"""Unsubscribe tokens from e-mail links, dispatched to the feature that issued them.

The subscriptions feature registers a handler (``register_handler``); until then a token is
accepted and nothing else happens, so the link in a message never breaks.
"""

from __future__ import annotations

from collections.abc import Callable

#: Each handler takes the token and returns True if it knew it (and unsubscribed).
HANDLERS: list[Callable[[str], bool]] = []


def register_handler(handler: Callable[[str], bool]) -> None:
    if handler not in HANDLERS:
        HANDLERS.append(handler)


def unsubscribe(token: str) -> bool:
    """Stop the subscription behind ``token``; flushes, never commits. True if one was found."""
    return any(handler(token) for handler in HANDLERS)
