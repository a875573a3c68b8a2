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
    return Path(instance_dir) / "spool" / "inbound.jsonl"


def keep(instance_dir: str, form: dict, received_at: datetime) -> None:
    """Append one inbound message to the spool and make sure it is on disk."""
    path = spool_path(instance_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"received_at": received_at.isoformat(), "form": form}, ensure_ascii=False) + "\n"
    with open(path, "a", encoding="utf-8") as spool:
        spool.write(line)
        spool.flush()
        os.fsync(spool.fileno())


def take(instance_dir: str) -> list[tuple[datetime, dict]]:
    """Claim every spooled message (or none, when another process got there first)."""
    path = spool_path(instance_dir)
    if not path.exists():
        return []
    claimed = path.with_name(f"inbound.{os.getpid()}.replaying")
    try:
        path.rename(claimed)
    except FileNotFoundError:
        return []
    entries = []
    for line in claimed.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
            entries.append((datetime.fromisoformat(entry["received_at"]), entry["form"]))
        except (ValueError, KeyError):
            log.error("unreadable spool line kept in %s", claimed)
            return entries
    claimed.unlink()
    return entries


def put_back(instance_dir: str, entries) -> None:
    """Return messages that could not be replayed (the database went away again)."""
    for received_at, form in entries:
        keep(instance_dir, form, received_at)
