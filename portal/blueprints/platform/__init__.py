"""The shared host's own pages: the list of municipalities, the language switch, health."""

from flask import Blueprint

bp = Blueprint("platform", __name__)
