"""A neighbour-sharing delivery as the ladder offers it: a request of its own category (6), linked to its match.

The ladder (dispatch/ladder/offers.py) calls here for what differs from any request: the offer names where to
collect and where to bring, the giver is told who will come once a member accepts, and thanked once it is
delivered. The
receiver is the request's caller, so acceptance, timeouts, escalation and `0 <ref>` work as for any request.
"""
from sqlalchemy import select

from models import Leader, LeaderRole, ShareMatch, SharePost

from ..messaging import outbox, texts
from ..messaging.names import place_name, team_name

DELIVERY = 6
KEEPERS = (LeaderRole.gacha_secretary, LeaderRole.township_leader)  # a market regulator keeps no reserve


def match_for(session, request) -> ShareMatch | None:
    """The match a delivery request carries out, or None for any other request."""
    if request.category != DELIVERY:
        return None
    return session.scalar(select(ShareMatch).where(ShareMatch.request_id == request.id))


def poster_name(post: SharePost) -> str:
    """How the roster names whoever posted: the household's head, or the member."""
    if post.household is not None:
        return post.household.head_name
    return post.member.name if post.member is not None else (post.phone or "—")


def giver_of(session, have: SharePost, language: str = "zh") -> tuple[str, str, str]:
    """Who hands the item over, a phone to reach them and their place: the resident, or for a reserve the
    place itself and its first secretary or leader in the roster (who keeps the reserve)."""
    place = place_name(have.place, language) if have.place else "—"
    if not have.reserve:
        return poster_name(have), have.phone or "—", place
    keeper = session.scalar(select(Leader.phone).where(Leader.place_id == have.place_id,
                                                       Leader.role.in_(KEEPERS)).order_by(Leader.id))
    return texts.render("share_reserve", language, place=place), keeper or "—", place


def record_offer_sms(session, offer, member, key: str, now, batch: str | None = None) -> None:
    """The delivery's offer to one member: collect from the giver, bring to the receiver (both phones)."""
    request, match = offer.request, match_for(session, offer.request)
    language = member.text_language
    giver, giver_phone, giver_place = giver_of(session, match.have, language)
    need = match.need
    outbox.record_sms(
        session, key=key, to=member.phone, language=language, template="offer_share", now=now, request=request,
        batch=batch,
        offer=offer, ref=request.ref, giver=giver, giver_phone=giver_phone, giver_place=giver_place,
        item=texts.render(f"item_{need.item}", language), qty=match.quantity, name=poster_name(need),
        phone=request.caller_phone, place=place_name(request.place, language) if request.place else "—",
        km=offer.distance_km if offer.distance_km is not None else "?")


def tell_giver(session, request, team, member, now) -> None:
    """A member accepted a delivery: the giving resident hears who will come to collect (a reserve has no
    resident to tell: its keeper's phone is in the offer)."""
    _text_giver(session, request, f"collecting-{member.id}", "share_collecting", now,
                team=lambda language: team_name(team, language), member=member.name, phone=member.phone)


def thank_giver(session, request, now) -> None:
    """The delivery is done: the giving resident hears that their medicine reached the neighbour."""
    _text_giver(session, request, "delivered", "share_delivered", now)


def _text_giver(session, request, suffix: str, template: str, now, **slots) -> None:
    """Text the resident who gave (never the receiver's phone: neither learns the other's number); a slot may be
    a function of the giver's language (a team's name)."""
    match = match_for(session, request)
    if match is None or match.have.reserve or not match.have.phone:
        return
    have = match.have
    language = str(have.language)
    outbox.record_sms(session, key=f"share-{match.id}-{suffix}", to=have.phone, template=template,
                      language=language, now=now, request=request, ref=have.ref,
                      item=texts.render(f"item_{have.item}", language),
                      **{name: value(language) if callable(value) else value for name, value in slots.items()})
