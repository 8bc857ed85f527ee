"""Surveys and quick polls (issue 14): the public pages (``views``: the list, a survey's
page, answering page by page, confirmation by e-mail or SMS, published results, poll votes);
the domain (``models``, ``building``, ``answering``, ``identity``, ``results``, ``exports``,
``templates``); ``polls`` (the one module other features may import: a poll on the home page
and in news articles); the staff's side (``admin/``)."""

from flask import Blueprint

from portal.web.ratelimits import roomy_in_tests

bp = Blueprint("surveys", __name__, url_prefix="/surveys")


def _install(state) -> None:
    roomy_in_tests(state.app, "PORTAL_SURVEYS_ANSWER_LIMIT", "PORTAL_SURVEYS_CONFIRM_LIMIT")


bp.record_once(_install)
