"""The staff side of petitions, at ``/<slug>/admin/petitions/``.

Moderators (``petitions.moderate``) work the moderation queue: publish, ask for changes,
reject with a published reason; the author hears by e-mail each time (``petitions/followers.py``). The
Sakrebulo's clerk (``petitions.clerk``) keeps the registered-voter count, enters paper
signature sheets, draws and checks the verification sample, moves a petition through the
Sakrebulo and exports its verified signatures. Views stay thin: the rules are the domain
core's (``lifecycle``, ``voters``, ``signing``, ``verification``, ``exports``).
"""

from flask import Blueprint

bp = Blueprint("petitions_admin", __name__, url_prefix="/admin/petitions")
