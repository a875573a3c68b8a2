"""Daily tasks: each runs once per local day after its hour (a setting), whatever the number of workers.

The sweep (beside every worker) enqueues a task whose hour has passed and which has not run today; the job
claims the day with a `daily_run` row in the same transaction as the task's work, so a task that fails is
tried again by the next sweep and a task that ran is never run twice.
"""
import importlib
import zoneinfo
from datetime import date, datetime

from sqlalchemy import select

from models import DailyRun

# name -> (the setting that holds its local hour, the dispatch function: task(session, day, now, settings)).
TASKS: dict[str, tuple[str, str]] = {
    "digest": ("DIGEST_HOUR", "dispatch.ledgers.digest.send_daily_digest"),  # the leaders' daily digest
    "checkin": ("CHECKIN_HOUR", "dispatch.register.round.run_daily_round"),  # the register's weekly round
}


def due_today(now: datetime, settings, tasks=None) -> list[tuple[str, date]]:
    """The tasks whose hour has passed today (local time), with today's local date."""
    local = now.astimezone(zoneinfo.ZoneInfo(settings["TIMEZONE"]))
    tasks = TASKS if tasks is None else tasks
    return [(name, local.date()) for name, (hour_setting, _) in tasks.items() if local.hour >= settings[hour_setting]]


def not_run(session, due: list[tuple[str, date]]) -> list[tuple[str, date]]:
    """Those of `due` that have not run for their day."""
    ran = set(session.execute(select(DailyRun.task, DailyRun.day).where(
        DailyRun.day.in_({day for _, day in due}))).all()) if due else set()
    return [item for item in due if item not in ran]


def run(session, name: str, day: date, now, settings, tasks=None) -> bool:
    """Claim `day` for task `name` and do its work in the caller's transaction; False when it already ran."""
    tasks = TASKS if tasks is None else tasks
    if name not in tasks or session.get(DailyRun, (name, day), with_for_update=True) is not None:
        return False
    session.add(DailyRun(task=name, day=day, at=now))
    session.flush()  # a second worker's claim of the same day fails here, on the primary key
    module, function = tasks[name][1].rsplit(".", 1)
    getattr(importlib.import_module(module), function)(session, day, now, settings)
    return True
