"""The Toptechniek tracker: create_app() builds the Flask application."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from flask import Flask

from tracker.extensions import compress, csrf, db, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


class ConfigurationError(RuntimeError):
    pass


def create_app(config: object | Mapping | None = None) -> Flask:
    """Build the app from a config class/object or a mapping; by default from the environment."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    from tracker.templating import Environment

    app.jinja_environment = Environment
    from config import config_from_env

    app.config.from_object(config_from_env())
    if isinstance(config, Mapping):
        app.config.from_mapping(config)
    elif config is not None:
        app.config.from_object(config)
    _check_production_settings(app)
    _ensure_secret_key(app)
    _prepare_sqlite(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    compress.init_app(app)

    from tracker import i18n, labels, models  # noqa: F401  (models register the schema)

    i18n.init_app(app)
    labels.register(app)

    from tracker.quarters import lock
    from tracker.quarters.urls import install_converter
    from tracker.security import install_id_converter

    install_id_converter(app)
    install_converter(app)
    lock.init_app(app)

    from tracker.audit import recorder
    from tracker.audit.views import bp as audit_bp
    from tracker.auth import account_views  # its routes join the auth blueprint
    from tracker.auth.views import bp as auth_bp
    from tracker.events import list_views  # noqa: F401  (its routes join the events blueprint)
    from tracker.events.views import bp as events_bp
    from tracker.imports.views import bp as imports_bp
    from tracker.indicators.views import bp as indicators_bp
    from tracker.milestones.views import bp as milestones_bp
    from tracker.projects.views import bp as projects_bp
    from tracker.reports.attendance import bp as attendance_list_bp
    from tracker.reports.dashboard import bp as dashboard_bp
    from tracker.reports.views import bp as reports_bp
    from tracker.season.views import bp as season_bp
    from tracker.security_events.views import bp as security_events_bp
    from tracker.setup import import_views  # noqa: F401  (its routes join the set-up blueprint)
    from tracker.setup.views import bp as setup_bp
    from tracker.stakeholders.views import bp as stakeholders_bp
    from tracker.steering import decision_views, meeting_views  # noqa: F401  (routes of steering)
    from tracker.steering.views import bp as steering_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(projects_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(milestones_bp)
    app.register_blueprint(indicators_bp)
    app.register_blueprint(setup_bp)
    app.register_blueprint(steering_bp)
    app.register_blueprint(stakeholders_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(attendance_list_bp)
    app.register_blueprint(security_events_bp)
    app.register_blueprint(imports_bp)
    app.register_blueprint(season_bp)
    recorder.install()

    from tracker import cli, errors, jobs, mail, security, sqlite
    from tracker.reports import rebuild

    jobs.init_app(app)
    mail.init_app(app)
    rebuild.install()

    errors.init_app(app)
    security.init_app(app)
    app.before_request(account_views.require_second_factor)
    cli.init_app(app)
    sqlite.init_app(app)
    return app


def _check_production_settings(app: Flask) -> None:
    if app.config.get("PRODUCTION") and not app.config.get("SECRET_KEY"):
        raise ConfigurationError(
            "TRACKER_SECRET_KEY must be set in production (e.g. python -c "
            "'import secrets; print(secrets.token_hex(32))')."
        )


def _ensure_secret_key(app: Flask) -> None:
    """Outside production, an instance without TRACKER_SECRET_KEY signs with its own random key,
    kept in instance/ (tracker/secret_key.py); never a constant from the source."""
    if app.config.get("SECRET_KEY"):
        return
    from tracker.secret_key import UnusableKeyFile, load_or_create

    try:
        app.config["SECRET_KEY"] = load_or_create(Path(app.config["SECRET_KEY_FILE"]))
    except (OSError, UnusableKeyFile) as error:
        raise ConfigurationError(f"No session key: {error}") from error


def _prepare_sqlite(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///") and not uri.startswith("sqlite:////:memory"):
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
