"""A request is opened: stored, referenced and its dispatch scheduled, before anything else happens."""
import functools

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from models import Event, Household, HouseholdPhone, Language, Request, RequestStatus

from ..messaging import outbox, texts
from ..messaging.phones import can_call_back
from .refs import new_reference
from .subcategories import detect_subcategory


def household_for(session, phone: str) -> Household | None:
    """The household a phone belongs to, if the roster knows it."""
    return session.scalar(_household_by_phone(), {"phone": phone})


@functools.cache
def _household_by_phone():
    """Built once (every text asks it). Its place comes in the same query: the request is stored with it."""
    return (select(Household).join(HouseholdPhone).where(HouseholdPhone.phone == bindparam("phone"))
            .options(joinedload(Household.place)).limit(1))


def open_request_for(session, *, caller, category, text, household, now, channel, place=None, ref=None,
                     dispatch=True) -> Request:
    """Store a new request and schedule its dispatch once the transaction commits.

    `ref`: a reference the caller already holds (a neighbour-sharing need's); `dispatch=False`: leaders, not
    the ladder, take it (a price report).
    """
    place = household.place if household else place
    lat = household.lat if household and household.lat is not None else (place.lat if place else None)
    lon = household.lon if household and household.lon is not None else (place.lon if place else None)
    request = Request(
        ref=ref or new_reference(session), status=RequestStatus.received, category=category, text=text,
        channel=channel, caller_phone=caller, household=household, place=place, lat=lat, lon=lon,
        language=Language(household.text_language) if household else Language.zh, created_at=now,
        withheld=not can_call_back(caller), subcategory=detect_subcategory(text),
    )
    session.add(request)
    session.flush()
    where = place.name if place else "位置未知（来电号码不在名册）"
    Event.record(session, request, "received", now, actor=caller,
                  detail=f"{texts.category_name(category, 'zh')}；{where}；{text}")
    if dispatch:
        # An emergency's dispatch goes ahead of every other job (the urgent queue).
        outbox.schedule(session, "dispatch.runtime.jobs.dispatch_request", request.id,
                        job_id=f"dispatch-{request.id}-0", urgent=request.is_emergency)
    return request
