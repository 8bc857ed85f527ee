"""Small-grants competitions (issue 15): the calls, the citizens' applications (``views/``),
the committee's scoring and the office's decisions (``admin/``), the winners' reports and the
public pages of funded projects. The domain core: ``models``, ``applications``,
``evaluation``, ``decisions``, ``reports``, ``queries``, ``files``, ``money``."""

from flask import Blueprint

bp = Blueprint("grants", __name__, url_prefix="/grants")


def _install(state) -> None:
    from portal.blueprints.grants import topics
    from portal.blueprints.grants.money import money

    topics.register()
    state.app.add_template_global(money, "grant_money")


bp.record_once(_install)
