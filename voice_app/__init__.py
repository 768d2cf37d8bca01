"""voice_app: children's and families' own words in their social-care record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, g, request
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from voice_app.config import ROOT, load_config
from voice_app.extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, error pages, CLI."""
    from voice_app.core.logs import install_safe_logging

    install_safe_logging()
    instance_path = Path((overrides or {}).get("INSTANCE_PATH") or ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(load_config(instance_path, overrides))
    # Whatever the overrides say, SQL parameters (a child's words) stay out of logs.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
        "hide_parameters": True,
    }
    instance_path.mkdir(parents=True, exist_ok=True)
    if app.config["TRUST_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    _init_extensions(app)
    _register_blueprints(app)
    _init_request_hooks(app)

    from voice_app.core.cli import register_cli
    from voice_app.core.errors import register_error_handlers

    register_error_handlers(app)
    register_cli(app)
    if app.config["FREEZE_GC"]:
        _freeze_what_lives_as_long_as_the_process()
    return app


def _freeze_what_lives_as_long_as_the_process() -> None:
    """Keep the app, its modules, mappers and catalogues out of every later full garbage
    collection.

    A serving process builds one app and keeps it until it exits. Python's oldest
    generation then held ~180,000 objects and each full collection walked them all: 110 ms
    with nothing else alive; on a long plan's page three in 300 requests, 173 ms each (every
    request queued behind one waits for it). Frozen, the same collections took 7 ms.
    Only production settings freeze (``FREEZE_GC``): tests build many apps in one process.
    """
    import gc

    gc.collect()
    gc.freeze()


def _init_extensions(app: Flask) -> None:
    from voice_app.accounts.services import load_user
    from voice_app.core.queue import init_queue
    from voice_app.core.security import SessionCookies
    from voice_app.i18n import select_locale
    from voice_app.i18n.dates import init_dates
    from voice_app.i18n.fonts import pdf_font_css

    app.session_interface = SessionCookies()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    init_dates(app)
    app.jinja_env.globals["pdf_font_css"] = pdf_font_css
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.needs_refresh_message = _l("Please sign in again to continue.")
    init_queue(app)


def _register_blueprints(app: Flask) -> None:
    # Every area's models, so migrations and the append-only guard see every table even
    # where no view has imported them yet.
    import voice_app.child_space.report_views  # the child's report copies, on child_space's bp
    import voice_app.child_space.safety  # "I don't feel safe" without the outbox
    import voice_app.child_space.uploads  # the outbox's routes, on child_space's bp
    import voice_app.core.case_revisions  # every flush revises the cases it wrote
    import voice_app.family.models
    import voice_app.interpreting.models
    import voice_app.plans.models
    import voice_app.read_aloud.models
    import voice_app.record.models
    import voice_app.replies.models
    import voice_app.reports.child_copy.models
    import voice_app.reports.compare_views  # routes on the reports' blueprints
    import voice_app.reports.meeting_views
    import voice_app.reports.models
    import voice_app.reports.spoken_views  # noqa: F401
    from voice_app.accounts.views import admin_bp as accounts_admin_bp
    from voice_app.accounts.views import bp as accounts_bp
    from voice_app.audit.views import bp as audit_bp
    from voice_app.child_space.views import bp as child_space_bp
    from voice_app.children.views import bp as children_bp
    from voice_app.contributions.alert_views import bp as alerts_bp
    from voice_app.contributions.views import bp as contributions_bp
    from voice_app.core.health import bp as health_bp
    from voice_app.core.views import bp as core_bp
    from voice_app.family.access_views import bp as family_access_bp
    from voice_app.family.plan_views import bp as family_plan_bp
    from voice_app.family.staff_views import bp as family_staff_bp
    from voice_app.family.views import bp as family_bp
    from voice_app.i18n.views import bp as i18n_bp
    from voice_app.interpreting.admin_views import bp as interpreter_languages_bp
    from voice_app.interpreting.views import bp as interpreting_bp
    from voice_app.interpreting.work_views import bp as interpreter_work_bp
    from voice_app.plans.edit_views import bp as plan_editing_bp
    from voice_app.plans.review_views import bp as plan_reviews_bp
    from voice_app.plans.views import bp as plans_bp
    from voice_app.read_aloud.views import bp as read_aloud_bp
    from voice_app.record.confidential.views import bp as record_confidential_bp
    from voice_app.record.consent.views import bp as record_consent_bp
    from voice_app.record.entries.views import bp as record_bp
    from voice_app.replies.views import bp as replies_bp
    from voice_app.replies.views import team_bp
    from voice_app.reports.child_copy.views import bp as report_child_copy_bp
    from voice_app.reports.edit_views import bp as report_editing_bp
    from voice_app.reports.family_views import bp as family_reports_bp
    from voice_app.reports.views import bp as reports_bp
    from voice_app.subject_access.views import bp as subject_access_bp

    for blueprint in (
        core_bp,
        health_bp,
        i18n_bp,
        accounts_bp,
        accounts_admin_bp,
        children_bp,
        contributions_bp,
        alerts_bp,
        child_space_bp,
        audit_bp,
        record_bp,
        record_consent_bp,
        record_confidential_bp,
        subject_access_bp,
        replies_bp,
        team_bp,
        plans_bp,
        plan_editing_bp,
        plan_reviews_bp,
        family_bp,
        family_plan_bp,
        family_access_bp,
        family_staff_bp,
        reports_bp,
        report_editing_bp,
        report_child_copy_bp,
        family_reports_bp,
        interpreting_bp,
        interpreter_work_bp,
        interpreter_languages_bp,
        read_aloud_bp,
    ):
        app.register_blueprint(blueprint)


def _init_request_hooks(app: Flask) -> None:
    from voice_app.core.security import add_security_headers, own_typed_words_key
    from voice_app.core.sent_once import init_sent_once
    from voice_app.core.static_assets import init_static_assets
    from voice_app.i18n import LANGUAGES, bound_gettext, text_direction
    from voice_app.i18n.reviews import is_reviewed

    app.after_request(add_security_headers)
    # Called by the layouts alone, not worked out for every template rendered.
    app.jinja_env.globals["own_typed_words_key"] = own_typed_words_key
    init_sent_once(app)  # a form sent twice writes once (after the CSRF check)
    init_static_assets(app)  # fingerprinted, long-cached, gzipped static files

    @app.before_request
    def keep_session_alive() -> None:
        # Idle timeout: the signed cookie expires PERMANENT_SESSION_LIFETIME after the last
        # request, and Flask refuses it after that even if a browser sends it.
        from flask import session

        if not session.permanent:  # setting it marks the session changed, every time
            session.permanent = True
        g.request_path = request.full_path.rstrip("?")

    @app.before_request
    def staff_pages_read_first() -> None:
        # A staff page only reads and appends its audit entry: on SQLite it reads without
        # the write lock (voice_app.core.db). The child's space writes as it opens, so not it.
        if request.method in ("GET", "HEAD") and request.blueprint != "child_space":
            from voice_app.core.db import read_first
            from voice_app.extensions import db

            read_first(db.session)

    @app.context_processor
    def page_globals() -> dict[str, Any]:
        locale = str(get_locale() or "en")
        return {
            "languages": LANGUAGES,
            "current_locale": locale,
            "text_direction": text_direction(locale),
            "translation_reviewed": is_reviewed(locale),
            "user": current_user,
            **bound_gettext(),
        }
