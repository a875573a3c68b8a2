"""Sending recorded SMS through the gateway, and what the provider later says about them."""
import logging
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import object_session

from models import FINAL_FAILURES, MessageStatusEvent, OfferStatus, OutboundMessage, OutboundStatus

from .phones import mask
from .sms import SendError

log = logging.getLogger(__name__)

# Provider statuses in the order a message passes through them; a late callback never moves a message back.
PROGRESS = {"queued": 1, "accepted": 1, "sending": 2, "sent": 3, "receiving": 3, "received": 4,
            "delivered": 4, "undelivered": 4, "failed": 4, "read": 5}
MAX_ATTEMPTS = 6


def send_recorded(session, message_id: int, gateway, now, settings, callback_url=None) -> str:
    """Hand a pending message to the gateway once; returns what happened ('sent', 'blocked', 'failed', 'skip')."""
    message = session.get(OutboundMessage, message_id, with_for_update=True)
    if message is None or message.status != OutboundStatus.pending:
        return "skip"  # already sent (a duplicate job) or never committed
    if _over_budget(session, message, now, settings["SMS_DAILY_BUDGET"]):
        log.warning("daily SMS budget reached for %s; message %s not sent", mask(message.to_phone), message.id)
        _set_status(session, message, OutboundStatus.blocked, now, "budget")
        return "blocked"
    message.attempts += 1
    try:
        sent = gateway.send(message.to_phone, message.body, callback_url)
    except SendError as error:
        if error.permanent or message.attempts >= MAX_ATTEMPTS:
            _set_status(session, message, OutboundStatus.failed, now, error.code)
            return "failed"
        session.add(MessageStatusEvent(message_id=message.id, at=now, status="retry", error_code=error.code))
        raise
    message.provider_sid, message.sent_at = sent.provider_sid, now
    _set_status(session, message, OutboundStatus.sent, now)
    return "sent"


def record_provider_status(session, provider_sid: str, status: str, error_code, now) -> OutboundMessage | None:
    """Keep one status callback in the message's history; move its status forward only."""
    message = session.scalar(select(OutboundMessage).where(OutboundMessage.provider_sid == provider_sid))
    if message is None:
        return None
    if any(h.status == status and h.error_code == error_code for h in message.history):
        return message  # the same callback delivered twice
    message.history.append(MessageStatusEvent(at=now, status=status, error_code=error_code))
    current = PROGRESS.get(str(message.status), 3)
    if status in ("delivered", "undelivered", "failed") and PROGRESS[status] >= current:
        message.status = OutboundStatus(status)
        message.error_code = error_code or message.error_code
    return message


def offer_unreachable(message: OutboundMessage) -> bool:
    """True when every SMS of an open offer has failed: nobody in that team can have seen it."""
    offer = message.offer
    if offer is None or offer.status != OfferStatus.open:
        return False
    texts = _offer_texts(message)
    return bool(texts) and all(m.status in FINAL_FAILURES for m in texts)


def _offer_texts(message) -> list[OutboundMessage]:
    """The offer SMS of the message's offer, one per member (not the "someone took it" notes)."""
    session = object_session(message)
    return list(session.scalars(select(OutboundMessage).where(
        OutboundMessage.offer_id == message.offer_id, OutboundMessage.key.like(f"offer-{message.offer_id}-%"),
        OutboundMessage.key.not_like(f"offer-{message.offer_id}-taken-%"),
    )))


def _over_budget(session, message, now, budget: int) -> bool:
    sent_today = session.scalar(select(func.count()).select_from(OutboundMessage).where(
        OutboundMessage.to_phone == message.to_phone,
        OutboundMessage.status.in_((OutboundStatus.sent, OutboundStatus.delivered)),
        OutboundMessage.sent_at >= now - timedelta(hours=24),
    ))
    return sent_today >= budget


def _set_status(session, message, status, now, code=None):
    message.status, message.error_code = status, code or message.error_code
    session.add(MessageStatusEvent(message_id=message.id, at=now, status=str(status), error_code=code))
