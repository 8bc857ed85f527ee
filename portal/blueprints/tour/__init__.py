"""The municipality's virtual 3D tour, embedded from its provider."""

from flask import Blueprint

bp = Blueprint("tour", __name__, url_prefix="/tour")
