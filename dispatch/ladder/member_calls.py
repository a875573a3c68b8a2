"""Calling duty members to read an offer aloud: when their offer SMS did not arrive, or when nobody has
answered by half the offer's time. `1` accepts and `2` declines, by the same rules as an SMS reply.
Where the provider has no voice (VOICE_CALLS off: a modem), reminders.py texts them instead."""
from sqlalchemy import select

from models import Call, CallKind, CallStep, Event, Offer, OfferStatus, OutboundMessage

from ..messaging import outbox
from ..messaging.gateway import SendError
from ..messaging.keypad import Next, again
from . import declines, leader_calls, offers, reminders

CALLABLE_OFFERS = (OfferStatus.open, OfferStatus.expired)  # a late "yes" to an expired offer still wins


def after_offer(keys: str, attempt: int) -> Next:
    """A duty member hearing an offer: `1` accepts, `2` declines; three misses and the call ends."""
    if keys == "1":
        return Next("accept")
    if keys == "2":
        return Next("decline")
    return again("offer", attempt, keys) or Next("goodbye")


def callable_offer(offer: Offer | None) -> bool:
    """Whether the offer may still be taken, so that ringing a member about it makes sense."""
    return offer is not None and offer.status in CALLABLE_OFFERS and offer.request.status in offers.LADDER_STATUSES


def call_members(session, offer_id: int, now, settings, phones=None, only_open: bool = False) -> list[Call]:
    """Record one call to each member of the offer's team (or those whose phone is in `phones`) and schedule
    placing it after the commit. A member is called at most once per offer."""
    offer = session.get(Offer, offer_id)
    if not callable_offer(offer) or (only_open and offer.status != OfferStatus.open):
        return []
    if not settings.get("VOICE_CALLS", True):  # the provider cannot ring (a modem): SMS again, and the lead
        reminders.remind_by_sms(session, offer, now, phones)
        return []
    calls = []
    for member in declines.still_asked(session, offer):
        if phones is not None and member.phone not in phones:
            continue
        key = f"offer-{offer.id}-call-{member.id}"
        if session.scalar(select(Call.id).where(Call.key == key)) is not None:
            continue
        call = Call(kind=CallKind.offer, key=key, from_phone=settings["TWILIO_FROM_NUMBER"] or "",
                    to_phone=member.phone,
                    offer=offer, member=member, request_id=offer.request_id, language=member.language,
                    step=CallStep.pending, started_at=now)
        session.add(call)
        session.flush()
        Event.record(session, offer.request, "member_called", now, detail=f"电话通知{member.name}（{member.phone}）")
        outbox.schedule(session, "dispatch.runtime.jobs.place_call", call.id, job_id=f"place-call-{call.id}", network=True,
                        urgent=offer.request.is_emergency)
        calls.append(call)
    return calls


def call_unreached_member(session, message: OutboundMessage, now, settings) -> list[Call]:
    """An offer SMS that did not arrive: ring that member at once."""
    if message is None or message.offer_id is None or not message.key.startswith(f"offer-{message.offer_id}-"):
        return []
    if message.key.startswith(f"offer-{message.offer_id}-taken-"):
        return []
    return call_members(session, message.offer_id, now, settings, phones={message.to_phone})


def place_call(session, call_id: int, gateway, now, settings) -> str:
    """Ring one recorded call (to a member, or to a leader) through the gateway; 'placed', 'stale', 'failed'
    or 'skip'. A temporary failure raises SendError so the job is retried."""
    call = session.get(Call, call_id, with_for_update=True)
    if call is None or call.step != CallStep.pending:
        return "skip"
    to_leader = call.kind == CallKind.leader
    if not (leader_calls.still_wanted(call) if to_leader else callable_offer(call.offer)):
        call.step, call.error = CallStep.done, "求助已有人处理" if to_leader else "派单已不需要接"
        return "stale"
    try:
        placed = (gateway.read_escalation if to_leader else gateway.read_offer)(call.to_phone, call.id)
    except SendError as error:
        if not error.permanent:
            raise
        call.step = CallStep.failed
        if to_leader:  # a leader who cannot be rung either: the next one is told
            leader_calls.pass_over(session, call, now, settings, f"电话无法接通（{error.code}）")
        else:
            call.error = str(error)[:200]
        return "failed"
    call.call_sid, call.step = placed.provider_sid, CallStep.placed
    return "placed"


def answer_offer_call(session, call_id: int, sid: str | None) -> tuple[Call | None, str]:
    """The member picked up: (call, 'read') when the offer can still be taken, else 'taken', 'stale' or 'unknown'."""
    call = Call.picked_up(session, call_id, CallKind.offer, sid)
    if call is None:
        return None, "unknown"
    offer = call.offer
    if callable_offer(offer):
        return call, "read"
    return call, "taken" if offer.request.holder_team_id else "stale"


def press_offer_key(session, call: Call, keys: str, attempt: int, now, settings) -> tuple[Next, str | None]:
    """`1` accepts, `2` declines; returns what comes next and the outcome ('accepted', 'taken', 'declined',
    'stale'), the same outcome again when the same key is posted twice."""
    call.press(keys)
    decision = after_offer(keys, attempt)
    offer, member = call.offer, call.member
    if decision.step not in ("accept", "decline"):
        if decision.step == "goodbye":
            call.step = CallStep.done
        return decision, None
    call.step = CallStep.done
    mine = offer.decided_by_id == member.id
    if decision.step == "accept":
        if offer.status == OfferStatus.accepted and mine:
            return decision, "accepted"
        outcome = offers.accept_offer(session, offer.id, member, now)
        if outcome == "accepted":
            Event.record(session, offer.request, "call_answer", now, actor=member.actor_name,
                          detail="电话中按1接单")
            outbox.record_sms(session, key=f"call-accepted-{offer.id}-{member.id}", to=member.phone,
                              template="accept_ok", language=member.text_language, now=now, request=offer.request,
                              ref=offer.request.ref, phone=offer.request.caller_phone)
        return decision, outcome
    if offer.status == OfferStatus.declined and mine:
        return decision, "declined"
    outcome = offers.decline_offer(session, offer.id, member, "电话中按2拒绝", now, settings)
    return decision, "declined" if outcome == "withdrawn" else outcome  # the caller hears "declined" either way
