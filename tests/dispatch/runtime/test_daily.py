"""Daily tasks run once per local day after their hour, however many sweeps and workers see them due."""
from datetime import date, datetime, timezone

from rq.job import Job

from dispatch.runtime import daily
from dispatch.runtime.sweep import sweep_once
from models import DailyRun, Event, db

# A task of this test's own: it leaves a mark the test can count.
TASKS = {"mark": ("DIGEST_HOUR", "tests.dispatch.runtime.test_daily.leave_mark")}
MARKS: list[date] = []


def leave_mark(session, day, now, settings):
    """The test task: remember the day it ran for."""
    MARKS.append(day)


def at_local(hour: int) -> datetime:
    """2026-03-02 at `hour` o'clock in Asia/Shanghai (UTC+8), as UTC."""
    return datetime(2026, 3, 2, hour, 30, tzinfo=timezone.utc).replace(hour=(hour - 8) % 24)


def test_a_task_is_due_only_after_its_local_hour(app):
    settings = dict(app.config, DIGEST_HOUR=8)
    assert daily.due_today(at_local(7), settings, TASKS) == []
    assert daily.due_today(at_local(8), settings, TASKS) == [("mark", date(2026, 3, 2))]


def test_a_task_runs_once_for_its_day(ctx, app):
    MARKS.clear()
    now = at_local(9)
    assert daily.run(db.session, "mark", date(2026, 3, 2), now, app.config, TASKS) is True
    db.session.commit()
    assert daily.run(db.session, "mark", date(2026, 3, 2), now, app.config, TASKS) is False
    assert MARKS == [date(2026, 3, 2)]
    assert daily.not_run(db.session, [("mark", date(2026, 3, 2)), ("mark", date(2026, 3, 3))]) == \
        [("mark", date(2026, 3, 3))]
    assert db.session.get(DailyRun, ("mark", date(2026, 3, 2))).at == now


def test_the_sweep_enqueues_a_due_task_with_its_day(ctx, app, monkeypatch):
    monkeypatch.setattr(daily, "TASKS", TASKS)
    queue = app.extensions["hotline.queue"]
    sweep_once(db.session, queue, at_local(10), app.config)
    job = Job.fetch("daily-mark-2026-03-02", connection=queue.connection)
    assert (job.func_name, job.args) == ("dispatch.runtime.jobs.run_daily", ("mark", "2026-03-02"))
    assert db.session.scalar(db.select(Event.id)) is None  # the sweep itself changes nothing
