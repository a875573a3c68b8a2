"""Calls to the duty number: the call is stored at its first webhook, each key acted on, a request opened.

Each function takes the call's state from its row and the keys from Twilio, asks `menu` what comes next,
changes the rows (flush, never commit) and returns a `Turn` for the edge to render as TwiML.
"""
from dataclasses import dataclass

from sqlalchemy import select

from models import OPEN_STATUSES, Call, Event, CallKind, CallStep, DutyShift, Language, Member, Place, Request

from ..ladder import leader_calls
from ..ladder.ranking import road_km
from ..messaging import outbox, texts
from ..messaging.phones import caller_id, to_e164
from ..register import calls as checkin_calls
from ..requests import withheld
from ..requests.intake import household_for, open_request_for
from .menu import (ANYTHING_ELSE, EMERGENCY, Next, after_dial, after_gacha, after_language, after_menu,
                         is_final, start, wants_callback)

RECORDED_TEXT = "语音留言（未按菜单键）"
MISSED_TEXT = "来电未选择即挂断，请回电问明需要"


@dataclass
class Turn:
    """What happened at one step: what comes next, the call, and the request when one is open."""

    next: Next
    call: Call
    request: Request | None = None
    existing: bool = False  # the caller's earlier request, still open, was reused
    dial_to: Member | None = None  # the shift lead an emergency is put through to


def find_call(session, sid: str, lock: bool = False) -> Call | None:
    """The call with Twilio's CallSid, optionally locked for the rest of the transaction."""
    query = select(Call).where(Call.call_sid == sid)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalar(query)


def begin(session, sid: str, from_raw: str, to: str, now, settings) -> Turn:
    """Store the call (once per CallSid) and greet: the menu in the caller's language, or the language choice."""
    call = find_call(session, sid)
    if call is None:
        phone = caller_id(from_raw, settings["DEFAULT_REGION"])
        household = household_for(session, phone)
        call = Call(kind=CallKind.inbound, call_sid=sid, from_phone=phone, to_phone=(to or "")[:64], started_at=now,
                    language=household.language if household else None,
                    place=household.place if household else None,
                    step=CallStep.menu if household else CallStep.language)
        session.add(call)
        session.flush()
    return Turn(start(str(call.language) if call.language else None), call, call.request)


def press_language(session, call: Call, keys: str, attempt: int, now, settings) -> Turn:
    """`1` Mongolian, `2` Chinese: kept on the call; repeated, or on to a voice message."""
    call.press(keys)
    turn = Turn(after_language(keys, attempt), call)
    if turn.next.language:
        call.language = Language(turn.next.language)
    return _enter(session, turn, now, settings)


def press_gacha(session, call: Call, keys: str, attempt: int, now, settings) -> Turn:
    """The gacha number from the contact card: the call is placed there when the number is known."""
    call.press(keys)
    place = session.scalar(select(Place).where(Place.short_number == keys)) if keys else None
    if keys:
        call.gacha = keys[:12]
    if place is not None:
        call.place = place
    language = str(call.language or Language.zh)
    return _enter(session, Turn(after_gacha(keys, attempt, place is not None, language), call), now, settings)


def press_menu(session, call: Call, keys: str, attempt: int, now, settings) -> Turn:
    """A category opens the request (9: put through to the shift lead); misses repeat, then record."""
    call.press(keys)
    language = str(call.language or Language.zh)
    return _enter(session, Turn(after_menu(keys, attempt, language), call), now, settings)


def _enter(session, turn: Turn, now, settings) -> Turn:
    """Move the call to the step decided, opening the request the step needs before anything else happens."""
    call, step = turn.call, turn.next.step
    call.attempts = turn.next.attempt
    if step in ("language", "gacha", "menu"):
        call.step = CallStep(step)
        return turn
    text = RECORDED_TEXT if step == "record" else f"电话菜单按{turn.next.category}"
    turn.request, turn.existing = request_for_call(session, call, turn.next.category, text, now, settings)
    if step == "record":
        call.step = CallStep.recording
    elif step == "emergency":  # put through even when an earlier emergency is still open
        if call.dialed_phone:  # the same key posted again: the same lead, nothing recorded twice
            turn.dial_to = session.scalar(select(Member).where(Member.phone == call.dialed_phone))
            return turn
        turn.dial_to = shift_lead_for(session, turn.request, now)
        call.step = CallStep.dialing if turn.dial_to else CallStep.done
        if turn.dial_to is not None:
            call.dialed_phone = turn.dial_to.phone
            Event.record(session, turn.request, "call_transfer", now, actor=call.from_phone,
                          detail=f"紧急来电转接值班带班{turn.dial_to.name}（{turn.dial_to.phone}）")
    else:
        call.step = CallStep.done
    return turn


