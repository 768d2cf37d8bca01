"""The second baseline: the floor of this stack, served the same way as voice_app.

A minimal page that does what every staff page must at least do: Flask-Login loads the
signed-in user from the session cookie (one query by primary key), one indexed query reads
25 children of the same 10,000, and Jinja renders them. Whatever voice_app does beyond this
(permissions, the confidential section, auditing, the page itself) is what its ratio to
this floor measures; its ratio to the bare "hello" app mostly measures this stack.
"""

from __future__ import annotations

import os

from flask import Flask, render_template_string
from flask_login import LoginManager, UserMixin, login_required, login_user
from sqlalchemy import create_engine, text

app = Flask(__name__)
app.secret_key = os.environ["VOICE_APP_SECRET_KEY"]
engine = create_engine(os.environ["VOICE_APP_DATABASE_URL"], pool_pre_ping=True)
login = LoginManager(app)

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Cases</title></head><body><h1>Cases of {{ user.name }}</h1><table>
{% for child in children %}<tr><td>{{ child.reference }}</td><td>{{ child.full_name }}</td>
<td>{{ child.date_of_birth }}</td></tr>{% endfor %}</table></body></html>"""


class Staff(UserMixin):
    def __init__(self, user_id: int, name: str) -> None:
        self.id = user_id
        self.name = name


@login.user_loader
def load_user(user_id: str) -> Staff | None:
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT id, name FROM users WHERE id = :id"), {"id": int(user_id)}
        ).first()
    return Staff(row.id, row.name) if row else None


@app.get("/sign-in/<email>")
def sign_in(email: str) -> str:
    """The benchmark signs in once; the password check is not what is measured."""
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT id, name FROM users WHERE email = :email"), {"email": email}
        ).one()
    login_user(Staff(row.id, row.name))
    return "signed in"


@app.get("/")
@login_required
def cases() -> str:
    from flask_login import current_user

    with engine.connect() as connection:
        children = connection.execute(
            text(
                "SELECT reference, full_name, date_of_birth FROM children "
                "WHERE lead_practitioner_id = :user ORDER BY id LIMIT 25"
            ),
            {"user": current_user.id},
        ).all()
    return render_template_string(PAGE, user=current_user, children=children)
