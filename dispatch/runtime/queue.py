"""The job queue: RQ on real Redis, or on an in-process stand-in when no REDIS_URL is set."""
import logging
from datetime import datetime, timezone

import redis
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry

log = logging.getLogger(__name__)

QUEUE_NAME = "hotline"
# Emergencies' jobs: workers take from this queue first (RQ dequeues in the order its queues are listed).
URGENT_QUEUE_NAME = "hotline-urgent"
# What goes out (texts, calls): ahead of ordinary work, or in a storm every offer made waits behind every
# request still to be ranked (a run of bench/surge.py once ended with 6,438 offer texts queued that way).
SEND_QUEUE_NAME = "hotline-send"
QUEUE_NAMES = (URGENT_QUEUE_NAME, SEND_QUEUE_NAME, QUEUE_NAME)
# A job that fails on the database (a restart, a lost connection) is tried again soon; the sweep is the backstop.
DATABASE_RETRY_DELAYS = (2, 10, 30)


def connect(url: str | None):
    """A Redis connection for `url`, or the embedded stand-in (fakeredis) shared by the whole process."""
    if url:
        # Short timeouts: a webhook must answer even when Redis is down.
        return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5)
    import fakeredis

    return fakeredis.FakeRedis(server=_embedded_server())


_SERVER = None


def _embedded_server():
    global _SERVER
    if _SERVER is None:
        import fakeredis

        _SERVER = fakeredis.FakeServer()
    return _SERVER


class JobQueue:
    """Puts named jobs on the fixed queues (urgent, sending, ordinary), now or at a time, under deterministic
    ids."""

    def __init__(self, connection, network_retry_delays=(10, 30, 120)):
        self.connection = connection
        self.queue = Queue(QUEUE_NAME, connection=connection)
        self.urgent_queue = Queue(URGENT_QUEUE_NAME, connection=connection)
        self.send_queue = Queue(SEND_QUEUE_NAME, connection=connection)
        # Network work (sending SMS) is retried with backoff: by default 10 s, then 30 s, then 2 minutes.
        self.network_retry = Retry(max=len(network_retry_delays), interval=list(network_retry_delays))
        self.database_retry = Retry(max=len(DATABASE_RETRY_DELAYS), interval=list(DATABASE_RETRY_DELAYS))

    def enqueue(self, func: str, *args, job_id: str, at: datetime | None = None, network: bool = False,
                urgent: bool = False):
        """Enqueue `func` (a dotted path) with `args`; at a future time when `at` is given; `urgent` jobs (an
        emergency's) go on the queue workers take from first, `network` ones (sending) on the next."""
        options = {"job_id": job_id, "retry": self.network_retry if network else self.database_retry}
        queue = self.urgent_queue if urgent else self.send_queue if network else self.queue
        if at is not None:
            return queue.enqueue_at(at, func, *args, **options)
        return queue.enqueue(func, *args, **options)

    def enqueue_unless_waiting(self, func: str, *args, job_id: str, stale_after: float, network: bool = False):
        """Enqueue unless a job with this id is already on its way: queued, or started or due less than
        `stale_after` seconds ago (older ones belong to a worker that died, or wait on a scheduler lock a
        killed worker still holds). The sweep uses this, so slow work is not buried under copies of itself."""
        try:
            job = Job.fetch(job_id, connection=self.connection)
        except NoSuchJobError:
            job = None
        if job is not None and self._on_its_way(job, stale_after):
            return None
        return self.enqueue(func, *args, job_id=job_id, network=network)

    def _on_its_way(self, job, stale_after: float) -> bool:
        status = job.get_status(refresh=False)
        if status in (JobStatus.QUEUED, JobStatus.DEFERRED):
            return True
        if status == JobStatus.SCHEDULED:
            try:
                since = ScheduledJobRegistry(job.origin, connection=self.connection).get_scheduled_time(job)
            except NoSuchJobError:
                return False
        elif status == JobStatus.STARTED and job.started_at:
            since = job.started_at.replace(tzinfo=timezone.utc)
        else:
            return False
        return (datetime.now(timezone.utc) - since).total_seconds() < stale_after

    def ping(self) -> bool:
        """Whether Redis answers."""
        try:
            return bool(self.connection.ping())
        except redis.RedisError:
            return False
