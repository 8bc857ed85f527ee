"""The public register: the list with filters (category, issuing body, year) and a search
over the words inside the files (the archive's search index), a document's page with its
versions, the downloads, and the Atom feed of newly published documents (per municipality or
per category)."""

from __future__ import annotations

from datetime import UTC, datetime, time

from feedgen.feed import FeedGenerator
from flask import Response, abort, request
from flask_babel import get_locale
from flask_babel import gettext as _

from portal.blueprints.documents import bp, queries
from portal.blueprints.documents.indexing import PREFIX, category_token, issuer_token
from portal.blueprints.documents.labels import CATEGORY_LABELS, ISSUER_LABELS
from portal.blueprints.documents.models import CATEGORIES, ISSUERS
from portal.blueprints.sessions.shared_search import search_source
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import localized_plain
from portal.services import storage, uploads
from portal.tenancy import current_tenant
from portal.tenancy.links import message_url
from portal.web.inputs import int_arg
from portal.web.pagination import Page, page_arg, paginate
from portal.web.rendering import render, render_public

PER_PAGE = 20
MAX_PAGE = 1_000
FEED_ENTRIES = 30
OPEN_DATA_CACHE = "public, max-age=300"


def filters() -> dict:
    """The list's filters from the query string; anything unknown is no filter."""
    category, issuer = request.args.get("category"), request.args.get("issuer")
    return {"category": category if category in CATEGORIES else None,
            "issuer": issuer if issuer in ISSUERS else None,
            "year": int_arg("year", None, minimum=1990, maximum=2100, clamp=False)}


def _search(text: str, chosen: dict) -> tuple[Page, dict, list[str] | None]:
    """A page of documents whose words or file text match ``text``: the archive's index, its
    groups ``d<id>`` (one statement for the documents shown), newest adoption first."""
    tokens = tuple(filter(None, (chosen["category"] and category_token(chosen["category"]),
                                 chosen["issuer"] and issuer_token(chosen["issuer"]))))
    found = search_source(db.session.connection(), PREFIX, text, tenant_id=current_tenant.id,
                          tokens=tokens, year=chosen["year"],
                          before=int_arg("before", None, minimum=1, maximum=2**62, clamp=False),
                          per_page=PER_PAGE)
    documents = queries.by_ids([int(g.key[1:]) for g in found.groups])
    items = [documents[int(g.key[1:])] for g in found.groups if int(g.key[1:]) in documents]
    hits = {int(g.key[1:]): g.hits for g in found.groups}
    return Page(items, 1, PER_PAGE, has_next=found.next_cursor is not None,
                next_cursor=found.next_cursor), hits, found.corrected


@bp.get("/")
def index():
    chosen = filters()
    q = (request.args.get("q") or "").strip()[:200]
    corrected = None
    if q:
        page, hits, corrected = _search(q, chosen)
    else:
        page, hits = paginate(queries.listed(**chosen), page_arg(maximum=MAX_PAGE), PER_PAGE), {}
    return render("documents/index.html", block="results", page=page, hits=hits, q=q,
                  corrected=corrected,
                  chosen=chosen, years=queries.years(), categories=CATEGORY_LABELS,
                  issuers=ISSUER_LABELS)


@bp.get("/<int:public_document_id>")
def show(public_document_id: int):
    document = queries.public_document(public_document_id)
    if document is None:
        abort(404)
    return render_public("documents/show.html", document=document, categories=CATEGORY_LABELS,
                         issuers=ISSUER_LABELS,
                         share_url=message_url("documents.show", public_document_id=document.id))


@bp.get("/<int:public_document_id>/files/<int:document_version_id>")
def download(public_document_id: int, document_version_id: int):
    version = queries.public_version(public_document_id, document_version_id)
    if version is None or not storage.exists(version.storage_key):
        abort(404)
    response = uploads.download(version.storage_key, mimetype=version.mimetype,
                                name=version.filename)
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@bp.get("/documents.atom")
def feed():
    """Newly published documents of the municipality, or of one category (``?category=``);
    links from the configured domains."""
    category = request.args.get("category")
    if category and category not in CATEGORIES:
        abort(404)
    documents = queries.newest(FEED_ENTRIES, category)
    args = {"category": category} if category else {}
    self_url = message_url("documents.feed", **args)
    place = localized_plain(current_tenant.config.short_name)
    title = (_("Documents: %(place)s, %(category)s", place=place, category=CATEGORY_LABELS[category])
             if category else _("Documents: %(place)s", place=place))
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(title)
    feed.author({"name": place})
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.link(href=message_url("documents.index", **args), rel="alternate", type="text/html")
    feed.language(str(get_locale() or current_tenant.config.default_locale))
    feed.updated(max((_aware(d.updated_at) for d in documents), default=utcnow()))
    for document in reversed(documents):  # feedgen prepends: the newest ends up first
        link = message_url("documents.show", public_document_id=document.id)
        entry = feed.add_entry()
        entry.id(link)
        entry.title(localized_plain(document.text("title")))
        entry.link(href=link, rel="alternate", type="text/html")
        entry.published(_aware(document.published_at) if document.published_at
                         else datetime.combine(document.adopted_on, time(12), tzinfo=UTC))
        entry.updated(_aware(document.updated_at))
        entry.category(term=document.category, label=str(CATEGORY_LABELS[document.category]))
        summary = localized_plain(document.text("description"))
        entry.summary(summary or str(CATEGORY_LABELS[document.category]))
    response = Response(feed.atom_str(pretty=True), mimetype="application/atom+xml")
    response.headers["Cache-Control"] = OPEN_DATA_CACHE
    response.vary.update(("Cookie", "Accept-Language"))
    return response
