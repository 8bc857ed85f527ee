"""The register of public documents (issue 15): budgets and their execution, the Sakrebulo's
resolutions and ordinances, the mayor's orders, strategies, audit reports, procurement and
members' reports, each with its file versions, searchable by the words inside the files
through the archive's search index. Public pages (``views/``: list with filters and search,
a document's page, downloads, Atom feeds), the domain (``models``, ``services``, ``queries``,
``indexing``, ``tasks``, ``topics``: new documents for subscribers) and the editors' pages
(``admin/``)."""

from flask import Blueprint

bp = Blueprint("documents", __name__, url_prefix="/documents")


def _install(state) -> None:
    from portal.blueprints.documents import indexing, topics

    indexing.register()
    topics.register()


bp.record_once(_install)
