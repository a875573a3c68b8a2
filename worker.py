"""The RQ worker: `python worker.py` (run any number). Builds the app once; starts RQ's scheduler and a sweeper.

RQ's scheduler moves jobs enqueued for later (offer timeouts, escalation steps, retries) onto the queue
when they fall due; with several workers, one holds the scheduler lock at a time. It runs in a process of its own,
forked before any thread or connection exists (RQ's own forks from the worker, which by then runs job threads: a
child forked while another thread holds a lock can hang for good). The sweeper, a process of its own too, finds
whatever a lost job left behind (dispatch/runtime/sweep.py) and does not depend on that lock.
With SMS_BACKEND=gammu one more process reads the modem's inbox and reports (hotline/gateways/gammu_inbox.py).
"""
import logging
import multiprocessing
import os
import signal
import threading
import time

import redis
from rq import SimpleWorker
from rq.scheduler import RQScheduler

from dispatch.runtime import jobs
from dispatch.runtime.queue import QUEUE_NAMES
from dispatch.runtime.sweep import sweep_forever
from hotline import create_app_or_exit
from hotline.embedded import ThreadWorker

log = logging.getLogger(__name__)
RESTART_SECONDS = 2
# Jobs mostly wait (on the provider's answer, on PostgreSQL): several in one process overlap those waits, so a
# provider answering in 300 ms does not serialize a storm. Each is claimed in the database as before. Eight: at 20
# texts a second each offer's batch waits about 300 ms on the provider, six threads' worth across two workers;
# with four each, dispatch jobs queued behind sends that were only waiting (bench/surge.py: first offer SMS p95
# 7.6 s with 4, 1.8 s with 8, on two cores).
DEFAULT_THREADS = 8


def job_threads() -> int:
    """WORKER_THREADS, checked: a typo stops the worker with a sentence, not a traceback."""
    raw = os.environ.get("WORKER_THREADS", str(DEFAULT_THREADS)).strip()
    if not raw.isdigit() or not 1 <= int(raw) <= 12:
        raise SystemExit(f"WORKER_THREADS must be a whole number from 1 to 12 (each holds a database connection), "
                         f"not {raw!r}")
    return int(raw)


def main() -> None:
    """Build the app, start the sweeper, and work the queue with RQ's scheduler; started before Redis is up, or
    after a Redis error, wait for it and start again (the database is the jobs' business: they retry)."""
    threads = job_threads()
    app = create_app_or_exit()
    jobs.bind_app(app)
    parent = os.getpid()
    # Started before this process opens any connection or thread, so they share none of them.
    multiprocessing.Process(target=_schedule, args=(parent,), name="hotline-scheduler", daemon=True).start()
    multiprocessing.Process(target=_sweep, args=(parent,), name="hotline-sweeper", daemon=True).start()
    if app.config["SMS_BACKEND"] == "gammu":  # the modem's inbox and delivery reports, read in a loop of their own
        multiprocessing.Process(target=_read_modem, args=(parent,), name="hotline-modem", daemon=True).start()
    connection = app.extensions["hotline.queue"].connection
    for n in range(threads - 1):  # helpers beside the main worker; it alone handles signals
        threading.Thread(target=_work_in_thread, args=(connection,), name=f"hotline-job-{n}", daemon=True).start()
    while True:
        try:
            # No fork per job: the app, its database pool and the twilio client stay bound; job timeouts still
            # work (SimpleWorker's death penalty is SIGALRM in this, the main, thread).
            worker = SimpleWorker(list(QUEUE_NAMES), connection=app.extensions["hotline.queue"].connection)
            log.info("worker %s listening on %s", worker.name, ", ".join(QUEUE_NAMES))
            # RQ's four lines a job (at INFO) cost a storm more than they tell; failures still log.
            worker.work(logging_level="WARNING")
            # SIGTERM or SIGINT: a deliberate stop (an idle worker stops at once without setting _stop_requested)
            if worker._stop_requested or worker._shutdown_requested_date is not None:
                return
            # RQ quits on an error it cannot handle, such as Redis going away: wait for Redis and carry on.
            log.warning("worker stopped on an error (is Redis reachable?); starting again in %ss", RESTART_SECONDS)
        except redis.RedisError as error:  # Redis not up yet (started before it), or gone between two jobs
            log.warning("Redis unreachable (%s); trying again in %ss", type(error).__name__, RESTART_SECONDS)
        time.sleep(RESTART_SECONDS)


def _work_in_thread(connection) -> None:
    """One more RQ worker in a thread (timeouts by timer); restarted after a Redis error. Killed with the
    process: a job cut short is committed or not, and the sweep finds what it left (as after SIGKILL)."""
    while True:
        try:
            ThreadWorker(list(QUEUE_NAMES), connection=connection).work(logging_level="WARNING")
        except Exception:  # Redis away, or anything else: wait and listen again
            log.warning("job thread stopped; starting again in %ss", RESTART_SECONDS, exc_info=True)
        time.sleep(RESTART_SECONDS)


def _schedule(parent: int) -> None:
    """Every second: hold (or take) the scheduler lock and move due jobs onto their queues. A lock left by a killed
    worker lapses within a minute (RQ's lock time) and the next worker's scheduler takes over at once."""
    app = create_app_or_exit()
    scheduler = RQScheduler(list(QUEUE_NAMES), connection=app.extensions["hotline.queue"].connection)

    def release(signum, frame):  # stopped on purpose: hand the lock over now, not in a minute
        release_held_locks(scheduler)
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, release)
    signal.signal(signal.SIGINT, release)
    while os.getppid() == parent:  # a worker killed outright takes its scheduler along
        try:
            scheduler.acquire_locks()
            if scheduler.acquired_locks:
                scheduler.heartbeat()
                scheduler.enqueue_scheduled_jobs()
        except redis.RedisError as error:  # Redis away: the jobs wait in their registry, nothing is lost
            log.warning("scheduler: Redis unreachable (%s); trying again", type(error).__name__)
        time.sleep(scheduler.interval)
    release_held_locks(scheduler)


def release_held_locks(scheduler: RQScheduler) -> None:
    """RQ's release_locks, when this scheduler holds any: with none it sends Redis a DEL of no keys, which
    Redis refuses (the scheduler of every worker but the lock holder logged that error as it stopped)."""
    if scheduler.acquired_locks:
        scheduler.release_locks()


def _sweep(parent: int) -> None:
    app = create_app_or_exit()
    sweep_forever(app, stop=lambda: os.getppid() != parent)  # a worker killed outright takes its sweeper along


def _read_modem(parent: int) -> None:
    from hotline.gateways.gammu_inbox import read_forever

    read_forever(create_app_or_exit(), stop=lambda: os.getppid() != parent)


if __name__ == "__main__":
    main()
