"""Every inbound SMS: stored first, then read once (reader.py: a member's reply, a leader's command, a share,
a herder's need…), then answered within the repeat rule."""
import functools
import logging
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from models import InboundMessage, OutboundStatus

from ..messaging import outbox
from ..messaging.phones import caller_id
from . import reader

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InboundSms:
    """One inbound SMS as a plain value: the provider's MessageSid, the sender as given, the text, the whole form."""

    sid: str
    from_raw: str
    to: str
    body: str
    form: dict = field(default_factory=dict)


def receive_sms(session, sms: InboundSms, now, settings, late: bool = False) -> str:
    """Store the message and act on it; return the answer. The same MessageSid twice gets the same answer.

    `late`: the message waited on disk while the database was down, and the webhook has long answered, or
    the provider cannot answer in its response (a modem); the answer goes out as an ordinary SMS instead.
    """
    inbound = InboundMessage(provider_sid=sms.sid, from_phone=caller_id(sms.from_raw, settings["DEFAULT_REGION"]),
                             to_phone=sms.to, body=sms.body, received_at=now, form=sms.form)
    session.add(inbound)
    try:
        session.flush()  # stored before anything else happens
    except IntegrityError:
        # Its MessageSid is stored already (a provider's retry; the unique index waited for the first copy's
        # commit): nothing of this transaction was written yet, so it is let go, and the first answer stands.
        # Asking first instead would cost every text a look-up that is nearly always empty.
        log.info("an SMS's MessageSid is stored already; answering as the first time", exc_info=True)
        session.rollback()
        outbox.discard(session)
        return session.scalar(_by_sid(), {"sid": sms.sid}).reply
    _send_answer(session, inbound, reader.read(session, inbound, now, settings), now, settings, late)
    return inbound.reply


@functools.cache
def _by_sid():
    """Built once (building a statement costs more than running this one)."""
    return select(InboundMessage).where(InboundMessage.provider_sid == bindparam("sid"))


def retry_unhandled(session, inbound_id: int, settings) -> str | None:
    """Act on a message that was stored raw because handling it failed; its answer goes out as an SMS."""
    inbound = session.get(InboundMessage, inbound_id, with_for_update=True)
    if inbound is None or inbound.sender_kind != "unhandled":
        return None
    inbound.from_phone = caller_id(inbound.from_phone, settings["DEFAULT_REGION"])
    answer = reader.read(session, inbound, inbound.received_at, settings)
    _send_answer(session, inbound, answer, inbound.received_at, settings, late=True)
    return answer


def _send_answer(session, inbound: InboundMessage, answer: str, now, settings, late: bool) -> None:
    """Record the answer: in the webhook's response, or (`late`) as an SMS of its own. Either way the repeat
    rule holds: one answer per new text, never the same text a third time to one phone in 24 hours."""
    if not answer:
        return
    key = f"reply-{inbound.id}"
    if late:
        inbound.reply = answer
        outbox.record_text(session, key=key, to=inbound.from_phone, body=answer, template="reply", now=now,
                           request=inbound.request)
        return
    message = outbox.record_reply(session, key=key, to=inbound.from_phone, body=answer, template="reply", now=now,
                                  settings=settings, request=inbound.request)
    inbound.reply = message.body if message.status == OutboundStatus.replied else ""
