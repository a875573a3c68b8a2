"""What a change must cause outside the database (SMS, jobs), released only after its commit.

Functions in dispatch/ record here; the edge (a webhook or a job) commits, then calls `flush`.
A job that ran before its row was committed would find nothing (microblog #220): this prevents it.
If Redis is down at flush time nothing is lost: the rows are committed and the sweep re-enqueues them.
"""
import logging
from datetime import datetime

from sqlalchemy import inspect, select

from models import OutboundMessage, OutboundStatus

from . import delivery, texts

log = logging.getLogger(__name__)


def _pending(session) -> list:
    return session.info.setdefault("outbox", [])


def schedule(session, func: str, *args, job_id: str, at: datetime | None = None, network: bool = False,
             urgent: bool = False) -> None:
    """Enqueue a job once the current transaction has committed (`urgent`: ahead of other work)."""
    options = {"job_id": job_id, "at": at, "network": network}
    if urgent:
        options["urgent"] = True
    _pending(session).append((func, args, options))


def record_sms(session, *, key: str, to: str, template: str, language: str, now: datetime,
               request=None, offer=None, batch: str | None = None, new: bool = False, **slots) -> OutboundMessage:
    """Record an SMS to send (once per `key`) and schedule its sending after the commit."""
    return record_text(session, key=key, to=to, body=texts.render(template, language, **slots),
                       template=template, now=now, request=request, offer=offer, batch=batch, new=new)


def record_text(session, *, key: str, to: str, body: str, template: str, now: datetime,
                request=None, offer=None, batch: str | None = None, new: bool = False) -> OutboundMessage:
    """Record an already-rendered SMS to send (once per `key`) and schedule its sending after the commit;
    texts of one `batch` (an offer's, one a member) go out in one job that sends them side by side. `new`: the
    key names a row made in this very transaction (a new offer's id), so no text can have it yet and the
    look-up is skipped (the unique key still stands guard)."""
    existing = None if new else session.scalar(select(OutboundMessage).where(OutboundMessage.key == key))
    if existing is not None:
        return existing
    message = OutboundMessage(key=key, to_phone=to, body=body, template=template, request=request, offer=offer,
                              created_at=now)
    session.add(message)
    # An emergency's texts (offers, the secretary's, the herder's) are sent ahead of everything else.
    urgent = request is not None and request.is_emergency
    if batch is None:
        session.flush()  # its id names its job
        schedule(session, "dispatch.runtime.jobs.send_message", message.id, job_id=f"send-{message.id}",
                 network=True, urgent=urgent)
    else:
        # Its id is read once the transaction has committed (`take`): a batch's texts are inserted together
        # by the commit's one flush, not one flush each.
        _batch(session, batch, urgent).append(message)
    return message


def _batch(session, name: str, urgent: bool) -> list:
    """The messages of the batch's one job, scheduled with its first message; later ones join the same list
    (`take` turns it into their ids once the commit has given them)."""
    batches = session.info.setdefault("outbox_batches", {})
    if name not in batches:
        batches[name] = []
        schedule(session, "dispatch.runtime.jobs.send_messages", batches[name], job_id=f"send-{name}",
                 network=True, urgent=urgent)
    return batches[name]


def record_reply(session, *, key: str, to: str, body: str, template: str, now: datetime, settings,
                 request=None) -> OutboundMessage:
    """Record the webhook's own answer, which the provider sends from its response (Twilio's TwiML), so every
    conversation is complete. It keeps the repeat rule as every SMS does: a third identical text in 24 hours
    is varied, or held (status `blocked`: the caller then gets no answer). A provider without inline answers
    (a modem) has its answers sent with `record_text`."""
    message = OutboundMessage(
        key=key, to_phone=to, body=body, template=template, request=request, created_at=now,
        status=OutboundStatus.replied, sent_at=now,
    )
    delivery.admit_reply(session, message, now, settings)  # adds it to the session
    return message


def flush(session, queue) -> None:
    """Enqueue what the committed transaction scheduled; a Redis failure is logged, the sweep recovers it."""
    release(take(session), queue)


def take(session) -> list:
    """Remove and return what the committed transaction scheduled, to release later (a batch's messages as
    their ids: the identity the commit gave them, read without loading the expired rows again)."""
    batches = {id(messages) for messages in session.info.get("outbox_batches", {}).values()}
    pending, session.info["outbox"], session.info["outbox_batches"] = _pending(session), [], {}
    return [(func, tuple([inspect(m).identity[0] for m in arg] if id(arg) in batches else arg for arg in args),
             options) for func, args, options in pending]


def release(pending: list, queue) -> None:
    """Enqueue jobs taken from a committed transaction; a Redis failure is logged, the sweep recovers it."""
    for func, args, options in pending:
        try:
            queue.enqueue(func, *args, **options)
        except Exception:  # any Redis or connection error: the database already holds the truth
            log.warning("could not enqueue %s%s; the sweep will pick it up", func, args, exc_info=True)


def discard(session) -> None:
    """Forget what a rolled-back transaction scheduled."""
    session.info["outbox"], session.info["outbox_batches"] = [], {}
