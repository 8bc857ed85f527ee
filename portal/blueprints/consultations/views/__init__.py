"""The public pages of consultations."""
