"""A herder's text becomes a request: stored, referenced and answered before anything else happens."""
import re
from datetime import timedelta

from sqlalchemy import select

from models import OPEN_STATUSES, Household, HouseholdPhone, Language, Place, PlaceKind, Request, RequestStatus

from . import events, outbox, parse, texts
from .refs import new_reference

E164 = re.compile(r"^\+\d{8,15}$")  # what dispatch.phones.caller_id stores for a number that parses
# A herder's answer to the closing SMS ("was it solved?") is read as such for this long.
FEEDBACK_WINDOW = timedelta(hours=48)


def household_for(session, phone: str) -> Household | None:
    """The household a phone belongs to, if the roster knows it."""
    return session.scalar(select(Household).join(HouseholdPhone).where(HouseholdPhone.phone == phone).limit(1))


def receive_herder_text(session, inbound, now) -> str:
    """Open a request for the text (or add to the one already open) and return the answer to send back."""
    household = household_for(session, inbound.from_phone)
    language = str(household.language) if household else "zh"
    # A sender that is not a phone number ("anonymous", an alphanumeric id) may be many people: never joined.
    open_request = None if not E164.match(inbound.from_phone) else session.scalar(
        select(Request).where(Request.caller_phone == inbound.from_phone, Request.status.in_(OPEN_STATUSES))
        .order_by(Request.id.desc()).limit(1)
    )
    if open_request is not None:
        # One need at a time: a second text joins the open request, so floods make no new work.
        inbound.request = open_request
        events.record(session, open_request, "message", now, actor=inbound.from_phone, detail=inbound.body)
        return texts.render("still_open", str(open_request.language), ref=open_request.ref)
    answered = _read_feedback(session, inbound, now)
    if answered is not None:
        return texts.render("feedback_thanks", str(answered.language))
    message = parse.read_herder_message(inbound.body)
    if message is None:
        return texts.render("menu", language)
    request = open_request_for(session, caller=inbound.from_phone, category=message.category, text=message.text,
                               household=household, now=now, channel="sms",
                               place=None if household else _place_named_in(session, message.text))
    inbound.request = request
    return texts.render("ack", str(request.language), ref=request.ref)


def open_request_for(session, *, caller, category, text, household, now, channel, place=None) -> Request:
    """Store a new request and schedule its dispatch once the transaction commits."""
    place = household.place if household else place
    lat = household.lat if household and household.lat is not None else (place.lat if place else None)
    lon = household.lon if household and household.lon is not None else (place.lon if place else None)
    request = Request(
        ref=new_reference(session), status=RequestStatus.received, category=category, text=text,
        channel=channel, caller_phone=caller, household=household, place=place, lat=lat, lon=lon,
        language=household.language if household else Language.zh, created_at=now,
    )
    session.add(request)
    session.flush()
    where = place.name if place else "位置未知（来电号码不在名册）"
    events.record(session, request, "received", now, actor=caller,
                  detail=f"{texts.category_name(category, 'zh')}；{where}；{text}")
    outbox.schedule(session, "dispatch.jobs.dispatch_request", request.id, job_id=f"dispatch-{request.id}-0")
    return request


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
    events.record(session, request, "feedback", now, actor=inbound.from_phone, detail="已解决" if solved else "未解决")
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
