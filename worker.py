"""The RQ worker: `python worker.py` (run any number). Builds the app once; starts RQ's scheduler too.

The scheduler moves jobs enqueued for later (offer timeouts, escalation steps, the sweep) onto the
queue when they fall due; with several workers, one holds the scheduler lock at a time.
"""
import logging

from rq import Worker

from dispatch import jobs
from dispatch.queue import QUEUE_NAME
from hotline import create_app_or_exit
from models import db


def main() -> None:
    app = create_app_or_exit()
    jobs.bind_app(app)
    queue = app.extensions["hotline.queue"]
    # At every start, pick up whatever a killed worker or a Redis outage left behind.
    with app.app_context():
        jobs.sweep()
        # The worker forks a child per job: it must not inherit the connections the sweep opened.
        db.engine.dispose()
    worker = Worker([QUEUE_NAME], connection=queue.connection)
    logging.getLogger(__name__).info("worker %s listening on %s", worker.name, QUEUE_NAME)
    worker.work(with_scheduler=True)


if __name__ == "__main__":
    main()
