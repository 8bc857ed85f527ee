"""The editors' list of news, writing an item (with its image), preview, publishing now or
at a time, unpublishing, pinning and deleting; each action audit-logged before the commit."""

from __future__ import annotations

from datetime import UTC

from flask import request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.blueprints.admin.dashboard import (
    DashboardItem,
    DashboardPanel,
    DashboardProvider,
    register_provider,
)
from portal.blueprints.news import images, queries, services
from portal.blueprints.news.admin import bp
from portal.blueprints.news.admin.forms import ItemForm
from portal.blueprints.news.models import NewsItem
from portal.blueprints.news.topics import announce
from portal.blueprints.news.views.pages import BODY_LABELS, article, send_image
from portal.db import utcnow
from portal.extensions import db, get_or_404
from portal.services import audit
from portal.web.forms import ConfirmForm
from portal.web.pagination import page_arg, paginate
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved
from portal.web.uploads import too_large_returns_to

PER_PAGE = 25
STATE_LABELS = {"draft": _l("Draft"), "scheduled": _l("Scheduled"), "published": _l("Published")}


def state(item: NewsItem) -> str:
    """draft, scheduled (published, its time not come) or published."""
    if item.status != "published":
        return "draft"
    publish_at = item.publish_at
    if publish_at is not None and publish_at.tzinfo is None:  # SQLite hands back naive UTC
        publish_at = publish_at.replace(tzinfo=UTC)
    return "scheduled" if publish_at and publish_at > utcnow() else "published"


def _state_filter(statement, wanted: str):
    now = utcnow()
    if wanted == "draft":
        return statement.where(NewsItem.status == "draft")
    if wanted == "scheduled":
        return statement.where(NewsItem.status == "published", NewsItem.publish_at > now)
    if wanted == "published":
        return statement.where(NewsItem.status == "published", NewsItem.publish_at <= now)
    return statement


@bp.get("/")
@requires("news.edit")
def index():
    wanted = request.args.get("state") if request.args.get("state") in STATE_LABELS else ""
    statement = _state_filter(select(NewsItem).options(selectinload(NewsItem.category)), wanted)
    statement = statement.order_by(NewsItem.is_pinned.desc(), NewsItem.updated_at.desc(), NewsItem.id.desc())
    rows = paginate(statement, page_arg(), PER_PAGE)
    return render("news/admin/index.html", block="results", rows=rows, wanted=wanted, state=state,
                  state_labels=STATE_LABELS, body_labels=BODY_LABELS)


def _form(item: NewsItem | None) -> ItemForm:
    return ItemForm(obj=item, item=item, categories=queries.categories(), body_labels=BODY_LABELS)


def _save(item: NewsItem | None, form: ItemForm):
    """Apply the form (words, image, and for "publish" the time); None when refused."""
    before = services.item_values(item) if item else {}
    with refusals_onto(form):
        item = services.save_item(item, **form.values())
        upload = form.image.data
        if upload is not None and getattr(upload, "filename", ""):
            data = upload.read(images.MAX_BYTES + 1)
            upload.close()  # a large upload is spooled to a temporary file: let it go at once
            services.set_image(item, data, alt=form.image_alt.data, alt_en=form.image_alt_en.data)
        elif form.remove_image.data:
            services.remove_image(item)
        else:
            services.set_image(item, None, alt=form.image_alt.data, alt_en=form.image_alt_en.data)
        publishing = request.form.get("action") == "publish"
        if publishing:
            services.publish(item, form.publish_time())
        elif item.status == "published" and form.publish_time():
            item.publish_at = form.publish_time()
        changed_before, changed_after = audit.changes(before, services.item_values(item))
        entry = {"target": f"news:{item.id}", "before": changed_before or None, "after": changed_after}
        if publishing:
            audit.record("news.publish", **entry)
            announce(item)  # to the body's subscribers, once its time has come
        elif before:
            audit.record("news.update", **entry)
        else:
            audit.record("news.create", **entry)
        return saved(_published_message(item) if publishing else _("Saved."),
                     url_for("news_admin.edit", news_item_id=item.id))
    return None


def _published_message(item: NewsItem) -> str:
    if state(item) == "scheduled":
        return _("The item is scheduled and appears by itself at the chosen time.")
    return _("The item is published.")


