"""Surveys and quick polls (issue 14): the public pages (``views``: the list, a survey's
page, answering page by page, confirmation by e-mail or SMS, published results, poll votes);
the domain (``models``, ``building``, ``answering``, ``identity``, ``results``, ``exports``,
``templates``); ``polls`` (the one module other features may import: a poll on the home page
and in news articles); the staff's side (``admin/``)."""

from flask import Blueprint

bp = Blueprint("surveys", __name__, url_prefix="/surveys")


def _install(state) -> None:
    # Every test client is 127.0.0.1; the rate-limit test sets its own limit.
    if state.app.testing:
        for name in ("ANSWER", "CONFIRM"):
            state.app.config.setdefault(f"PORTAL_SURVEYS_{name}_LIMIT", "10000 per minute")


bp.record_once(_install)
