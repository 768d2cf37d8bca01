"""Flask extensions, created unbound and initialised in :func:`voice_app.create_app`."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from voice_app.core import rate_store  # noqa: F401 - registers the sqlitefile:// store
from voice_app.core.db import Base

# Objects stay loaded after a commit: a view that writes its audit entry and then renders
# would otherwise reload every row it shows, one query each.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
