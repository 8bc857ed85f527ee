"""Recordings of sessions: their verbs, the match to a session and its review, the players."""
