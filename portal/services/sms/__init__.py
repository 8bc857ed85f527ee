"""SMS: a provider interface, the adapters, and the segment/cost/transliteration helpers."""

from __future__ import annotations

import os

from flask import current_app

from portal.services.sms.base import DeliveryReport, SmsProvider
from portal.services.transport import NotConfigured

#: Adapters by name (``SMS_PROVIDER``); a second provider is one more module and one line here.
ADAPTERS = {"http_api": "portal.services.sms.http_api:HttpApiProvider"}


def provider_for(tenant) -> SmsProvider:
    """The configured provider with the municipality's key (``SMS_API_KEY_<SLUG>`` first)."""
    import importlib

    config = current_app.config
    url = config.get("SMS_API_URL")
    env_name = "SMS_API_KEY_" + tenant.slug.upper().replace("-", "_")
    key = os.environ.get(env_name) or config.get("SMS_API_KEY")
    if not url or not key:
        raise NotConfigured(f"no SMS provider configured (SMS_API_URL, {env_name}/SMS_API_KEY)")
    module, _, cls = ADAPTERS[config.get("SMS_PROVIDER", "http_api")].partition(":")
    return getattr(importlib.import_module(module), cls)(base_url=url, api_key=key)


__all__ = ["DeliveryReport", "SmsProvider", "provider_for"]
