"""`make run`: the whole service on one machine with nothing but Python.

With no DATABASE_URL and no REDIS_URL it uses the embedded default: a SQLite file in instance/, an
in-process Redis stand-in and a worker thread. It migrates the database, loads the demo roster when the
database is empty, and prints the simulator's address.
"""
import os
from datetime import datetime, timezone

import flask_migrate

from dispatch.roster import load_demo
from models import db

from . import create_app_or_exit
from .embedded import start_worker_thread


def main() -> None:
    app = create_app_or_exit()
    embedded = not app.config["REDIS_URL"]
    with app.app_context():
        flask_migrate.upgrade()
        if app.config["SMS_BACKEND"] == "console":
            summary = load_demo(db.session, region=app.config["DEFAULT_REGION"], timezone=app.config["TIMEZONE"],
                                now=datetime.now(timezone.utc))
            db.session.commit()
            if summary is not None:
                print("Loaded the demo roster (synthetic people and points):", "; ".join(summary.lines()))
    if embedded:
        start_worker_thread(app)
    else:
        print("REDIS_URL is set: start `python worker.py` beside this server to run the jobs.")
    host, port = os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "5000"))
    if app.config["SMS_BACKEND"] == "console":
        print(f"\n  Simulator: http://{host}:{port}/simulator\n")
    app.run(host=host, port=port, threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
