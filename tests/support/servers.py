"""A Redis and a PostgreSQL of a test's own, on free ports, that it can stop and start; `make test` starts a pair
of them when the machine runs none (tests/support/services.py). Nothing here imports the app."""
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, timeout=20.0, what="the condition"):
    """Poll `condition` until it is true; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class RedisServer:
    """A redis-server of the test's own, on its own port, that the test can stop and start."""

    def __init__(self, workdir: Path):
        self.port, self.workdir, self.process = free_port(), workdir, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self._answers, 10, "redis-server to start")
        return self

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False


class PostgresCluster:
    """A PostgreSQL cluster of the test's own (initdb; as the postgres user when run as root), on its own port."""

    def __init__(self):
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
        on_path = shutil.which("initdb")
        self.bin = bins[-1] if bins else (Path(on_path).parent if on_path else None)
        # Not under pytest's tmp_path: the postgres user cannot enter root's private folders.
        self.port, self.dir = free_port(), Path(tempfile.mkdtemp(prefix="hotline-pg-")) / "pgdata"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self.as_root = os.geteuid() == 0  # PostgreSQL refuses to run as root: hand it to the postgres user

    @property
    def available(self) -> bool:
        """Whether this machine has PostgreSQL's server binaries (and, as root, a way to become postgres)."""
        return self.bin is not None and (not self.as_root or shutil.which("runuser") is not None)

    def _as_postgres(self, *args):
        command = ["runuser", "-u", "postgres", "--", *map(str, args)] if self.as_root else list(map(str, args))
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)

    def init(self):
        """Make the cluster's data folder, with trust authentication for the superuser `postgres`."""
        self.dir.parent.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            shutil.chown(self.dir.parent, "postgres")
        self.dir.parent.chmod(0o755)
        self._as_postgres(self.bin / "initdb", "-D", self.dir, "-A", "trust", "-U", "postgres", "--no-sync")
        return self

    def start(self):
        """Start the server on its port, listening on 127.0.0.1 only, without fsync (test data)."""
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off"
        self._as_postgres(self.bin / "pg_ctl", "-D", self.dir, "-o", options, "-l", self.dir / "log", "-w", "start")
        return self

    def create_database(self, name: str) -> str:
        """Create database `name` and return its URL."""
        self._as_postgres(self.bin / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", name)
        return self.url.rsplit("/", 1)[0] + f"/{name}"

    def stop(self):
        """Stop the server (fast: open connections are closed)."""
        self._as_postgres(self.bin / "pg_ctl", "-D", self.dir, "-m", "fast", "-w", "stop")

    def remove(self):
        """Delete the cluster's data."""
        shutil.rmtree(self.dir.parent, ignore_errors=True)
