"""Benchmarks against the real stack; each is `python -m bench.<name>`, figures in docs/benchmarks.md."""
import os

from sqlalchemy import text
from sqlalchemy.engine import make_url


def bench_database_url(parser) -> str:
    """DATABASE_URL, refused (through `parser`, with a usage line) unless it names a PostgreSQL database whose
    name contains "test": every benchmark empties its database first."""
    url = os.environ.get("DATABASE_URL", "")
    if not url or not make_url(url).drivername.startswith("postgresql") or "test" not in (make_url(url).database or ""):
        parser.error("set DATABASE_URL to a PostgreSQL database whose name contains 'test' (it is emptied)")
    return url


def empty_and_migrate(db) -> None:
    """Start the benchmark's database from nothing: drop everything in it, then run every migration.
    Call inside an app context; the database is the one DATABASE_URL names (never the tests')."""
    import flask_migrate

    db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    db.session.commit()
    flask_migrate.upgrade()
