"""The Flask side: the app factory. It reads as a table of contents of the system."""
import logging

from flask import Flask
from flask_migrate import Migrate

from dispatch.runtime.queue import JobQueue, connect
from models import db

from . import log_privacy
from .config import ConfigError, database_uri, load_config

migrate = Migrate()


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app from defaults, the environment and `overrides`; no side effects beyond that."""
    settings = load_config(overrides)
    app = Flask(__name__, instance_path=settings["INSTANCE_DIR"])
    app.config.update(settings)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(settings)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"]))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # The twilio client logs every request's headers at INFO: too chatty, and no place for secrets.
    logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
    # WeasyPrint logs each step of rendering the contact cards at INFO: a page of lines per download.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    log_privacy.install([settings["TWILIO_AUTH_TOKEN"], settings["SECRET_KEY"]])

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    app.extensions["hotline.queue"] = JobQueue(connect(settings["REDIS_URL"]), settings["SEND_RETRY_DELAYS"])

    from . import cli, dashboard, gateways, health, ratelimit, security, simulator, sms, status, voice

    security.init_app(app)
    ratelimit.init_app(app)
    gateways.init_app(app)
    sms.init_app(app)
    status.init_app(app)
    voice.init_app(app)
    dashboard.init_app(app)
    health.init_app(app)
    cli.init_app(app)
    if simulator.wanted(settings):
        simulator.init_app(app)
    return app


def engine_options(url: str) -> dict:
    """Connections checked before use (the database may have restarted), never waiting long for a server that
    is away, and no statement parameters in errors: they carry phone numbers and what herders wrote."""
    options = {"pool_pre_ping": True, "hide_parameters": True}
    if url.startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": 5}
        # A worker's job threads (WORKER_THREADS, up to 12) each hold one while a job runs (its senders hold
        # none: they only talk to the provider); connections beyond the pool are opened and closed for each use,
        # which a storm turns into a cost of its own.
        options.update(pool_size=12, max_overflow=8)
    return options


def create_app_or_exit() -> Flask:
    """create_app for the entry points: a bad setting stops start-up with its sentence, not a traceback."""
    try:
        return create_app()
    except ConfigError as error:
        raise SystemExit(f"Configuration error: {error}")
