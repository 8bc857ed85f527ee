"""The public pages of letters."""
