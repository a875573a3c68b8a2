"""RQ jobs. Each takes ids, reloads, re-checks, acts, commits once, then releases its outbox.

Every job is safe to run twice: ids are deterministic and each step checks the state it expects.
"""
import functools
from concurrent.futures import ThreadPoolExecutor
from datetime import date
import logging
import os
import threading

from flask import current_app, has_app_context
from sqlalchemy import select

from models import Call, CallKind, OutboundMessage, db

from ..conversation import inbound
from ..ladder import escalation, member_calls, offers, undelivered
from ..messaging import delivery
from ..messaging.gateway import SendError
from ..register import calls as checkin_calls, hotline as checkin_hotline
from . import daily
from .unit_of_work import run_and_commit

log = logging.getLogger(__name__)
_app = None
# At most this many texts of one batch on the wire at once, from one pool of SENDERS threads per process: each
# holds a database connection while it claims and records, and with a thread pool per job the connections
# beyond SQLAlchemy's pool were opened and closed again for every batch of a storm.
BATCH_SENDS = 4
SENDERS = 8
_senders = None
_senders_lock = threading.Lock()


def _sender_pool() -> ThreadPoolExecutor:
    global _senders
    with _senders_lock:
        if _senders is None:
            _senders = ThreadPoolExecutor(max_workers=SENDERS, thread_name_prefix="hotline-send")
        return _senders


def bind_app(app) -> None:
    """Tell jobs which app to run in (worker.py builds it once)."""
    global _app
    _app = app


def in_app(job):
    """Run the job inside an app context and remove the session after it (rq#538, Flask-RQ2#50)."""

    @functools.wraps(job)
    def run(*args):
        if has_app_context():
            return job(*args)
        if _app is None:  # the entry point (worker.py, the embedded worker) binds the app it built
            raise RuntimeError("no app bound for jobs: call dispatch.runtime.jobs.bind_app(app) first")
        with _app.app_context():
            _forget_parent_connections()
            try:
                return job(*args)
            finally:
                db.session.remove()

    return run


_pid = None


def _forget_parent_connections() -> None:
    """In a freshly forked work horse, never touch the parent's pooled connections (SQLAlchemy's advice)."""
    global _pid
    if _pid != os.getpid():
        db.engine.dispose(close=False)
        _pid = os.getpid()


@in_app
def dispatch_request(request_id: int):
    """Offer a new request to the best team (or escalate it)."""
    run_and_commit(lambda s, now: offers.offer_to_next_team(s, request_id, now, current_app.config))


@in_app
def expire_offer(offer_id: int):
    """The offer's time is up: move the request on, unless someone accepted meanwhile."""
    run_and_commit(lambda s, now: offers.expire_offer(s, offer_id, now, current_app.config))


@in_app
def escalate_further(request_id: int, level: int):
    """Tell the next level of leaders about a request still held by nobody."""
    def act(session, now):
        request = offers.lock_request(session, request_id)
        if request is not None:
            escalation.escalate_further(session, request, level, now, current_app.config)

    run_and_commit(act)


@in_app
def retry_inbound(inbound_id: int):
    """Handle again an SMS whose first handling failed (it was stored raw, so it was not lost)."""
    run_and_commit(lambda s, now: inbound.retry_unhandled(s, inbound_id, current_app.config))


@in_app
def send_message(message_id: int):
    """Send one recorded SMS; a temporary failure raises so RQ retries it with backoff."""
    return _send_one(message_id)


@in_app
def send_messages(message_ids: list[int]):
    """Send a batch of recorded SMS (an offer's, one a member) side by side, so their waits on the provider
    overlap; each is claimed on its own (pending, sending, sent), so a retry or the sweep never doubles one.
    A temporary failure of any raises once all are done, and RQ retries the batch: the sent ones are skipped."""
    app = current_app._get_current_object()

    def one(message_id):
        with app.app_context():
            try:
                return _send_one(message_id)
            except SendError as error:
                return error
            finally:
                db.session.remove()

    outcomes = []
    for start in range(0, len(message_ids), BATCH_SENDS):
        outcomes += _sender_pool().map(one, message_ids[start:start + BATCH_SENDS])
    for outcome in outcomes:
        if isinstance(outcome, SendError):
            raise outcome
    return outcomes


def _send_one(message_id: int):
    config = current_app.config
    gateway = current_app.extensions["hotline.sms_gateway"]
    claim = run_and_commit(lambda s, now: delivery.claim(s, message_id, now, config))
    if claim is None:  # nothing to send; but a budget block may have left a team unreachable
        run_and_commit(lambda s, now: undelivered.after_failure(s, s.get(OutboundMessage, message_id), now, config))
        return "skip"
    if claim.in_doubt_since is not None:
        found = gateway.find_sent(claim.to, claim.body, claim.in_doubt_since)
        if found is not None:  # the earlier attempt did land: do not send it twice
            run_and_commit(lambda s, now: delivery.record_sent(s, message_id, found.provider_sid, now, found=True))
            return "found"
    try:
        sent = gateway.send(claim.to, claim.body)
    except SendError as error:
        log.warning("sending message %s failed: %s (code %s)", message_id, error, error.code)

        def fail(session, now, error=error):  # bound now: the except clause unbinds `error` when it ends
            outcome = delivery.record_failure(session, message_id, error, now)
            undelivered.after_failure(session, session.get(OutboundMessage, message_id), now, config)
            return outcome

        if run_and_commit(fail) == "retry":
            raise
        return "failed"

    def sent_ok(session, now):
        delivery.record_sent(session, message_id, sent.provider_sid, now)
        # An "undelivered" report may have come before we knew the id.
        undelivered.after_failure(session, session.get(OutboundMessage, message_id), now, config)

    run_and_commit(sent_ok)
    return "sent"


@in_app
def call_offer_members(offer_id: int):
    """Half the offer's time has passed and nobody has answered: ring the team's members to read it."""
    config = current_app.config
    run_and_commit(lambda s, now: member_calls.call_members(s, offer_id, now, config, only_open=True))


@in_app
def place_call(call_id: int):
    """Ring one recorded call through the gateway (a member's offer, a leader's escalation, a household's
    check-in: each kind's own rules); a temporary failure raises so RQ retries it with backoff."""
    config = current_app.config
    gateway = current_app.extensions["hotline.sms_gateway"]

    def place(session, now):
        kind = session.scalar(select(Call.kind).where(Call.id == call_id))
        placer = checkin_calls.place_call if kind == CallKind.checkin else member_calls.place_call
        return placer(session, call_id, gateway, now, config)

    return run_and_commit(place)


@in_app
def run_daily(name: str, day: str):
    """A daily task (runtime/daily.py) for one local day; it runs once, however often it is enqueued."""
    config = current_app.config
    return run_and_commit(lambda s, now: daily.run(s, name, date.fromisoformat(day), now, config))


@in_app
def checkin_again(checkin_id: int):
    """A check-in got no answer in time: try once more, or ask the paired contact to visit."""
    config = current_app.config
    return run_and_commit(lambda s, now: checkin_hotline.try_again(s, checkin_id, now, config))
