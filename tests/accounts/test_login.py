"""Signing in and out, the lockout, sessions ending, and user administration."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import select

from tests.conftest import CSRF_META
from tests.factories import TEST_PASSWORD, TeamFactory, UserFactory
from voice_app.accounts.models import User
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.core.permissions import Role
from voice_app.extensions import db


def actions() -> list[AuditAction]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_sign_in_is_case_insensitive_and_audited(client):
    user = UserFactory(email="sam@example.org")
    response = client.submit("/login", {"email": " SAM@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 302
    page = client.get("/children/", follow_redirects=True)
    assert user.name in page.get_data(as_text=True)
    assert actions()[0] == AuditAction.LOGIN


def test_wrong_password_is_refused_with_a_message_and_audited(client):
    UserFactory(email="sam@example.org")
    response = client.submit("/login", {"email": "sam@example.org", "password": "guess"})
    assert response.status_code == 200
    assert "do not match an account" in response.get_data(as_text=True)
    assert actions() == [AuditAction.LOGIN_FAILED]


def test_unknown_address_gets_the_same_message_as_a_wrong_password(client):
    response = client.submit("/login", {"email": "nobody@example.org", "password": "guess"})
    assert "do not match an account" in response.get_data(as_text=True)


def test_deactivated_account_cannot_sign_in(client):
    UserFactory(email="gone@example.org", active=False)
    response = client.submit("/login", {"email": "gone@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "do not match an account" in response.get_data(as_text=True)


def test_five_failures_lock_the_address_even_against_the_right_password(client):
    UserFactory(email="sam@example.org")
    for _ in range(5):
        client.submit("/login", {"email": "sam@example.org", "password": "wrong"})
    response = client.submit("/login", {"email": "sam@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "Too many failed attempts" in response.get_data(as_text=True)
    assert AuditAction.LOGIN not in actions()
    failed = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.target, e.details_dict["reason"]) for e in failed] == [
        ("email:sam@example.org", "bad_credentials")
    ] * 5 + [("email:sam@example.org", "locked")]


def test_a_family_members_failures_never_lock_a_staff_address(app, client):
    from voice_app.audit import services as audit

    UserFactory(email="sam@example.org")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        audit.record(AuditAction.FAMILY_LOGIN_FAILED, target="email:sam@example.org")
    db.session.commit()
    response = client.submit("/login", {"email": "sam@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_sign_in_attempts_from_one_address_are_rate_limited(app, client):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        statuses = [
            client.submit("/login", {"email": f"x{n}@example.org", "password": "x"}).status_code
            for n in range(4)
        ]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "20 per minute"
    assert statuses == [200, 200, 200, 429]


def test_sign_out_ends_the_session(make_client):
    user = UserFactory()
    browser = make_client(user.email)
    assert browser.submit("/logout").status_code == 302
    assert browser.get("/children/").headers["Location"].startswith("/login")
    assert actions()[-1] == AuditAction.LOGOUT


def test_sign_out_everywhere_ends_sessions_on_other_devices(make_client):
    user = UserFactory()
    tablet, laptop = make_client(user.email), make_client(user.email)
    assert tablet.get("/children/").status_code == 200
    laptop.submit("/logout-everywhere")
    assert tablet.get("/children/").headers["Location"].startswith("/login")


def test_idle_session_times_out(app, make_client):
    user = UserFactory()
    browser = make_client(user.email)
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=1)
    try:
        time.sleep(2.1)
        response = browser.get("/children/")
    finally:
        app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=30)
    assert response.headers["Location"].startswith("/login")


def test_session_cookie_is_http_only_and_same_site(client):
    UserFactory(email="sam@example.org")
    response = client.submit("/login", {"email": "sam@example.org", "password": TEST_PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_over_https(client):
    UserFactory(email="sam@example.org")
    https = "https://localhost"
    page = client.get("/login", base_url=https).get_data(as_text=True)
    token = CSRF_META.search(page).group(1)
    response = client.post(
        "/login",
        data={"csrf_token": token, "email": "sam@example.org", "password": TEST_PASSWORD},
        base_url=https,
        # Over https, Flask-WTF also insists the form came from this site.
        headers={"Referer": f"{https}/login"},
    )
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_password_change_needs_the_current_password_and_signs_out_other_devices(make_client):
    user = UserFactory()
    laptop, tablet = make_client(user.email), make_client(user.email)
    refused = laptop.submit(
        "/account",
        {
            "password-current_password": "not it",
            "password-new_password": "a brand new passphrase",
            "password-confirm_password": "a brand new passphrase",
        },
    )
    assert "That is not your current password." in refused.get_data(as_text=True)
    changed = laptop.submit(
        "/account",
        {
            "password-current_password": TEST_PASSWORD,
            "password-new_password": "a brand new passphrase",
            "password-confirm_password": "a brand new passphrase",
        },
    )
    assert changed.status_code == 302
    assert laptop.get("/account").status_code == 200
    assert tablet.get("/account").headers["Location"].startswith("/login")


def test_admin_creates_an_account_that_can_sign_in(make_client):
    admin = UserFactory(role=Role.ADMIN, team=None)
    team = TeamFactory(name="North Team")
    browser = make_client(admin.email)
    response = browser.submit(
        "/admin/users/new",
        {
            "email": "new.worker@example.org",
            "name": "Nia Jones",
            "post_title": "Family Support Worker",
            "role": "practitioner",
            "team_id": str(team.id),
            "active": "y",
            "password": "long enough password",
        },
    )
    assert response.status_code == 302
    created = db.session.scalar(select(User).where(User.email == "new.worker@example.org"))
    assert created is not None and created.team_id == team.id
    assert created.password_hash.startswith("$argon2id$")
    assert "Nia Jones" in browser.get("/admin/users").get_data(as_text=True)
    make_client().sign_in("new.worker@example.org", "long enough password")


def test_admin_form_rejects_a_short_password_and_a_taken_address(make_client):
    admin = UserFactory(role=Role.ADMIN, team=None)
    UserFactory(email="taken@example.org")
    browser = make_client(admin.email)
    base = {"name": "A", "post_title": "B", "role": "practitioner", "team_id": "0"}
    short = browser.submit(
        "/admin/users/new", {**base, "email": "a@example.org", "password": "short"}
    )
    assert "at least 12 characters" in short.get_data(as_text=True)
    taken = browser.submit(
        "/admin/users/new",
        {**base, "email": "taken@example.org", "password": "long enough password"},
    )
    assert "already uses this email address" in taken.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "a@example.org")) is None


def test_deactivating_an_account_ends_its_sessions(make_client):
    admin = UserFactory(role=Role.ADMIN, team=None)
    worker = UserFactory()
    worker_browser = make_client(worker.email)
    make_client(admin.email).submit(
        f"/admin/users/{worker.id}",
        {
            "email": worker.email,
            "name": worker.name,
            "post_title": worker.post_title,
            "role": "practitioner",
            "team_id": str(worker.team_id),
        },
    )
    assert worker_browser.get("/children/").headers["Location"].startswith("/login")
    assert AuditAction.USER_UPDATED in actions()


def test_admin_cannot_remove_their_own_admin_role(make_client):
    admin = UserFactory(role=Role.ADMIN, team=None)
    response = make_client(admin.email).submit(
        f"/admin/users/{admin.id}",
        {
            "email": admin.email,
            "name": admin.name,
            "post_title": "x",
            "role": "manager",
            "team_id": "0",
            "active": "y",
        },
    )
    assert "cannot remove your own administrator access" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.role is Role.ADMIN


def test_users_create_command(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "cli@example.org",
            "--name",
            "Cli Person",
            "--post-title",
            "Team Manager",
            "--role",
            "manager",
            "--team",
            "East",
            "--password",
            "a long cli password",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "cli@example.org"))
    assert user is not None and user.role is Role.MANAGER and user.team.name == "East"
