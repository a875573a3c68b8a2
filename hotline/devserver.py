"""`make run`: the whole service on one machine with nothing but Python.

With no DATABASE_URL and no REDIS_URL it uses the embedded default: a SQLite file in instance/, an
in-process Redis stand-in and a worker thread. It migrates the database, loads the demo roster when the
database is empty, and prints the simulator's address. With SMS_BACKEND=gammu and GAMMU_DUMMY_DIR it also
loads gammu-smsd's tables and runs gammu-smsd on Gammu's dummy phone, so the tour goes through the modem route.
"""
import os
import socket
from datetime import datetime, timezone

import flask_migrate
from werkzeug.serving import make_server

from dispatch.roster import load_demo
from models import db

from . import create_app_or_exit, simulator
from .embedded import start_worker_thread
from .gateways import gammu_setup


DEFAULT_PORT = 5000


def main() -> None:
    """Migrate, load the demo roster into an empty database, start the embedded worker, serve on HOST:PORT."""
    server_address = _address()
    app = create_app_or_exit()
    embedded = not app.config["REDIS_URL"]
    with app.app_context():
        flask_migrate.upgrade()
        if simulator.wanted(app.config):  # nothing reaches a real phone: the demo roster's made-up people are safe
            summary = load_demo(db.session, region=app.config["DEFAULT_REGION"], timezone=app.config["TIMEZONE"],
                                now=datetime.now(timezone.utc))
            db.session.commit()
            if summary is not None:
                print("Loaded the demo roster (synthetic people and points):", "; ".join(summary.lines()))
    if app.config["SMS_BACKEND"] == "gammu" and app.config["GAMMU_DUMMY_DIR"]:
        try:
            _, log = gammu_setup.start_dummy(app.config, app.config["INSTANCE_DIR"])
        except gammu_setup.SetupError as error:
            raise SystemExit(f"Cannot start gammu-smsd on the dummy phone: {error}")
        print(f"gammu-smsd runs on the dummy phone in {app.config['GAMMU_DUMMY_DIR']} (its log: {log}).")
    if embedded:
        start_worker_thread(app)
    else:
        print("REDIS_URL is set: start `python worker.py` beside this server to run the jobs.")
    server = _bind(app, *server_address)
    shown = "127.0.0.1" if server_address[0] in ("0.0.0.0", "") else server_address[0]
    where = f"http://{shown}:{server.server_port}"
    print(f"\n  Simulator: {where}/simulator\n" if simulator.wanted(app.config) else f"\n  Serving on {where}\n")
    server.serve_forever()


def _address() -> tuple[str, int | None]:
    """HOST and PORT from the environment; no PORT means 5000, or a free port when 5000 is taken."""
    host, port = os.environ.get("HOST") or "127.0.0.1", os.environ.get("PORT") or None
    if port is not None and not (port.isdigit() and 0 < int(port) < 65536):
        raise SystemExit(f"Configuration error: PORT must be a port number such as 5000, not {port!r}.")
    return host, int(port) if port else None


def _bind(app, host: str, port: int | None):
    """The server, bound before its address is printed, so the address shown is the one that answers."""
    wanted = port or DEFAULT_PORT
    if not _can_bind(host, wanted):
        if port is not None:
            raise SystemExit(f"Cannot serve on {host}:{port}: the port is taken; set PORT to a free one.")
        wanted = 0  # 5000 is taken and no PORT was asked for: any free port
    return make_server(host, wanted, app, threaded=True)


def _can_bind(host: str, port: int) -> bool:
    """Whether host:port is free (werkzeug exits the process instead of raising when it is not)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


if __name__ == "__main__":
    main()
