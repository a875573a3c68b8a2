"""Every inbound SMS: stored first, then read as a member's reply, a leader's command or a herder's need."""
from dataclasses import dataclass, field

from sqlalchemy import select

from models import InboundMessage, Leader, Member

from . import intake, outbox, parse, replies
from .phones import caller_id


@dataclass(frozen=True)
class InboundSms:
    sid: str
    from_raw: str
    to: str
    body: str
    form: dict = field(default_factory=dict)


def receive_sms(session, sms: InboundSms, now, settings) -> str:
    """Store the message and act on it; return the answer. The same MessageSid twice gets the same answer."""
    seen = session.scalar(select(InboundMessage).where(InboundMessage.provider_sid == sms.sid))
    if seen is not None:
        return seen.reply
    inbound = InboundMessage(provider_sid=sms.sid, from_phone=caller_id(sms.from_raw, settings["DEFAULT_REGION"]),
                             to_phone=sms.to, body=sms.body, received_at=now, form=sms.form)
    session.add(inbound)
    session.flush()
    inbound.reply = _answer(session, inbound, now, settings)
    outbox.record_reply(session, key=f"reply-{inbound.id}", to=inbound.from_phone, body=inbound.reply,
                        template="reply", now=now, request=inbound.request)
    return inbound.reply


def _answer(session, inbound: InboundMessage, now, settings) -> str:
    member = session.scalar(select(Member).where(Member.phone == inbound.from_phone))
    if member is not None:
        reply = parse.read_member_reply(inbound.body)
        if reply is not None:
            inbound.sender_kind = "member"
            return replies.answer_member(session, member, reply, now, settings, inbound)
    leader = session.scalar(select(Leader).where(Leader.phone == inbound.from_phone))
    if leader is not None and parse.is_open_calls_command(inbound.body):
        inbound.sender_kind = "leader"
        return replies.open_calls_text(session, leader, now)
    inbound.sender_kind = "herder"
    return intake.receive_herder_text(session, inbound, now)
