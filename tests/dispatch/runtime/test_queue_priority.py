"""An emergency's jobs go first, then what goes out (texts, calls), then the rest: workers take the urgent
queue, then the sending one, then the ordinary one, on real Redis."""
from rq import SimpleWorker

from dispatch.messaging import outbox
from dispatch.runtime.queue import QUEUE_NAMES
from models import db

ORDER_KEY = "test:job-order"


def note(name: str):
    """The test job: append its name to a Redis list, so the order jobs ran in can be read back."""
    from rq import get_current_job

    get_current_job().connection.rpush(ORDER_KEY, name)


def test_urgent_jobs_then_sends_run_before_earlier_ordinary_ones(ctx, app):
    queue = app.extensions["hotline.queue"]
    for name in ("ordinary-1", "ordinary-2"):
        outbox.schedule(db.session, "tests.dispatch.runtime.test_queue_priority.note", name, job_id=name)
    # In a storm: an offer's texts, scheduled after requests still waiting to be ranked, go out before them.
    outbox.schedule(db.session, "tests.dispatch.runtime.test_queue_priority.note", "send", job_id="send",
                    network=True)
    outbox.schedule(db.session, "tests.dispatch.runtime.test_queue_priority.note", "emergency", job_id="emergency",
                    urgent=True)
    outbox.flush(db.session, queue)
    SimpleWorker(list(QUEUE_NAMES), connection=queue.connection).work(burst=True)
    assert [n.decode() for n in queue.connection.lrange(ORDER_KEY, 0, -1)] == [
        "emergency", "send", "ordinary-1", "ordinary-2"]
