"""The embedded default behind `make run`: SQLite, an in-process Redis stand-in and a worker thread.

For a newcomer's machine and the simulator, not for production or tests of production behaviour.
"""
import logging
import threading
import time

from rq import SimpleWorker
from rq.scheduler import RQScheduler
from rq.timeouts import TimerDeathPenalty

from dispatch.runtime import jobs
from dispatch.runtime.queue import QUEUE_NAMES
from dispatch.runtime.sweep import sweep_forever

log = logging.getLogger(__name__)


class ThreadWorker(SimpleWorker):
    """An RQ worker that can live in a thread: no signal handlers, timeouts by timer."""

    death_penalty_class = TimerDeathPenalty

    def _install_signal_handlers(self):
        pass


def start_worker_thread(app, poll_seconds: float = 0.5) -> threading.Thread:
    """Run queued and due jobs in a daemon thread, the way `python worker.py` does in production."""
    jobs.bind_app(app)
    queue = app.extensions["hotline.queue"]

    def loop():
        worker = ThreadWorker(list(QUEUE_NAMES), connection=queue.connection)
        scheduler = RQScheduler(list(QUEUE_NAMES), connection=queue.connection)
        while True:
            try:
                scheduler.acquire_locks()
                scheduler.enqueue_scheduled_jobs()
                worker.work(burst=True, logging_level="WARNING")
            except Exception:  # keep the embedded worker alive; the sweep recovers the job
                log.exception("embedded worker: a job failed")
            time.sleep(poll_seconds)

    thread = threading.Thread(target=loop, name="embedded-worker", daemon=True)
    thread.start()
    threading.Thread(target=sweep_forever, args=(app,), name="embedded-sweeper", daemon=True).start()
    if app.config["SMS_BACKEND"] == "gammu":  # the modem's inbox and reports, as python worker.py reads them
        from .gateways.gammu_inbox import read_forever

        threading.Thread(target=read_forever, args=(app,), name="embedded-modem", daemon=True).start()
    return thread
