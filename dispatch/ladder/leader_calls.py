"""Escalations reach a person. A leader's escalation SMS that will not arrive (blocked by the day's budget,
undelivered, failed) becomes a call that reads it; `1` confirms that a person heard it. When nobody at the
leader's level was reached, by SMS or by call, the next level is told at once: the gacha secretary, the
township leader, and past them the admins, the last resort. Each step is an event: the timeline says who was
texted, whose SMS did not arrive, who was rung, who confirmed, and who could not be reached."""
from sqlalchemy import select

from models import (FINAL_FAILURES, Call, CallKind, CallStep, Event, Leader, LeaderRole, OutboundMessage,
                    OutboundStatus, RequestStatus)

from ..messaging import outbox
from ..messaging.keypad import Next, again
from . import escalation

LAST_RESORT = 3  # past the ladder's levels: the admins, when no gacha secretary or township leader was reached
LEVEL_OF = {LeaderRole.gacha_secretary: 1, LeaderRole.township_leader: 2, LeaderRole.admin: LAST_RESORT}
ROLE_AT = {level: role for role, level in LEVEL_OF.items()}
WHY = {OutboundStatus.blocked: "今日短信已达上限，未发出", OutboundStatus.undelivered: "短信未送达",
       OutboundStatus.failed: "短信发送失败"}
ON_ITS_WAY = (CallStep.pending, CallStep.placed, CallStep.reading)


def call_unreached_leader(session, message: OutboundMessage | None, now, settings) -> Call | None:
    """An escalation SMS that will not arrive: say so on the timeline and, while leaders still hold the
    request, ring that leader to read it. Once per SMS; safe to call again."""
    if message is None or message.template != "escalated_leader" or message.request is None:
        return None
    key = f"sms-{message.id}-call"
    leader = session.scalar(select(Leader).where(Leader.phone == message.to_phone))
    if leader is None or session.scalar(select(Call.id).where(Call.key == key)) is not None:
        return None
    request = message.request
    wanted = request.status == RequestStatus.escalated
    can_ring = settings.get("VOICE_CALLS", True)  # a modem has no voice line: the next leader is texted instead
    Event.record(session, request, "leader_unreached", now, detail=f"{leader.name}（{leader.phone}）"
                 f"{WHY.get(message.status, '短信未送达')}" + ("，改为电话通知" if wanted and can_ring else ""))
    # The row is also the once-per-SMS mark, so it is written when no call is placed.
    call = Call(kind=CallKind.leader, key=key, from_phone=settings["TWILIO_FROM_NUMBER"] or "", to_phone=leader.phone,
                leader=leader, request_id=request.id, language=leader.language, started_at=now,
                step=CallStep.pending if wanted and can_ring else CallStep.done)
    session.add(call)
    session.flush()
    if wanted and not can_ring:
        pass_over(session, call, now, settings, "无法电话通知（短信猫没有语音）")
    elif wanted:
        Event.record(session, request, "leader_called", now, detail=f"电话通知{leader.name}（{leader.phone}）")
        outbox.schedule(session, "dispatch.runtime.jobs.place_call", call.id, job_id=f"place-call-{call.id}",
                        network=True)
    return call


def still_wanted(call: Call) -> bool:
    """Whether ringing the leader still makes sense: leaders hold the request (nobody has taken it since)."""
    return call.request is not None and call.request.status == RequestStatus.escalated


def answer_leader_call(session, call_id: int | None, sid: str | None) -> tuple[Call | None, str]:
    """The leader picked up: (call, 'read') while the request is still the leaders', else 'stale'; or
    (None, 'unknown') for a call that is not one of ours."""
    call = Call.picked_up(session, call_id, CallKind.leader, sid)
    if call is None:
        return None, "unknown"
    return call, "read" if still_wanted(call) or call.step == CallStep.confirmed else "stale"


def press_leader_key(session, call: Call, keys: str, attempt: int, now, settings) -> Next:
    """`1`: the leader heard it (the same when posted twice); anything else repeats it twice, then the call
    ends unconfirmed and the leader is passed over."""
    call.press(keys)
    if keys == "1" or call.step == CallStep.confirmed:
        if call.step != CallStep.confirmed:
            call.step = CallStep.confirmed
            Event.record(session, call.request, "leader_heard", now, actor=call.leader.name, detail="电话中按1确认收到")
        return Next("confirmed")
    decision = again("leader", attempt, keys)
    if decision is None:
        call.step = CallStep.done
        pass_over(session, call, now, settings, "接了电话但未按1确认")
        return Next("goodbye")
    return decision


def call_ended(session, call: Call, status: str, now, settings) -> None:
    """Twilio says the leader call is over: unless the leader confirmed, they were not reached."""
    if call.step in (CallStep.pending, CallStep.placed, CallStep.reading):
        call.step = CallStep.missed
    pass_over(session, call, now, settings, f"未接通（{status}）" if status != "completed" else "未按1确认")


def pass_over(session, call: Call, now, settings, why: str) -> None:
    """The leader of `call` was not reached: say so once; when nobody at their level has been, tell the next."""
    if call.step == CallStep.confirmed or call.error:
        return
    call.error = why[:200]
    request, level = call.request, LEVEL_OF.get(call.leader.role, LAST_RESORT)
    Event.record(session, request, "leader_call_unanswered", now,
                 detail=f"{call.leader.name}（{call.leader.phone}）{why}")
    if request.status == RequestStatus.escalated and not level_reached(session, request, level):
        tell_next_level(session, request, level, now, settings)


def level_reached(session, request, level: int) -> bool:
    """Whether a leader of `level` may have the escalation since it was last escalated: an SMS not (yet)
    failed, or a call confirmed or still ringing."""
    since = max((e.at for e in request.events if e.kind == "escalated"), default=request.created_at)
    role = ROLE_AT[level]
    texts = session.scalars(select(OutboundMessage.status).join(Leader, Leader.phone == OutboundMessage.to_phone)
                            .where(OutboundMessage.request_id == request.id, Leader.role == role,
                                   OutboundMessage.template == "escalated_leader", OutboundMessage.created_at >= since))
    if any(status not in FINAL_FAILURES for status in texts):
        return True
    calls = session.scalars(select(Call.step).join(Leader, Leader.id == Call.leader_id).where(
        Call.request_id == request.id, Call.kind == CallKind.leader, Leader.role == role, Call.started_at >= since))
    return any(step == CallStep.confirmed or step in ON_ITS_WAY for step in calls)


def tell_next_level(session, request, level: int, now, settings) -> None:
    """Nobody at `level` was reached: the next level is told now, past the township leader the admins."""
    for higher in range(level + 1, LAST_RESORT):
        if escalation.leaders_for(session, request.place, ROLE_AT[higher]):
            if request.escalation_level < higher:
                escalation.notify_level(session, request, higher, now, settings)
            return
    admins = [] if request.escalation_level >= LAST_RESORT else list(session.scalars(
        select(Leader).where(Leader.role == LeaderRole.admin).order_by(Leader.id)))
    request.escalation_level = LAST_RESORT
    if not admins:
        Event.record(session, request, "no_leader_reached", now, detail="没有能联系上的领导，请管理员查看工作台")
        return
    for admin in admins:
        escalation.text_leader(session, request, admin, LAST_RESORT, now)
    Event.record(session, request, "leaders_told", now,
                 detail="短信：" + "、".join(f"{admin.name}（{admin.phone}）" for admin in admins))
