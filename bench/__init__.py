"""Benchmarks against the real stack; each is `python -m bench.<name>`, figures in docs/benchmarks.md."""
from sqlalchemy import text


def empty_and_migrate(db) -> None:
    """Start the benchmark's database from nothing: drop everything in it, then run every migration.
    Call inside an app context; the database is the one DATABASE_URL names (never the tests')."""
    import flask_migrate

    db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    db.session.commit()
    flask_migrate.upgrade()