def request_for_call(session, call: Call, category: int, text: str, now, settings) -> tuple[Request, bool]:
    """The call's request: opened once per call; a caller's request still open is reused unless this is
    a new emergency. Returns (request, reused)."""
    session.flush()  # the step's changes to the call first: the locked re-read below must not undo them
    call = session.get(Call, call.id, with_for_update=True, populate_existing=True)
    if call.request is not None:  # the same step posted again
        request = call.request
        if request.channel == "missed" and text != MISSED_TEXT and not request.offers:
            # The hang-up report beat the key press to us: the key says what the caller needs after all.
            request.category, request.text, request.channel = category, text, "voice"
        return request, request.created_at < call.started_at
    # Withheld numbers ("anonymous") are many different people: never take one for another's earlier call.
    earlier = None if not reachable(call.from_phone, settings) else session.scalar(
        select(Request).where(Request.caller_phone == call.from_phone, Request.status.in_(OPEN_STATUSES))
        .order_by(Request.id.desc()).limit(1))
    if earlier is not None and (category != EMERGENCY or earlier.category == EMERGENCY):
        call.request = earlier
        Event.record(session, earlier, "call", now, actor=call.from_phone,
                      detail=f"再次来电：{texts.category_name(category, 'zh')}")
        return earlier, True
    household = household_for(session, call.from_phone)
    capped = None if reachable(call.from_phone, settings) else withheld.request_to_join(session, call.place, now)
    if capped is not None:  # a flood of withheld numbers: this call joins the newest of theirs
        call.request = withheld.join(session, capped, call.from_phone, f"电话：{text}", now)
        return capped, True
    channel = "missed" if text == MISSED_TEXT else "voice"
    request = open_request_for(session, caller=call.from_phone, category=category, text=text, household=household,
                               now=now, channel=channel, place=None if household else call.place)
    if household is None and call.language is not None:
        request.language = call.language  # an unknown caller chose it; texts follow it (a known one's roster says)
    call.request = request
    if reachable(call.from_phone, settings):
        outbox.record_sms(session, key=f"req-{request.id}-ack", to=call.from_phone,
                          template="missed_ack" if channel == "missed" else "ack",
                          language=str(request.language), now=now, request=request, ref=request.ref)
    return request, False


def reachable(phone: str, settings) -> bool:
    """Whether a call-back or an SMS can reach this caller (a withheld number cannot)."""
    return to_e164(phone, settings["DEFAULT_REGION"]) is not None


def shift_lead_for(session, request: Request, now) -> Member | None:
    """The lead of the on-duty shift nearest the caller (any shift's lead when the caller's place is unknown)."""
    shifts = list(session.scalars(DutyShift.covering(now).where(DutyShift.lead_member_id.is_not(None))
                                  .order_by(DutyShift.team_id)))
    shifts = [s for s in shifts if s.lead.phone != request.caller_phone]
    if not shifts:
        return None
    if request.lat is None or request.lon is None:
        return shifts[0].lead
    return min(shifts, key=lambda s: road_km(request.lat, request.lon, s.team.base_lat, s.team.base_lon, 1.0)).lead


def dialed(session, call: Call, dial_status: str | None, now) -> Turn:
    """The emergency transfer ended: answered, or the caller is told a team has been alerted."""
    turn = Turn(after_dial(dial_status), call, call.request)
    if call.dial_status is None and call.request is not None:
        call.dial_status = (dial_status or "unknown")[:20]
        if not turn.next.answered:
            Event.record(session, call.request, "call_unanswered", now,
                          detail=f"值班带班未接听（{call.dial_status}），已派单")
    call.step = CallStep.done
    return turn


def keep_recording(session, sid: str, url: str | None, now) -> Request | None:
    """A voice message's URL, kept with the request (from the Record action or its status callback)."""
    call = find_call(session, sid)
    if call is None or call.request is None or not url:
        return call.request if call else None
    request, url = call.request, url[:500]
    if request.recording_url is None:
        request.recording_url = url  # played through the dashboard's proxy, never shown as a link
        Event.record(session, request, "recording", now, actor=call.from_phone, detail="语音留言")
    elif request.recording_url != url and not any(e.kind == "recording" and url in e.detail for e in request.events):
        # Another caller's message on a joined request (withheld numbers past the cap): kept, not put over the first.
        Event.record(session, request, "recording", now, actor=call.from_phone, detail=f"另一来电的语音留言 {url}")
    call.step = CallStep.done
    return request


def call_ended(session, sid: str, from_raw: str, to: str, status: str, now, settings,
               direction: str = "") -> Call | None:
    """Twilio says a call is over: one that ended before the caller chose anything becomes a call-back request."""
    call = find_call(session, sid, lock=True)
    if call is None and direction.startswith("outbound"):
        return None  # not a call to the duty number, and not one of ours
    if call is None:  # ended before our first answer (a missed call): still a call to answer
        call = begin(session, sid, from_raw, to, now, settings).call
    call.provider_status = (status or "")[:20]
    if not is_final(status):
        return call
    call.ended_at = call.ended_at or now
    if call.kind == CallKind.offer:
        if call.step in (CallStep.placed, CallStep.pending):
            call.step = CallStep.missed
        return call
    if call.kind == CallKind.checkin:  # a check-in call without an answer is tried again later
        checkin_calls.call_ended(session, call, now, settings)
        return call
    if call.kind == CallKind.leader:  # unless the leader pressed 1, they were not reached: the next one is told
        leader_calls.call_ended(session, call, call.provider_status, now, settings)
        return call
    if call.request_id is None:
        if wants_callback(False, reachable(call.from_phone, settings), status):
            request_for_call(session, call, ANYTHING_ELSE, MISSED_TEXT, now, settings)
        call.step = CallStep.missed
    elif call.step != CallStep.missed:
        call.step = CallStep.done
    return call
