"""The staff's side of letters: one inbox per recipient, at ``/<slug>/admin/letters/mayor/``
(``letters.mayor``, the mayor's office) and ``/<slug>/admin/letters/chair/``
(``letters.chair``, the Sakrebulo's clerk). Both blueprints get the same routes
(``inbox.install``); a letter to one recipient is a 404 in the other's inbox."""

from flask import Blueprint

mayor_bp = Blueprint("letters_mayor", __name__, url_prefix="/admin/letters/mayor")
chair_bp = Blueprint("letters_chair", __name__, url_prefix="/admin/letters/chair")

#: (blueprint, recipient, permission) of each inbox.
INBOXES = ((mayor_bp, "mayor", "letters.mayor"), (chair_bp, "chair", "letters.chair"))
