"""When the database cannot take an inbound SMS, it waits in a file and is replayed once the database is back.

A line per message (JSON: when it came, Twilio's form), appended and fsync'd before the webhook answers.
Replaying renames the file first, so two web processes never replay the same messages.
"""
import json
import logging
import os
from datetime import datetime
from pathlib import Path

log = logging.getLogger(__name__)


def spool_path(instance_dir: str) -> Path:
    """The spool file under the instance folder: one JSON line per SMS waiting for the database."""
    return Path(instance_dir) / "spool" / "inbound.jsonl"


def keep(instance_dir: str, form: dict, received_at: datetime) -> None:
    """Append one inbound message to the spool and make sure it is on disk."""
    path = spool_path(instance_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"received_at": received_at.isoformat(), "form": form}, ensure_ascii=False) + "\n"
    if _ends_mid_line(path):
        line = "\n" + line  # a crash mid-append left half a line: never glue this message onto it
    with open(path, "a", encoding="utf-8") as spool:
        spool.write(line)
        spool.flush()
        os.fsync(spool.fileno())


def _ends_mid_line(path: Path) -> bool:
    try:
        with open(path, "rb") as spool:
            spool.seek(-1, os.SEEK_END)
            return spool.read(1) != b"\n"
    except (FileNotFoundError, OSError):  # missing or empty
        return False


def take(instance_dir: str) -> tuple[Path | None, list[tuple[datetime, dict]]]:
    """Claim the spooled messages (none when another process got there first). Returns the claimed file,
    to `release` once they are replayed, and its readable entries; an unreadable line (a crash mid-append)
    is skipped and logged, never a reason to drop the lines after it."""
    path = spool_path(instance_dir)
    claimed = path.with_name(f"inbound.{os.getpid()}.replaying")
    if not claimed.exists():  # a replay this process began and did not finish comes first
        try:
            path.rename(claimed)
        except FileNotFoundError:
            return None, []
    entries = []
    for number, line in enumerate(claimed.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        try:
            entry = json.loads(line)
            entries.append((datetime.fromisoformat(entry["received_at"]), entry["form"]))
        except (ValueError, KeyError, TypeError):
            log.error("spool line %d is unreadable and was skipped (a copy stays in %s.bad)", number, path)
            with open(f"{path}.bad", "a", encoding="utf-8") as bad:
                bad.write(line + "\n")
    return claimed, entries


def release(claimed: Path | None) -> None:
    """Forget a claimed spool file once every message in it is in the database."""
    if claimed is not None:
        claimed.unlink(missing_ok=True)


def put_back(instance_dir: str, entries) -> None:
    """Return messages that could not be replayed (the database went away again)."""
    for received_at, form in entries:
        keep(instance_dir, form, received_at)
