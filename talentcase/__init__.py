"""TalentCase: case management for Hong Kong's fast-track admission of overseas technology talent."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort

from config import Config, ProductionConfig, config_from_env, development_secret_key
from talentcase.common.logging import init_app as init_logging
from talentcase.common.models import MAX_ID

PROJECT_DIR = Path(__file__).resolve().parent.parent


def create_app(config_class: type[Config] | None = None, **overrides) -> Flask:
    """Build the application: config, extensions, blueprints, error handlers and CLI commands."""
    config_class = config_class or config_from_env()
    if issubclass(config_class, ProductionConfig):
        config_class.validate()
    app = Flask(
        __name__,
        template_folder=str(PROJECT_DIR / "templates"),
        static_folder="static",
    )
    from talentcase.common.i18n import json_provider_class

    app.json_provider_class = json_provider_class()
    app.json = app.json_provider_class(app)
    app.config.from_object(config_class)
    app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):  # development: never the public key of old (production refuses to start)
        app.config["SECRET_KEY"] = development_secret_key(app.config["SECRET_KEY_FILE"])
    init_logging(app)  # key=value lines; one per request (with its X-Request-ID) and one per job

    @app.url_value_preprocessor
    def ids_within_range(endpoint, values) -> None:
        # An id no database integer can hold is simply not found (rather than an overflow deep in a query).
        if values and any(isinstance(v, int) and not 0 <= v < MAX_ID for v in values.values()):
            abort(404)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_receivers(app)
    register_commands(app)
    register_template_helpers(app)
    return app


def register_extensions(app: Flask) -> None:
    import talentcase.common.sqlite  # noqa: F401  (registers the SQLite connection settings)
    import talentcase.models  # noqa: F401  (the whole schema, for Alembic and create_all)
    from talentcase.accounts.session_views import load_user
    from talentcase.common.i18n import select_locale
    from talentcase.extensions import babel, csrf, db, limiter, login_manager, migrate
    from talentcase.jobs import uow

    db.init_app(app)
    uow.init_app(app)  # one commit (or rollback) per request, then the jobs it queued go to RQ
    migrate.init_app(app, db, directory=str(PROJECT_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)


def register_blueprints(app: Flask) -> None:
    from talentcase.accounts import (
        passkey_views,  # noqa: F401  (adds the passkey pages to the two-factor blueprint)
        recovery_views,  # noqa: F401  (adds forgot password and invitations)
        session_views,
        sso_views,
    )
    from talentcase.accounts.mfa_views import bp as mfa_bp
    from talentcase.accounts.views import bp as accounts_bp
    from talentcase.admin import (
        audit_views,  # noqa: F401  (adds the audit log and mail outbox to the admin blueprint)
        owner_views,  # noqa: F401  (adds the case owners' page to the admin blueprint)
        sla_views,  # noqa: F401  (adds the calendar and SLA pages to the admin blueprint)
    )
    from talentcase.admin.team_views import bp as team_bp
    from talentcase.admin.views import bp as admin_bp
    from talentcase.api import bp as api_bp
    from talentcase.cases.views import bp as cases_bp
    from talentcase.documents.company_views import bp as company_documents_bp
    from talentcase.documents.views import bp as documents_bp
    from talentcase.main.views import bp as main_bp
    from talentcase.messages.views import bp as messages_bp
    from talentcase.notifications.views import bp as notifications_bp
    from talentcase.officers.views import bp as officers_bp
    from talentcase.packs.views import bp as packs_bp
    from talentcase.portal import messages as portal_messages  # noqa: F401  (adds the expert's messages to the portal)
    from talentcase.portal.views import bp as portal_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(mfa_bp)  # two-factor sign-in, its enrolment and an administrator's reset
    session_views.init_app(app)  # a session row per signed-in device, the idle and absolute limits
    sso_views.init_app(app)  # single sign-on with the park's OpenID Connect provider, when configured
    app.register_blueprint(admin_bp)
    app.register_blueprint(team_bp)  # a company administrator's own team and audit entries
    app.register_blueprint(cases_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(messages_bp)  # a case's conversation, and the open question on the case page
    app.register_blueprint(company_documents_bp)  # what a company keeps on file for all its cases
    app.register_blueprint(packs_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(officers_bp)
    app.register_blueprint(notifications_bp)  # the bell, the list of notices, mark as read
    app.register_blueprint(portal_bp)  # the expert's portal, and HR's link buttons under /cases/<id>/expert-link


def register_errorhandlers(app: Flask) -> None:
    from talentcase.accounts import kept_views
    from talentcase.audit.requests import record_denial
    from talentcase.common import security
    from talentcase.common.errors import permission_denied, register

    register(app)
    kept_views.init_app(app)  # a form sent after its session ended is kept for after sign-in, not lost
    permission_denied.connect(record_denial, sender=app)  # the audit log hears of every 403
    security.init_app(app)


def register_receivers(app: Flask) -> None:
    """Connect the domains that react to others' signals (common/signals.py): notifications hear cases and the SLA;
    messages hear requests for information."""
    from talentcase.messages.services import connect_receivers as connect_message_receivers
    from talentcase.notifications import account_mail
    from talentcase.notifications.routing import connect_receivers

    connect_receivers()
    connect_message_receivers()
    account_mail.connect()  # password reset and invitation links go out by mail


def register_commands(app: Flask) -> None:
    import talentcase.cases.demo  # noqa: F401  (registers the demo cases seeder)
    import talentcase.notifications.demo  # noqa: F401  (the demo's notices and alerts, the past read)
    from talentcase.accounts.cli import companies_cli, users_cli
    from talentcase.demo import demo_cli
    from talentcase.jobs.cli import cron_command, worker_command
    from talentcase.sla.cli import sla_cli

    app.cli.add_command(companies_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(sla_cli)
    app.cli.add_command(worker_command)
    app.cli.add_command(cron_command)


def register_template_helpers(app: Flask) -> None:
    from talentcase.common.templating import register

    register(app)
