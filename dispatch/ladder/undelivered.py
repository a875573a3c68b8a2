"""What an SMS that will not arrive means for the ladder: ring the member or leader it could not reach, and move
the offer on when nobody in the team can have seen it. Messaging reports the failure; this decides what it means."""
from sqlalchemy import select
from sqlalchemy.orm import object_session

from models import FINAL_FAILURES, OfferStatus, OutboundMessage

from ..messaging import delivery
from . import leader_calls, member_calls, offers


def record_report(session, provider_sid: str, status: str, error_code, now, settings) -> OutboundMessage | None:
    """A delivery report from any provider (Twilio's status callback, the modem's sentitems): kept in the
    message's one status history, and a failure acted on. Safe to call again with the same report."""
    message = delivery.record_provider_status(session, provider_sid, status, error_code, now)
    after_failure(session, message, now, settings)
    return message


def after_failure(session, message: OutboundMessage | None, now, settings) -> None:
    """What an SMS that will not arrive (failed, undelivered, over budget) means for its request: a leader or a
    member it could not reach gets a call that reads it, and a team none of whose members could be reached has, in
    effect, declined, so the next team is offered now rather than after the timeout. Safe to call again."""
    if message is None or message.status not in FINAL_FAILURES:
        return
    leader_calls.call_unreached_leader(session, message, now, settings)  # an escalation: ring the leader
    member_calls.call_unreached_member(session, message, now, settings)
    if offer_unreachable(message):
        offers.expire_offer(session, message.offer_id, now, settings, why="短信无法送达")


def offer_unreachable(message: OutboundMessage | None) -> bool:
    """True when every SMS of an open offer has failed: nobody in that team can have seen it."""
    if message is None or message.offer is None or message.offer.status != OfferStatus.open:
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
