"""The real gammu-smsd (Debian's, 1.42) on Gammu's `dummy` phone, against a PostgreSQL database of the test's own.

What a test sees is what a modem would do, except that the dummy sends nothing anywhere: assert on
`sentitems` (each part's coding, text and header), never on the dummy's "sent". The phone folder, the
inbound files and the schema are the project's own (hotline/gateways/gammu_dummy.py, gammu_setup.py), so the
daemon checks them too. Startup needs `CommTimeout = 1` and `ReceiveFrequency = 1` to move in about a second.
"""
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.rows import dict_row
from sqlalchemy.engine import make_url

from hotline.gateways import gammu_dummy, gammu_setup

SMSD = shutil.which("gammu-smsd")
INJECT = shutil.which("gammu-smsd-inject")
PHONE_ID = "dummy1"
DUMMY_CALLER = "+800123456"  # the number the dummy always rings from
FAST = {"StatusFrequency": 0, "CheckBattery": 0, "CheckSignal": 0, "CheckNetwork": 0}
TABLES = ("inbox", "outbox", "outbox_multipart", "sentitems", "phones")


def wait_for(condition, timeout: float = 15.0, what: str = "the condition"):
    """Poll `condition` until it returns something true, and return that; fail naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.1)


def fresh_database(our_url: str) -> str:
    """Create (again) a gammu database beside ours, named after it, and load gammu-smsd's schema into it."""
    ours = make_url(our_url)
    name = f"{ours.database}_gammu"
    url = ours.set(drivername="postgresql", database=name).render_as_string(hide_password=False)
    admin = ours.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
            sql.Identifier(name)))
    assert gammu_setup.load_schema(url) == "loaded"
    return url


class Smsd:
    """gammu-smsd on a dummy phone in `workdir`, storing into the gammu database at `url`."""

    def __init__(self, workdir: Path, url: str, on_call: str | None = None, env: dict | None = None):
        self.workdir, self.url, self.env = Path(workdir), url, env
        self.phone_dir = self.workdir / "phone"
        self.phone_dir.mkdir(parents=True, exist_ok=True)
        self.log = self.workdir / "smsd.log"
        self.config = self.workdir / "smsdrc"
        self.config.write_text(gammu_setup.smsdrc_text(url, phone_id=PHONE_ID, device=str(self.phone_dir),
                                                       connection="none", log_file=str(self.log),
                                                       on_call=on_call, options=FAST))
        self.process = None
        self.connection = psycopg.connect(url, autocommit=True, row_factory=dict_row)

    def start(self, timeout: float = 15.0) -> "Smsd":
        """Start the daemon in the foreground, as a child that dies with us; ready once its phones row is there."""
        self.query('DELETE FROM phones WHERE "ID" = %s', (PHONE_ID,))
        self.process = subprocess.Popen([SMSD, "-c", str(self.config), "-p", str(self.workdir / "smsd.pid")],
                                        stdin=subprocess.DEVNULL, stdout=open(self.workdir / "smsd.out", "ab"),
                                        stderr=subprocess.STDOUT, cwd=self.workdir, env=self.env,
                                        preexec_fn=gammu_setup.die_with_parent)
        wait_for(lambda: self.process.poll() is not None or self.query('SELECT 1 FROM phones WHERE "ID" = %s',
                                                                         (PHONE_ID,)), timeout, "gammu-smsd")
        assert self.process.poll() is None, f"gammu-smsd exited:\n{self.log_text()[-2000:]}"
        return self

    def stop(self) -> None:
        """SIGTERM (it closes the database cleanly) and wait."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def pause(self) -> None:
        """Freeze the daemon (SIGSTOP): what is queued stays in the outbox, as with a hung modem."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        """Let a frozen daemon go on (SIGCONT)."""
        self.process.send_signal(signal.SIGCONT)

    def close(self) -> None:
        """Stop the daemon and empty its tables for the next test."""
        self.stop()
        for table in TABLES:
            self.query(f"TRUNCATE {table}")
        self.connection.close()

    def query(self, statement: str, params=()) -> list[dict]:
        """Run one statement on gammu's database; its rows, if it has any."""
        cursor = self.connection.execute(statement, params)
        return cursor.fetchall() if cursor.description else []

    def log_text(self) -> str:
        """gammu-smsd's log so far."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    # What the network does to the phone.
    def receive(self, number: str, text: str) -> None:
        """An SMS from `number` reaches the modem (in parts, when long)."""
        gammu_dummy.receive(self.phone_dir, number, text)

    def report(self, number: str, delivered: bool) -> None:
        """A delivery report for the oldest unreported message to `number`."""
        gammu_dummy.report(self.phone_dir, number, delivered)

    def ring(self) -> None:
        """A call reaches the modem (from DUMMY_CALLER)."""
        gammu_dummy.ring(self.phone_dir)

    # What the daemon did.
    def sent_messages(self, number: str | None = None) -> list[list[dict]]:
        """Each message the daemon sent (to `number`), oldest first, as its sentitems rows in sequence."""
        rows = self.query('SELECT * FROM sentitems WHERE %s::text IS NULL OR "DestinationNumber" = %s '
                          'ORDER BY "ID", "SequencePosition"', (number, number))
        messages: dict[int, list[dict]] = {}
        for row in rows:
            messages.setdefault(row["ID"], []).append(row)
        return list(messages.values())

    def texts_to(self, number: str) -> list[str]:
        """What a phone received: each sent message's parts joined, in the order they left."""
        return ["".join(part["TextDecoded"] for part in parts) for parts in self.sent_messages(number)]

    def inbox(self) -> list[dict]:
        """gammu-smsd's inbox rows, oldest first."""
        return self.query('SELECT * FROM inbox ORDER BY "ID"')

    def wait_drained(self, timeout: float = 20.0) -> None:
        """Until the outbox is empty: everything queued has left."""
        wait_for(lambda: not self.query("SELECT 1 FROM outbox LIMIT 1"), timeout, "the outbox to empty")


# Fixtures (conftest.py files import them): the gammu database once per session, a daemon per test.

@pytest.fixture(scope="session")
def gammu_url():
    """gammu-smsd's database for this test session, beside ours, with gammu-smsd's schema."""
    if SMSD is None:
        pytest.skip("gammu-smsd is not installed (Debian: apt-get install gammu gammu-smsd)")
    url = os.environ.get("DATABASE_URL") or ""
    if not url.startswith("postgres"):
        pytest.skip("the modem route needs PostgreSQL (make test sets DATABASE_URL)")
    return fresh_database(url)


@pytest.fixture
def smsd(gammu_url, tmp_path):
    """The real gammu-smsd on a dummy phone of this test's own, its tables emptied afterwards."""
    daemon = Smsd(tmp_path / "gammu", gammu_url).start()
    yield daemon
    daemon.close()


def gammu_settings(url: str, **more) -> dict:
    """The test app's settings for the modem route, reading gammu's tables every 0.2 s."""
    from tests.conftest import _settings

    return _settings(**{"SMS_BACKEND": "gammu", "GAMMU_DATABASE_URL": url, "GAMMU_POLL_SECONDS": 0.2,
                        "GAMMU_PHONE_ID": PHONE_ID, **more})
