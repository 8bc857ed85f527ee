"""The author's pages, at ``/<slug>/petitions/mine/``: a signed-in person (the accounts'
e-mail link) writes a petition, saves a draft, sends it for moderation, and changes it after
the moderators ask for changes. Rules in ``petitions/authoring.py``."""

from flask import Blueprint

bp = Blueprint("petitions_author", __name__, url_prefix="/petitions/mine")
