"""`make test`: run the suite on a real PostgreSQL and a real Redis, whatever the machine has.

DATABASE_URL / REDIS_URL, when set, are used as they are. Otherwise this machine's own servers on 127.0.0.1
(database `test`, Redis db 0) when they answer; otherwise a private, throwaway pair is started on free ports
and removed afterwards. With neither servers nor their binaries, one line says what to install.

    python -m tests.support.services [pytest arguments]
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from .servers import PostgresCluster, RedisServer

MACHINE_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MACHINE_REDIS = "redis://127.0.0.1:6379/0"
INSTALL = ("make test needs PostgreSQL and Redis: install their servers (Debian: apt-get install postgresql "
           "redis-server) or set DATABASE_URL and REDIS_URL to ones you have.")


def answers(host: str, port: int) -> bool:
    """Whether something listens on host:port."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def machine_database() -> str | None:
    """The machine's own PostgreSQL `test` database, created when the server runs without it."""
    if not answers("127.0.0.1", 5432):
        return None
    import psycopg

    try:
        psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", connect_timeout=3).close()
        return MACHINE_DATABASE
    except psycopg.OperationalError:
        pass
    try:
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3,
                             autocommit=True) as connection:
            connection.execute("CREATE DATABASE test")
        return MACHINE_DATABASE
    except psycopg.Error:
        return None  # a server we may not use (a password, no such role): start our own instead


def main(pytest_args: list[str]) -> int:
    """Find or start the servers, run pytest with them, stop what was started; pytest's exit code."""
    env, started = dict(os.environ), []
    try:
        if not env.get("DATABASE_URL"):
            env["DATABASE_URL"] = machine_database() or _private_database(started)
        if not env.get("REDIS_URL"):
            env["REDIS_URL"] = MACHINE_REDIS if answers("127.0.0.1", 6379) else _private_redis(started)
    except _Missing:
        print(INSTALL, file=sys.stderr)
        return 2
    try:
        return subprocess.call([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *pytest_args], env=env)
    finally:
        for stop in reversed(started):
            stop()


class _Missing(Exception):
    """A server is needed and its binaries are not installed."""


def _private_database(started: list) -> str:
    cluster = PostgresCluster()
    if not cluster.available:
        raise _Missing()
    print(f"No PostgreSQL on 127.0.0.1:5432: starting a private one on port {cluster.port}.", file=sys.stderr)
    cluster.init().start()
    started.append(lambda: (cluster.stop(), cluster.remove()))
    return cluster.create_database("test")


def _private_redis(started: list) -> str:
    if shutil.which("redis-server") is None:
        raise _Missing()
    workdir = Path(tempfile.mkdtemp(prefix="hotline-redis-"))
    server = RedisServer(workdir).start()
    print(f"No Redis on 127.0.0.1:6379: started a private one on port {server.port}.", file=sys.stderr)
    started.append(lambda: (server.stop(), shutil.rmtree(workdir, ignore_errors=True)))
    return server.url


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
