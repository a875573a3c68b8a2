"""A herder's text: a new need becomes a request; a text on an open request (on_open.py) or after the closing
SMS is read as such."""
import functools
import re
from datetime import timedelta

from sqlalchemy import bindparam, or_, select, true

from models import OPEN_STATUSES, Event, Place, PlaceKind, Request, RequestStatus

from ..messaging import texts
from ..messaging.phones import can_call_back
from ..requests import withheld
from ..requests.intake import open_request_for
from . import on_open, parse

E164 = re.compile(r"^\+\d{8,15}$")  # what messaging.phones.caller_id stores for a number that parses
# A herder's answer to the closing SMS ("was it solved?") is read as such for this long.
FEEDBACK_WINDOW = timedelta(hours=48)


@functools.cache
def _open_requests():
    """The caller's open requests, newest first; built once (every herder's text asks it)."""
    return (select(Request).where(Request.caller_phone == bindparam("phone"),
                                  or_(*(Request.status == status for status in OPEN_STATUSES)))
            .order_by(Request.id.desc()))


def receive_herder_text(session, inbound, household, now, settings, place=None) -> str:
    """Open a request for the text (or add to the one already open) and return the answer to send back.

    `household`: the sender's, as the reader looked it up (None: not on the roster). `place`: where to put a
    caller the household roster does not know (a member asking for help: their team's).
    """
    language = household.text_language if household else "zh"
    message = parse.read_herder_message(inbound.body)
    # A sender that is not a phone number ("anonymous", an alphanumeric id) may be many people: never joined.
    opens = [] if not E164.match(inbound.from_phone) else list(session.scalars(_open_requests(),
                                                                                {"phone": inbound.from_phone}))
    joined = on_open.pick_request(opens, message) if opens else None
    if joined is not None:
        return on_open.answer_on_open(session, inbound, joined, message, now, settings)
    answered = _read_feedback(session, inbound, now)
    if answered is not None:
        return texts.render("feedback_thanks", str(answered.language))
    if message is None or parse.read_feedback(inbound.body) is not None:
        # Nothing to read, or a bare "Y"/"好" with no closing question to answer: the menu says how to ask.
        # Once: the same text again is stored and not answered again.
        return "" if on_open.said_before(session, inbound, None) else texts.render("menu", language)
    place = None if household else place or _place_named_in(session, message.text)
    # Hook (issue 10): past the hourly caps, a sender who cannot be called back joins the newest of their requests.
    capped = None if can_call_back(inbound.from_phone) else withheld.request_to_join(session, place, now)
    request = withheld.join(session, capped, inbound.from_phone, inbound.body, now) if capped else open_request_for(
        session, caller=inbound.from_phone, category=message.category, text=message.text, household=household,
        now=now, channel="sms", place=place)
    inbound.request = request
    return texts.render("ack", str(request.language), ref=request.ref)


def _read_feedback(session, inbound, now) -> Request | None:
    """A Y/好/тийм or N/没/үгүй within FEEDBACK_WINDOW of a closing SMS answers whether it was solved (never a
    digit: `1` and `2` are needs); a 谢谢 then is thanks, put on that request's timeline, not a need. Returns the
    request it answered."""
    solved = parse.read_feedback(inbound.body)
    thanks = solved is None and parse.is_thanks(inbound.body)
    if solved is None and not thanks:
        return None
    request = session.scalar(
        select(Request).where(Request.caller_phone == inbound.from_phone, Request.status == RequestStatus.done,
                              Request.closed_at >= now - FEEDBACK_WINDOW)
        .where(Request.solved.is_(None) if not thanks else true())
        .order_by(Request.closed_at.desc()).limit(1)
    )
    if request is None:
        return None
    inbound.request = request
    if thanks:
        Event.record(session, request, "message", now, actor=inbound.from_phone, detail=inbound.body)
        return request
    request.solved = solved
    Event.record(session, request, "feedback", now, actor=inbound.from_phone, detail="已解决" if solved else "未解决")
    return request


def _place_named_in(session, text: str) -> Place | None:
    """An unknown caller who names their gacha ("哈日根图嘎查") is placed there."""
    if not text:
        return None
    places = session.scalars(select(Place)).all()
    for place in sorted(places, key=lambda p: p.kind == PlaceKind.township):  # a gacha before its township
        short = place.name.removesuffix("嘎查").removesuffix("社区").removesuffix("村")
        if len(short) >= 2 and short in text:
            return place
    return None
