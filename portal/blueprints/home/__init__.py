"""A municipality's home page and its look (theme colours, coat of arms)."""

from flask import Blueprint

bp = Blueprint("home", __name__)
