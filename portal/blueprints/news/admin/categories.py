"""The municipality's news categories (Georgian and English names, an address for feeds)."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _

from portal.blueprints.news import queries, services
from portal.blueprints.news.admin import bp
from portal.blueprints.news.admin.forms import CategoryForm
from portal.blueprints.news.models import NewsCategory
from portal.extensions import get_or_404
from portal.services import audit
from portal.web.forms import ConfirmForm
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved


def _page(form: CategoryForm, category: NewsCategory | None = None, *, status: int = 200):
    return render("news/admin/categories.html", status=status, form=form, category=category,
                  categories=queries.categories())


def _save(category: NewsCategory | None, form: CategoryForm):
    before = services.category_values(category) if category else {}
    with refusals_onto(form):
        category = services.save_category(category, slug=form.slug.data, name_ka=form.name_ka.data,
                                          name_en=form.name_en.data or "", position=form.position.data or 0)
        changed_before, changed_after = audit.changes(before, services.category_values(category))
        audit.record("news.category_update" if before else "news.category_create",
                     target=f"news_category:{category.id}", before=changed_before or None, after=changed_after)
        return saved(_("Saved."), url_for("news_admin.categories"))
    return None


@bp.route("/categories/", methods=["GET", "POST"])
@requires("news.edit")
def categories():
    form = CategoryForm()
    if form.validate_on_submit() and (done := _save(None, form)):
        return done
    return _page(form, status=422 if request.method == "POST" else 200)


@bp.route("/categories/<int:news_category_id>", methods=["GET", "POST"])
@requires("news.edit")
def edit_category(news_category_id: int):
    category = get_or_404(NewsCategory, news_category_id)
    form = CategoryForm(obj=category)
    if form.validate_on_submit() and (done := _save(category, form)):
        return done
    return _page(form, category, status=422 if request.method == "POST" else 200)


@bp.post("/categories/<int:news_category_id>/delete")
@requires("news.edit")
def delete_category(news_category_id: int):
    category = get_or_404(NewsCategory, news_category_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        audit.record("news.category_delete", target=f"news_category:{category.id}",
                     before=services.category_values(category))
        services.delete_category(category)
        return saved(_("The category is deleted; its items stay, without a category."),
                     url_for("news_admin.categories"))
    return _page(CategoryForm(formdata=None, obj=category), category, status=422)
