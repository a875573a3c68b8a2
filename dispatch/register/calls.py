"""The hotline's check-in call to a household: picked up, it asks for a key in the language they hear; `1` all
well, `2` I need help (a request is opened for the household and offered like any other). A call nobody
answers, or that ends without a key, is tried again after CHECKIN_RETRY_MINUTES (hotline.py)."""
from datetime import timedelta

from models import Call, CallKind, CallStep, CheckinStatus, ContactOutcome

from ..messaging.gateway import SendError
from ..messaging.keypad import Next, again
from ..requests.intake import open_request_for
from . import hotline

HELP_TEXT = "热线问候电话中按2：需要帮助"


def place_call(session, call_id: int, gateway, now, settings) -> str:
    """Ring one check-in call: 'placed', 'stale' (answered meanwhile), 'failed' or 'skip'. A temporary
    failure raises SendError so the job is retried."""
    call = session.get(Call, call_id, with_for_update=True)
    if call is None or call.kind != CallKind.checkin or call.step != CallStep.pending:
        return "skip"
    if call.checkin.status != CheckinStatus.waiting:
        call.step, call.error = CallStep.done, "已不需要问候"
        return "stale"
    try:
        placed = gateway.read_checkin(call.to_phone, call.id)
    except SendError as error:
        if not error.permanent:
            raise
        call.step, call.error = CallStep.failed, str(error)[:200]
        unanswered(session, call, now, settings)
        return "failed"
    call.call_sid, call.step = placed.provider_sid, CallStep.placed
    return "placed"


def answer_call(session, call_id: int | None, sid: str | None) -> tuple[Call | None, str]:
    """The household picked up: (call, 'read') while the check-in waits for an answer, else 'stale'."""
    call = Call.picked_up(session, call_id, CallKind.checkin, sid)
    if call is None:
        return None, "unknown"
    return call, "read" if call.checkin.status == CheckinStatus.waiting or call.request_id else "stale"


def press_key(session, call: Call, keys: str, attempt: int, now, settings) -> Next:
    """`1` all well, `2` needs help (the same answer when posted twice); else the question again, twice."""
    call.press(keys)
    checkin = call.checkin
    if keys == "1":
        hotline.answer(session, checkin, ContactOutcome.well, now)  # once, however often it is posted
        call.step = CallStep.done
        return Next("well")
    if keys == "2":
        if call.request_id is None:  # the same post twice opens one request
            request = open_request_for(session, caller=call.to_phone, category=5, text=HELP_TEXT,
                                       household=checkin.household, now=now, channel="voice")
            call.request = request
            hotline.answer(session, checkin, ContactOutcome.needs_help, now, request=request)
        call.step = CallStep.done
        return Next("help")
    decision = again("checkin", attempt, keys)
    if decision is None:
        call.step = CallStep.done
        return Next("goodbye")
    return decision


def call_ended(session, call: Call, now, settings) -> None:
    """Twilio says the check-in call is over: without an answer, try again later (or give up)."""
    if call.step in (CallStep.pending, CallStep.placed, CallStep.reading):
        call.step = CallStep.missed
    unanswered(session, call, now, settings)


def unanswered(session, call: Call, now, settings) -> None:
    """The call brought no answer: look again after CHECKIN_RETRY_MINUTES (once per call)."""
    if call.checkin.status == CheckinStatus.waiting and not call.error.startswith("未应答"):
        call.error = ("未应答；" + call.error)[:200]
        hotline.look_again(session, call.checkin, now + timedelta(minutes=settings["CHECKIN_RETRY_MINUTES"]))
