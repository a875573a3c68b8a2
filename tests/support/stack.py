"""Real parts for tests that break them: a served app, worker processes, a Redis and a PostgreSQL of their own."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from twilio.request_validator import RequestValidator
from werkzeug.serving import make_server

from hotline import create_app

from .webhooks import sms_form

ROOT = Path(__file__).resolve().parents[2]


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


class ServedApp:
    """The web app over real HTTP on a free port, configured by `settings`."""

    def __init__(self, settings: dict):
        self.server = make_server("127.0.0.1", 0, None, threaded=True)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self.settings = dict(settings, PUBLIC_BASE_URL=self.base_url)
        self.app = create_app(self.settings)
        self.server.app = self.app
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def post_sms(self, phone: str, body: str, sid: str | None = None) -> requests.Response:
        """An inbound SMS the way Twilio posts it: over HTTP, signed for the public URL."""
        url, form = self.base_url + "/twilio/sms", sms_form(phone, body, sid)
        signature = RequestValidator(self.settings["TWILIO_AUTH_TOKEN"]).compute_signature(url, form)
        return requests.post(url, data=form, headers={"X-Twilio-Signature": signature}, timeout=15)

    def stop(self):
        self.server.shutdown()


def descendants(pid: int) -> list[int]:
    """Every process below `pid`, read from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, frontier = [], [pid]
    while frontier:
        below = [c for p in frontier for c in children.get(p, [])]
        found += below
        frontier = below
    return found


class WorkerProcess:
    """`python worker.py` in its own process group, with the app's settings in its environment."""

    def __init__(self, settings: dict, log_path: Path):
        env = dict(os.environ, **{k: str(v) if not isinstance(v, tuple) else ",".join(map(str, v))
                                  for k, v in settings.items() if v is not None and k != "TESTING"})
        self.log_path = log_path
        self.process = subprocess.Popen([sys.executable, "worker.py"], cwd=ROOT, env=env, start_new_session=True,
                                        stdout=open(log_path, "a"), stderr=subprocess.STDOUT)

    def kill(self):
        """SIGKILL the worker, its work horse (RQ puts it in a process group of its own) and its sweeper."""
        for pid in [self.process.pid, *descendants(self.process.pid)]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


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
    """A PostgreSQL cluster of the test's own (initdb as the postgres user), on its own port."""

    def __init__(self):
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
        self.bin = bins[-1] if bins else None
        # Not under pytest's tmp_path: the postgres user cannot enter root's private folders.
        self.port, self.dir = free_port(), Path(tempfile.mkdtemp(prefix="hotline-pg-")) / "pgdata"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def available(self) -> bool:
        return self.bin is not None and shutil.which("runuser") is not None

    def _as_postgres(self, *args):
        subprocess.run(["runuser", "-u", "postgres", "--", *map(str, args)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)

    def init(self):
        self.dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.dir.parent, "postgres")
        self.dir.parent.chmod(0o755)
        self._as_postgres(self.bin / "initdb", "-D", self.dir, "-A", "trust", "-U", "postgres", "--no-sync")
        return self

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off"
        self._as_postgres(self.bin / "pg_ctl", "-D", self.dir, "-o", options, "-l", self.dir / "log", "-w", "start")
        return self

    def stop(self):
        self._as_postgres(self.bin / "pg_ctl", "-D", self.dir, "-m", "fast", "-w", "stop")

    def remove(self):
        shutil.rmtree(self.dir.parent, ignore_errors=True)
