"""Real parts for tests that break them: a served app and worker processes (servers of their own: servers.py)."""
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import requests
from twilio.request_validator import RequestValidator
from werkzeug.serving import make_server

from hotline import create_app

from .servers import PostgresCluster, RedisServer, free_port, wait_until  # noqa: F401 (re-exported)
from .webhooks import sms_form

ROOT = Path(__file__).resolve().parents[2]


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
        return post_sms(self.base_url, self.settings, phone, body, sid)

    def stop(self):
        self.server.shutdown()


def post_sms(base_url: str, settings: dict, phone: str, body: str, sid: str | None = None) -> requests.Response:
    """An inbound SMS the way Twilio posts it to the app at `base_url`: over HTTP, signed for the public URL."""
    url, form = base_url + "/twilio/sms", sms_form(phone, body, sid)
    signature = RequestValidator(settings["TWILIO_AUTH_TOKEN"]).compute_signature(url, form)
    return requests.post(url, data=form, headers={"X-Twilio-Signature": signature}, timeout=15)


def environment(settings: dict) -> dict:
    """The process environment that gives a child process (worker.py, gunicorn) the app's settings."""
    return dict(os.environ, **{k: str(v) if not isinstance(v, tuple) else ",".join(map(str, v))
                               for k, v in settings.items() if v is not None and k != "TESTING"})


class WebProcess:
    """The web app as deployed: gunicorn serving wsgi:app with sync workers, in its own process group."""

    def __init__(self, settings: dict, log_path: Path, workers: int = 2, threads: int = 1):
        port = free_port()
        self.base_url, self.log_path = f"http://127.0.0.1:{port}", log_path
        self.settings = dict(settings, PUBLIC_BASE_URL=self.base_url)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(workers), "--threads", str(threads), "-b", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT, env=environment(self.settings), start_new_session=True, stdout=open(log_path, "a"),
            stderr=subprocess.STDOUT)

    def get(self, path: str) -> requests.Response | None:
        """GET `path`; None while nothing answers on the port."""
        try:
            return requests.get(self.base_url + path, timeout=15)
        except requests.ConnectionError:
            return None

    def post_sms(self, phone: str, body: str, sid: str | None = None) -> requests.Response:
        """An inbound SMS the way Twilio posts it."""
        return post_sms(self.base_url, self.settings, phone, body, sid)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


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
        self.log_path = log_path
        self.process = subprocess.Popen([sys.executable, "worker.py"], cwd=ROOT, env=environment(settings),
                                        start_new_session=True,
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
