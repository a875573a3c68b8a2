"""RQ jobs. Each takes ids, reloads, re-checks, acts, commits once, then releases its outbox.

Every job is safe to run twice: ids are deterministic and each step checks the state it expects.
"""
import functools
from concurrent.futures import ThreadPoolExecutor
from datetime import date
import logging
import os

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
    return send_batch([message_id])[0]


@in_app
def send_messages(message_ids: list[int]):
    """Send a batch of recorded SMS (an offer's, one a member); see `send_batch`."""
    return send_batch(message_ids)


def send_batch(message_ids: list[int]) -> list:
    """Claim every message of the batch in one transaction (pending, sending), send them side by side so their
    waits on the provider overlap, and record what the provider said in one more: two short transactions a
    batch, not two a text, and no row lock held while the provider answers. A worker killed in between
    leaves them `sending`, and the next attempt asks the provider before it sends again (never doubled).
    A temporary failure of any raises once all are recorded, and RQ retries the batch: the sent ones are
    skipped. Returns each message's outcome: sent, found (an earlier attempt had landed), failed or skip."""
    config = current_app.config
    app = current_app._get_current_object()

    def claim_all(session, now):
        claims = delivery.claim_many(session, message_ids, now, config)  # locked in id order: no deadlock
        for message_id, claim in claims.items():
            if claim is None:  # nothing to send; but a budget block may leave a team unreachable
                undelivered.after_failure(session, session.get(OutboundMessage, message_id), now, config)
        return claims

    claims = run_and_commit(claim_all)
    to_send = [(message_id, claim) for message_id, claim in claims.items() if claim is not None]

    def one(item):
        with app.app_context():  # a gateway may read the app's settings (the modem's, its database)
            try:
                return _hand_over(app.extensions["hotline.sms_gateway"], *item)
            finally:
                db.session.remove()

    # Every claimed text on the wire at once (a batch is one shift's members: a handful). None may wait for a
    # thread: a text claimed long before it is sent would look abandoned to the sweep, which might send it too.
    with ThreadPoolExecutor(max_workers=max(1, len(to_send)), thread_name_prefix="hotline-send") as senders:
        answers = dict(zip((message_id for message_id, _ in to_send), senders.map(one, to_send)))
    outcomes = run_and_commit(lambda s, now: _record(s, answers, now, config)) if answers else {}
    for message_id, outcome in outcomes.items():
        if outcome == "retry":
            raise answers[message_id]
    return [outcomes.get(message_id, "skip") for message_id in message_ids]


def _hand_over(gateway, message_id: int, claim):
    """One claimed text to the provider (network only): ("found" | "sent", provider id), or the SendError."""
    if claim.in_doubt_since is not None:
        found = gateway.find_sent(claim.to, claim.body, claim.in_doubt_since)
        if found is not None:  # the earlier attempt did land: do not send it twice
            return "found", found.provider_sid
    try:
        return "sent", gateway.send(claim.to, claim.body).provider_sid
    except SendError as error:
        log.warning("sending message %s failed: %s (code %s)", message_id, error, error.code)
        return error


def _record(session, answers: dict, now, config) -> dict[int, str]:
    """What the provider said about each message, kept; a failure also acted on (undelivered.py). Returns
    each one's outcome: sent, found, failed (for good) or retry."""
    outcomes = {message_id: delivery.record_failure(session, message_id, answer, now)
                for message_id, answer in answers.items() if isinstance(answer, SendError)}
    sent = [(message_id, *answer) for message_id, answer in answers.items() if not isinstance(answer, SendError)]
    if sent:
        delivery.record_sent_many(session, [(message_id, provider_sid, outcome == "found")
                                            for message_id, outcome, provider_sid in sent], now)
    outcomes.update((message_id, outcome) for message_id, outcome, _ in sent)
    for message_id in answers:
        # A failure, or an "undelivered" report that came before we knew the provider's id.
        undelivered.after_failure(session, session.get(OutboundMessage, message_id), now, config)
    return outcomes


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
