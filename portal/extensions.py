"""Flask extensions, created unbound here and bound to the app in ``create_app``."""

from flask import abort
from flask_babel import Babel
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx
from sqlalchemy import select

from portal.db import CURRENT_TENANT_ONLY, Model


def get_or_404(model, ident):
    """Load one row by primary key, of the current municipality only, or abort with 404.

    A SELECT (``Session.get`` may answer from the identity map without SQL) marked
    ``CURRENT_TENANT_ONLY``: the tenancy's statement listener (``tenancy/scoping.py``) limits
    it to the current tenant even under ``all_tenants()``, and to nothing when there is none.
    Another municipality's id is a 404, never a 403, so ids reveal nothing.
    """
    statement = select(model).filter_by(id=ident).execution_options(**{CURRENT_TENANT_ONLY: True})
    obj = db.session.scalars(statement).first()
    if obj is None:
        abort(404)
    return obj


class PortalSQLAlchemy(SQLAlchemy):
    """Flask-SQLAlchemy whose ``get_or_404`` is the tenant-safe one above (the stock one uses
    ``Session.get``)."""

    def get_or_404(self, entity, ident, *, description=None):
        return get_or_404(entity, ident)


db = PortalSQLAlchemy(model_class=Model)
migrate = Migrate(compare_type=True, render_as_batch=True)
babel = Babel()
csrf = CSRFProtect()
htmx = Htmx()

# Staff accounts (issue 4): sessions and sign-in rate limits.
from flask_limiter import Limiter  # noqa: E402
from flask_limiter.util import get_remote_address  # noqa: E402
from flask_login import LoginManager  # noqa: E402

login_manager = LoginManager()
import portal.web.ratelimit_storage  # noqa: E402, F401 - registers the "portal+sqlite" storage

#: Storage (``RATELIMIT_STORAGE_URI``, config.py): Redis when REDIS_URL is set, else a SQLite
#: file under instance/; either way every worker counts against the same limit.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
