"""Setting gammu-smsd up for this app: its schema in GAMMU_DATABASE_URL, and its configuration file (smsdrc).

The schema is the one gammu-smsd ships (`pgsql.sql`, version 17); gammu-smsd refuses to start on any other
version. Its `CREATE LANGUAGE plpgsql` line fails on every PostgreSQL since 9.0 (the language is built in),
and would abort the load in one transaction, so it is left out.
"""
import ctypes
import gzip
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

SCHEMA_VERSION = 17  # what gammu-smsd 1.42 expects in table `gammu`
SCHEMA_FILES = ("/usr/share/doc/gammu-smsd/examples/pgsql.sql", "/usr/share/doc/gammu-smsd/examples/pgsql.sql.gz")
TABLES = ("gammu", "inbox", "outbox", "outbox_multipart", "phones", "sentitems")
ROOT = Path(__file__).resolve().parents[2]
# Fast on the dummy, sane on a modem: see docs/gammu.md for each line.
SMSD_OPTIONS = {"CommTimeout": 1, "ReceiveFrequency": 1, "LoopSleep": 1, "StatusFrequency": 30,
                "MultipartTimeout": 600, "DeliveryReport": "sms", "DeliveryReportDelay": 600, "HangupCalls": 1,
                "CheckSecurity": 0}


class SetupError(Exception):
    """gammu-smsd cannot be set up as asked; the message says why in one sentence."""


def schema_sql(path: str | None = None) -> str:
    """gammu-smsd's own PostgreSQL schema, without the line that fails on a modern server."""
    for candidate in ([path] if path else SCHEMA_FILES):
        if candidate and Path(candidate).exists():
            data = gzip.open(candidate).read() if candidate.endswith(".gz") else Path(candidate).read_bytes()
            return re.sub(r"(?im)^\s*CREATE\s+LANGUAGE\s+plpgsql\s*;\s*$", "", data.decode())
    raise SetupError("gammu-smsd's pgsql.sql was not found: install the Debian package gammu-smsd.")


def connect(url: str) -> psycopg.Connection:
    """A plain connection to gammu's database (its schema loads as one script)."""
    parsed = make_url(url)
    return psycopg.connect(host=parsed.host or "127.0.0.1", port=parsed.port or 5432, user=parsed.username,
                           password=parsed.password or None, dbname=parsed.database, autocommit=True,
                           connect_timeout=5)


def load_schema(url: str, path: str | None = None) -> str:
    """Create gammu-smsd's tables unless they are there; returns what was done. A database holding another
    version of them is refused (gammu-smsd would not start on it)."""
    with connect(url) as connection:
        present = {row[0] for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename = ANY(%s)",
            (list(TABLES),))}
        if present and present != set(TABLES):
            raise SetupError(f"the database has some of gammu-smsd's tables but not all (missing: "
                             f"{', '.join(sorted(set(TABLES) - present))}); drop them or use an empty database.")
        if not present:
            connection.execute(schema_sql(path))
        version = connection.execute('SELECT "Version" FROM gammu').fetchone()
    if version is None or version[0] != SCHEMA_VERSION:
        raise SetupError(f"table gammu says version {version[0] if version else 'none'}; gammu-smsd 1.42 "
                         f"needs {SCHEMA_VERSION}.")
    return "loaded" if not present else "present"


def incoming_call_command() -> str:
    """RunOnIncomingCall: gammu-smsd runs it through the shell with the caller's number appended."""
    return f"{sys.executable} -m flask --app {ROOT / 'wsgi.py'} gammu incoming-call"


def smsdrc_text(url: str, *, phone_id: str, device: str, connection: str = "at", log_file: str = "syslog",
                on_call: str | None = None, options: dict | None = None) -> str:
    """gammu-smsd's configuration for this app: the phone ([gammu]) and the SQL service ([smsd])."""
    parsed = make_url(url)
    host = parsed.host or "127.0.0.1"
    lines = ["[gammu]", f"device = {device}", f"connection = {connection}"]
    if connection == "none":
        lines.insert(1, "model = dummy")
    lines += ["", "[smsd]", "Service = sql", "Driver = native_pgsql",
              f"Host = {host}:{parsed.port}" if parsed.port and parsed.port != 5432 else f"Host = {host}",
              f"User = {parsed.username or ''}", f"Password = {parsed.password or ''}",
              f"Database = {parsed.database}", f"PhoneID = {phone_id or 'modem1'}", f"LogFile = {log_file}",
              "DebugLevel = 1"]
    settings = dict(SMSD_OPTIONS, RunOnIncomingCall=on_call or incoming_call_command(), **(options or {}))
    lines += [f"{name} = {value}" for name, value in settings.items() if value is not None]
    return "\n".join(lines) + "\n"


def die_with_parent() -> None:
    """In a child just forked: SIGTERM it when its parent dies (Linux), so no orphan gammu-smsd holds the phone."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_dummy(settings: dict, instance_dir: str):
    """For `make run` on the modem route with GAMMU_DUMMY_DIR: gammu-smsd's tables, an smsdrc for the dummy
    phone in the instance folder, and gammu-smsd itself as a child that dies with this process."""
    if shutil.which("gammu-smsd") is None:
        raise SetupError("gammu-smsd is not installed (Debian: apt-get install gammu gammu-smsd).")
    load_schema(settings["GAMMU_DATABASE_URL"])
    phone = Path(settings["GAMMU_DUMMY_DIR"]).resolve()
    phone.mkdir(parents=True, exist_ok=True)
    folder = Path(instance_dir) / "gammu"
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "smsdrc"
    config.write_text(smsdrc_text(settings["GAMMU_DATABASE_URL"], phone_id=settings["GAMMU_PHONE_ID"],
                                  device=str(phone), connection="none", log_file=str(folder / "smsd.log")))

    process = subprocess.Popen(["gammu-smsd", "-c", str(config), "-p", str(folder / "smsd.pid")],
                               stdin=subprocess.DEVNULL, stdout=open(folder / "smsd.out", "ab"),
                               stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
    return process, folder / "smsd.log"
