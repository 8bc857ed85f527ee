"""Flask extensions, created unbound here and bound to the app in ``create_app``."""

from flask_babel import Babel
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx

from portal.db import Model

db = SQLAlchemy(model_class=Model)
migrate = Migrate(compare_type=True, render_as_batch=True)
babel = Babel()
csrf = CSRFProtect()
htmx = Htmx()
