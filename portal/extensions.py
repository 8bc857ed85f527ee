"""Flask extensions, created unbound here and bound to the app in ``create_app``."""

from flask_babel import Babel
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx

from portal.db import Model


class PortalSQLAlchemy(SQLAlchemy):
    """Flask-SQLAlchemy whose ``get_or_404`` is tenant-safe (see tenancy.scoping.get_or_404).

    The stock one uses ``Session.get``, which may answer from the identity map without SQL.
    """

    def get_or_404(self, entity, ident, *, description=None):
        from portal.tenancy.scoping import get_or_404

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
