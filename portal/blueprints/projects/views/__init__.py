"""The public pages of projects."""
