"""A herder's text: a new need becomes a request; a text on an open request or after the closing SMS is read as such."""
import re
from datetime import timedelta

from sqlalchemy import select

from models import OPEN_STATUSES, Event, Place, PlaceKind, Request, RequestStatus

from ..messaging import texts
from ..messaging.phones import can_call_back
from ..requests import withheld
from ..requests.intake import household_for, open_request_for
from . import parse

E164 = re.compile(r"^\+\d{8,15}$")  # what messaging.phones.caller_id stores for a number that parses
# A herder's answer to the closing SMS ("was it solved?") is read as such for this long.
FEEDBACK_WINDOW = timedelta(hours=48)


def receive_herder_text(session, inbound, now) -> str:
    """Open a request for the text (or add to the one already open) and return the answer to send back."""
    household = household_for(session, inbound.from_phone)
    language = household.text_language if household else "zh"
    # A sender that is not a phone number ("anonymous", an alphanumeric id) may be many people: never joined.
    open_request = None if not E164.match(inbound.from_phone) else session.scalar(
        select(Request).where(Request.caller_phone == inbound.from_phone, Request.status.in_(OPEN_STATUSES))
        .order_by(Request.id.desc()).limit(1)
    )
    if open_request is not None:
        # One need at a time: a second text joins the open request, so floods make no new work.
        inbound.request = open_request
        Event.record(session, open_request, "message", now, actor=inbound.from_phone, detail=inbound.body)
        return texts.render("still_open", str(open_request.language), ref=open_request.ref)
    answered = _read_feedback(session, inbound, now)
    if answered is not None:
        return texts.render("feedback_thanks", str(answered.language))
    message = parse.read_herder_message(inbound.body)
    if message is None:
        return texts.render("menu", language)
    place = None if household else _place_named_in(session, message.text)
    # Hook (issue 10): past the hourly caps, a sender who cannot be called back joins the newest of their requests.
    capped = None if can_call_back(inbound.from_phone) else withheld.request_to_join(session, place, now)
    request = withheld.join(session, capped, inbound.from_phone, inbound.body, now) if capped else open_request_for(
        session, caller=inbound.from_phone, category=message.category, text=message.text, household=household,
        now=now, channel="sms", place=place)
    inbound.request = request
    inbound.opened_request = not capped  # not stored: read by inbound._answered_lately within this transaction
    return texts.render("ack", str(request.language), ref=request.ref)


def _read_feedback(session, inbound, now) -> Request | None:
    """A '1' or '2' after a closing SMS answers whether it was solved; returns the request it answered."""
    solved = parse.read_feedback(inbound.body)
    if solved is None:
        return None
    request = session.scalar(
        select(Request).where(Request.caller_phone == inbound.from_phone, Request.status == RequestStatus.done,
                              Request.closed_at >= now - FEEDBACK_WINDOW, Request.solved.is_(None))
        .order_by(Request.closed_at.desc()).limit(1)
    )
    if request is None:
        return None
    request.solved = solved
    inbound.request = request
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
