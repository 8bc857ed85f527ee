"""Petitions (issue 12). Only the settings exist yet: staff set them before the pages arrive."""
