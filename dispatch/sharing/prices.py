"""Reports of price gouging and fake goods (哄抬物价、制假售假): a request of its own category (7) that no team
is sent on. It goes by SMS to the market regulator(s) of the caller's place, or, with none in the roster, to the
township leader, and the timeline says which. Leaders hold it (status escalated) until one closes it.
Functions flush, never commit.
"""
from sqlalchemy import select

from models import OPEN_STATUSES, Event, Leader, LeaderRole, PlaceKind, Request, RequestStatus

from ..messaging import outbox, texts
from ..messaging.names import place_name
from ..requests.intake import open_request_for

PRICE_REPORT = 7
TWO_SMS = texts.TWO_SMS  # the regulator's text keeps as much of the report as fits
FALLBACK = (LeaderRole.township_leader, LeaderRole.gacha_secretary)


def receive_price_report(session, inbound, household, now, place=None) -> str:
    """Store the report, pass it on, and return the answer for the reporter (a second text joins the first).
    `place`: where a reporter with no household is (a member's team's place)."""
    earlier = session.scalar(select(Request).where(
        Request.caller_phone == inbound.from_phone, Request.category == PRICE_REPORT,
        Request.status.in_(OPEN_STATUSES)).order_by(Request.id.desc()).limit(1))
    if earlier is not None:
        inbound.request = earlier
        Event.record(session, earlier, "message", now, actor=inbound.from_phone, detail=inbound.body)
        return texts.render("still_open", str(earlier.language), ref=earlier.ref)
    request = open_request_for(session, caller=inbound.from_phone, category=PRICE_REPORT, text=inbound.body,
                               household=household, now=now, channel="sms", dispatch=False, place=place)
    inbound.request = request
    request.status = RequestStatus.escalated  # leaders hold it from the start: no team is sent on a report
    told_regulator = route_price_report(session, request, now)
    return texts.render("price_ack" if told_regulator else "price_ack_township", str(request.language),
                        ref=request.ref)


def route_price_report(session, request, now) -> bool:
    """Text the report to the place's market regulators; True when there were any. Without one, the township
    leader (or else the gacha secretary) gets it, and the timeline says so."""
    regulators = leaders_of(session, request.place, (LeaderRole.market_regulator,))
    if regulators:
        _text_leaders(session, request, regulators, now)
        Event.record(session, request, "regulator_told", now, detail=f"已转市场监管：{_names(regulators)}")
        return True
    others = leaders_of(session, request.place, FALLBACK)
    if others:
        _text_leaders(session, request, others, now)
        Event.record(session, request, "no_regulator", now,
                     detail=f"名册中没有市场监管联系人，已转{_names(others)}")
    else:
        Event.record(session, request, "no_leader", now, detail="名册中没有市场监管联系人，也没有可通知的领导")
    return False


def leaders_of(session, place, roles) -> list[Leader]:
    """The leaders of the first role that has any, nearest place first (the gacha's, then the township's).
    A caller of no known place: those of that role at every township."""
    for role in roles:
        query = select(Leader).where(Leader.role == role).order_by(Leader.id)
        if place is None:
            found = [leader for leader in session.scalars(query) if leader.place.kind == PlaceKind.township]
            if found:
                return found
            continue
        for level in place.lineage():
            found = list(session.scalars(query.where(Leader.place_id == level.id)))
            if found:
                return found
    return []


def _text_leaders(session, request, leaders, now) -> None:
    for leader in leaders:
        language = leader.text_language
        slots = {"ref": request.ref, "place": place_name(request.place, language), "phone": request.caller_phone}
        room = TWO_SMS - texts.units(texts.render("price_report_leader", language, report="", **slots))
        outbox.record_sms(session, key=f"req-{request.id}-price-{leader.id}", to=leader.phone,
                          template="price_report_leader", language=language, now=now, request=request,
                          report=_clip(request.text, room), **slots)


def _clip(text: str, room: int) -> str:
    """As much of the report as fits in `room` UCS-2 units, with an ellipsis when cut."""
    if texts.units(text) <= room:
        return text
    kept = ""
    for ch in text:
        if texts.units(kept + ch) > room - 1:
            break
        kept += ch
    return kept + "…"


def _names(leaders) -> str:
    return "、".join(f"{leader.name}（{leader.phone}）" for leader in leaders)
