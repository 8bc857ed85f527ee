"""What a signed-in citizen sees on their page: each feature registers a provider here
(petitions signed or filed, letters written, applications, subscriptions)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MyItemsProvider:
    name: str
    title: object
    #: (user) -> list of (label, url) for the current municipality.
    items: Callable[[object], list[tuple[str, str]]]


MY_ITEMS_PROVIDERS: list[MyItemsProvider] = []


def register_my_items(provider: MyItemsProvider) -> None:
    if any(p.name == provider.name for p in MY_ITEMS_PROVIDERS):
        return
    MY_ITEMS_PROVIDERS.append(provider)


def my_items(user) -> list[tuple[MyItemsProvider, list[tuple[str, str]]]]:
    return [(p, p.items(user)) for p in MY_ITEMS_PROVIDERS]
