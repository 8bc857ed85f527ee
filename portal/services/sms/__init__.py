"""SMS: a provider interface, the adapters, and the segment/cost/transliteration helpers."""

from __future__ import annotations

import os

from flask import current_app

from portal.services.sms.base import DeliveryReport, InboundRefused, InboundSms, SmsProvider
from portal.services.transport import NotConfigured

#: Adapters by name (``SMS_PROVIDER``); a second provider is one more module and one line here.
ADAPTERS = {"http_api": "portal.services.sms.http_api:HttpApiProvider"}


def provider_for(tenant) -> SmsProvider:
    """The configured provider with the municipality's key (``SMS_API_KEY_<SLUG>`` first)."""
    config = current_app.config
    url = config.get("SMS_API_URL")
    env_name = "SMS_API_KEY_" + tenant.slug.upper().replace("-", "_")
    key = os.environ.get(env_name) or config.get("SMS_API_KEY")
    if not url or not key:
        raise NotConfigured(f"no SMS provider configured (SMS_API_URL, {env_name}/SMS_API_KEY)")
    return _adapter()(base_url=url, api_key=key)


def _adapter() -> type:
    import importlib

    module, _, cls = ADAPTERS[current_app.config.get("SMS_PROVIDER", "http_api")].partition(":")
    return getattr(importlib.import_module(module), cls)


def inbound_secret(tenant) -> str | None:
    """The municipality's own secret for the provider's inbound webhook:
    ``SMS_INBOUND_SECRET_<SLUG>`` from the environment, else the app setting
    ``SMS_INBOUND_SECRETS`` ({slug: secret}). None: replies are not taken here. There is no
    shared fallback, so one municipality's signed messages never count for another."""
    env_name = "SMS_INBOUND_SECRET_" + tenant.slug.upper().replace("-", "_")
    secret = os.environ.get(env_name) or (current_app.config.get("SMS_INBOUND_SECRETS")
                                          or {}).get(tenant.slug)
    return secret or None


def read_inbound(tenant, body: bytes, headers, *, now) -> InboundSms:
    """The inbound SMS of a webhook request for ``tenant``, checked by the provider's
    adapter with that municipality's secret. Raises NotConfigured (no secret) or
    InboundRefused."""
    secret = inbound_secret(tenant)
    if secret is None:
        raise NotConfigured(f"no inbound SMS secret for {tenant.slug}")
    return _adapter().parse_inbound(body, headers, secret=secret, now=now)


__all__ = ["DeliveryReport", "InboundRefused", "InboundSms", "SmsProvider", "inbound_secret",
           "provider_for", "read_inbound"]
