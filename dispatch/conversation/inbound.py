"""Every inbound SMS: stored first, then read as a member's reply, a leader's command or a herder's need."""
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from models import OPEN_STATUSES, InboundMessage, Leader, Member, OutboundMessage

from ..messaging import outbox
from ..messaging.phones import caller_id
from ..sharing import texting as sharing_texting  # w14 hook (see _answer)
from . import herder, leader_commands, member_replies, parse


QUIET = timedelta(minutes=10)


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
    seen = session.scalar(select(InboundMessage).where(InboundMessage.provider_sid == sms.sid))
    if seen is not None:
        return seen.reply
    inbound = InboundMessage(provider_sid=sms.sid, from_phone=caller_id(sms.from_raw, settings["DEFAULT_REGION"]),
                             to_phone=sms.to, body=sms.body, received_at=now, form=sms.form)
    session.add(inbound)
    session.flush()
    answer = _answer(session, inbound, now, settings)
    if answer and not _answered_lately(session, inbound, answer, now):
        inbound.reply = answer
        record = outbox.record_text if late else outbox.record_reply
        record(session, key=f"reply-{inbound.id}", to=inbound.from_phone, body=answer, template="reply", now=now,
               request=inbound.request)
    return inbound.reply


def retry_unhandled(session, inbound_id: int, settings) -> str | None:
    """Act on a message that was stored raw because handling it failed; its answer goes out as an SMS."""
    inbound = session.get(InboundMessage, inbound_id, with_for_update=True)
    if inbound is None or inbound.sender_kind != "unhandled":
        return None
    inbound.from_phone = caller_id(inbound.from_phone, settings["DEFAULT_REGION"])
    answer = _answer(session, inbound, inbound.received_at, settings)
    if answer:
        inbound.reply = answer
        outbox.record_text(session, key=f"reply-{inbound.id}", to=inbound.from_phone, body=answer,
                           template="reply", now=inbound.received_at, request=inbound.request)
    return answer


def _answered_lately(session, inbound: InboundMessage, answer: str, now) -> bool:
    """A herder's flood gets one answer: no second reply about the same request within QUIET, and never the
    same text twice within QUIET (carriers also reject repeated identical texts). Members and leaders, who
    act on what they are told, always get their answer."""
    if inbound.sender_kind != "herder":
        return False
    if getattr(inbound, "opened_request", False):
        return False  # this very text opened the request: its reference is news (and two queries fewer per text)
    recent = select(OutboundMessage.id).where(
        OutboundMessage.to_phone == inbound.from_phone, OutboundMessage.template == "reply",
        OutboundMessage.created_at >= now - QUIET,
    ).limit(1)
    if session.scalar(recent.where(OutboundMessage.body == answer)) is not None:
        return True
    if inbound.request is not None and inbound.request.status in OPEN_STATUSES:
        return session.scalar(recent.where(OutboundMessage.request_id == inbound.request.id)) is not None
    return False


def _answer(session, inbound: InboundMessage, now, settings) -> str:
    member = session.scalar(select(Member).where(Member.phone == inbound.from_phone))
    if member is not None:
        reply = parse.read_member_reply(inbound.body)
        if reply is not None:
            inbound.sender_kind = "member"
            return member_replies.answer_member(session, member, reply, now, settings, inbound)
    leader = session.scalar(select(Leader).where(Leader.phone == inbound.from_phone))
    if leader is not None and parse.is_open_calls_command(inbound.body):
        inbound.sender_kind = "leader"
        return leader_commands.open_calls_text(session, leader, now)
    # >>> w14 hook: a neighbour-sharing text (有/需 …) or a price report (涨价/假药 …) is read by dispatch/sharing
    # before it could become a herder's request; an emergency (category 9) stays on the herder's path.
    read = parse.read_herder_message(inbound.body)
    shared = None if read and read.category == 9 else sharing_texting.answer_text(session, inbound, now, settings)
    if shared is not None:
        return shared
    # <<< w14 hook
    inbound.sender_kind = "herder"
    return herder.receive_herder_text(session, inbound, now)
