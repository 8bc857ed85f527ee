"""Citizen satisfaction (issue 14): after a letter is answered, a petition decided or a service
completed, the citizen is invited once to rate it 1-5 (``invitations``: the public module other
features call); the answer page and the public summary (``views``); the staff's dashboard and
comment moderation (``admin/``); the figures (``stats``)."""

from flask import Blueprint

bp = Blueprint("satisfaction", __name__, url_prefix="/satisfaction")