@bp.route("/new", methods=["GET", "POST"])
@requires("news.edit")
@too_large_returns_to("news_admin.new", limit=images.MAX_BYTES)
def new():
    form = _form(None)
    if not form.is_submitted():
        form.body_kind.data = "city_hall"
    if form.validate_on_submit() and (done := _save(None, form)):
        return done
    return render("news/admin/edit.html", status=422 if request.method == "POST" else 200,
                  form=form, item=None, state=state, state_labels=STATE_LABELS)


def _edit_page(item: NewsItem, form: ItemForm | None = None, *, status: int = 200):
    return render("news/admin/edit.html", status=status, form=form or _form(item), item=item,
                  state=state, state_labels=STATE_LABELS)


@bp.route("/<int:news_item_id>", methods=["GET", "POST"])
@requires("news.edit")
@too_large_returns_to("news_admin.edit", limit=images.MAX_BYTES)
def edit(news_item_id: int):
    item = get_or_404(NewsItem, news_item_id)
    form = _form(item)
    if form.validate_on_submit() and (done := _save(item, form)):
        return done
    return _edit_page(item, form, status=422 if request.method == "POST" else 200)


@bp.get("/<int:news_item_id>/preview")
@requires("news.edit")
def preview(news_item_id: int):
    return article(get_or_404(NewsItem, news_item_id), preview=True)


@bp.get("/<int:news_item_id>/image")
@requires("news.edit")
def image(news_item_id: int):
    return send_image(get_or_404(NewsItem, news_item_id))


def _act(news_item_id: int, verb, message, log) -> object:
    """A one-button POST on an item: the verb, its audit entry (``log(target, before, after)``
    records it under the route's own action), one commit."""
    item = get_or_404(NewsItem, news_item_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        before = services.item_values(item)
        with refusals_onto(form):
            verb(item)
            changed_before, changed_after = audit.changes(before, services.item_values(item))
            log(f"news:{item.id}", changed_before or None, changed_after)
            return saved(str(message), url_for("news_admin.edit", news_item_id=item.id))
    return _refused(item, form)


def _refused(item: NewsItem, form: ConfirmForm):
    return render("news/admin/edit.html", status=422, form=_form(item), item=item, state=state,
                  state_labels=STATE_LABELS, action_form=form)


@bp.post("/<int:news_item_id>/publish")
@requires("news.edit")
def publish(news_item_id: int):
    return _act(news_item_id, services.publish, _l("The item is published."),
                lambda target, b, a: audit.record("news.publish", target=target, before=b, after=a))


@bp.post("/<int:news_item_id>/unpublish")
@requires("news.edit")
def unpublish(news_item_id: int):
    return _act(news_item_id, services.unpublish, _l("The item is a draft again."),
                lambda target, b, a: audit.record("news.unpublish", target=target, before=b, after=a))


@bp.post("/<int:news_item_id>/pin")
@requires("news.edit")
def pin(news_item_id: int):
    return _act(news_item_id, services.pin, _l("The item is pinned at the top of the news."),
                lambda target, b, a: audit.record("news.pin", target=target, before=b, after=a))


@bp.post("/<int:news_item_id>/unpin")
@requires("news.edit")
def unpin(news_item_id: int):
    return _act(news_item_id, services.unpin, _l("The item is no longer pinned."),
                lambda target, b, a: audit.record("news.unpin", target=target, before=b, after=a))


@bp.route("/<int:news_item_id>/delete", methods=["GET", "POST"])
@requires("news.edit")
def delete(news_item_id: int):
    item = get_or_404(NewsItem, news_item_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        audit.record("news.delete", target=f"news:{item.id}", before=services.item_values(item))
        services.delete_item(item)
        return saved(_("The item is deleted."), url_for("news_admin.index"))
    return render("news/admin/delete.html", status=422 if request.method == "POST" else 200,
                  item=item, form=form)


def _counts(user) -> DashboardPanel:
    now = utcnow()
    scheduled = db.session.scalar(select(func.count(NewsItem.id)).where(
        NewsItem.status == "published", NewsItem.publish_at > now))
    drafts = db.session.scalar(select(func.count(NewsItem.id)).where(NewsItem.status == "draft"))
    return DashboardPanel(scheduled + drafts, [
        DashboardItem(_("Scheduled: %(count)d", count=scheduled), url_for("news_admin.index", state="scheduled")),
        DashboardItem(_("Drafts: %(count)d", count=drafts), url_for("news_admin.index", state="draft"))])


register_provider(DashboardProvider("news_pending", _l("News: scheduled and drafts"), "news.edit",
                                    _counts, feature="news"))
