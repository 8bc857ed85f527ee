"""Delivery: the outbox table and the workers that drain it (e-mail over SMTP, SMS over HTTP).

Producers call ``portal.services.outbox.queue_email``/``queue_sms`` inside their own
transaction; see docs/delivery.md for the design and the guarantees.
"""
