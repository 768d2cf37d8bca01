"""Response headers and session cookies that keep pages safe on shared devices."""

from __future__ import annotations

import base64
import hashlib
import hmac

from flask import Flask, Response, current_app, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

from voice_app.core.static_assets import script_src

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), geolocation=(), microphone=(self)",
}


# Files that are the same for everyone: their responses never carry the session cookie.
SESSIONLESS_ENDPOINTS = frozenset({"static", "core.favicon"})
# Pictures, recordings and films a page loads: their answers leave the cookie alone unless
# the request itself changed the session.
_LOADED_BY_A_PAGE = ("image/", "audio/", "video/")


class SessionCookies(SecureCookieSessionInterface):
    """Signed-cookie sessions whose cookie is ``Secure`` whenever the request came over https.

    Only pages, forms and fetches renew the cookie (and so the idle timeout). A response
    carries the session as it was when its request arrived, so a picture still loading when
    the page changes the session would set it back as it lands: a language just chosen,
    the child's space a tablet was just handed to, a sign-out. Static files, pictures and
    recordings therefore send no cookie unless their own request changed the session (a
    response with a cookie on it is also one no cache may keep), and loading them does not
    count as activity. Signing out is also ended on the server (``accounts.sign_ins``), for
    a page's answer still on its way.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        if request.endpoint in SESSIONLESS_ENDPOINTS:
            return False
        return super().should_set_cookie(app, session)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        # Not even ``Vary: Cookie``: the cookie changes on every page, and a stylesheet kept
        # for a year must not be fetched again because of it.
        if request.endpoint in SESSIONLESS_ENDPOINTS:
            return
        if not session.modified and (response.mimetype or "").startswith(_LOADED_BY_A_PAGE):
            return
        super().save_session(app, session, response)


def add_security_headers(response: Response) -> Response:
    if response.mimetype == "text/html" and "Content-Security-Policy" not in response.headers:
        # A page may carry the import map (static_assets.import_map): allowed by its hash.
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
            "script-src 'self'", script_src()
        )
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    # Pages about children must not linger in a shared tablet's cache.
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def own_typed_words_key() -> str | None:
    """``typed_words_key`` of whoever is signed in, for the layouts; None for nobody."""
    from voice_app.core.actor import actor_key

    actor = actor_key()
    return typed_words_key(actor) if actor else None


def typed_words_key(actor: str) -> str:
    """The AES key (base64) under which a person's pages keep what they typed into a form
    that was not taken (``static/js/app.js``, "keeping typed words"): the same for the
    same person in every session, written only into their own pages, so the sign-in page
    and other people's pages cannot read what waits in the tab."""
    secret = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(secret, f"typed words:{actor}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()
