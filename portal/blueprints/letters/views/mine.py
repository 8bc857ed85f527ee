"""A signed-in citizen's own letters: listed on "my page" (``register_my_items``), each
opened here without the tracking code."""

from __future__ import annotations

from flask import abort, current_app, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.blueprints.accounts.mine import MyItemsProvider, register_my_items
from portal.blueprints.letters import bp, queries
from portal.blueprints.letters.lifecycle import STATUS_LABELS
from portal.blueprints.letters.models import Letter
from portal.blueprints.letters.views.public import letter_page
from portal.extensions import get_or_404
from portal.tenancy import get_current_tenant


@bp.get("/mine/<int:letter_id>")
def mine(letter_id: int):
    # Looked up first, so another municipality's id is a 404 for everyone.
    letter = get_or_404(Letter, letter_id)
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if letter.author_id != current_user.id:
        abort(404)
    return letter_page(letter)


def _my_letters(user) -> list[tuple[str, str]]:
    tenant = get_current_tenant()  # none on the shared host's "My page"
    if tenant is None or not tenant.has_feature("letters"):
        return []
    return [(f"{letter.subject} — {STATUS_LABELS[letter.status]}",
             url_for("letters.mine", letter_id=letter.id)) for letter in queries.of_author(user.id)]


register_my_items(MyItemsProvider("letters_written", _l("Letters I wrote"), _my_letters))
