"""Fixtures: one app and one database per test session, emptied between tests.

Tests run on the PostgreSQL and Redis named by DATABASE_URL / REDIS_URL (make test sets the machine's own).
"""
import os

import flask_migrate
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from hotline import create_app
from models import db

from .factories import Factory

AUTH_TOKEN = "test-auth-token-0123456789abcdef"
ACCOUNT_SID = "AC" + "0" * 32


def _settings(**more):
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-deployment",
        "DATABASE_URL": os.environ.get("DATABASE_URL"),
        "REDIS_URL": os.environ.get("REDIS_URL"),
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_FROM_NUMBER": "+864778512345",
        "PUBLIC_BASE_URL": "https://hotline.example.org",
        "SMS_BACKEND": "console",
    }
    settings.update(more)
    return settings


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = make_url(os.environ.get("DATABASE_URL") or "sqlite://")
    if url.database and "test" not in url.database:
        pytest.exit(f"refusing to empty database {url.database!r}: the tests drop its schema; "
                    "use one whose name contains 'test'", returncode=2)
    app = create_app(_settings(INSTANCE_DIR=str(tmp_path_factory.mktemp("instance"))))
    with app.app_context():
        # The schema comes from the migrations, as in a deployment, so they are tested too.
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        else:
            db.drop_all()
        db.session.remove()
        flask_migrate.upgrade()
    return app


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Empty every table after each test that used the app (TRUNCATE on PostgreSQL, DELETE elsewhere)."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]  # alembic_version stays
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                db.session.execute(text(f"DELETE FROM {name}"))
        db.session.commit()
        app.extensions["hotline.queue"].connection.flushdb()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(ctx):
    """Factories for roster rows: make.team(...), make.member(...), make.household(...)."""
    return Factory(db.session)
