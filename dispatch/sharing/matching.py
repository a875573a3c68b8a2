"""Matching haves to needs: within the gacha first, then the township; each match becomes a delivery request
that the ladder offers to the nearest team. Functions flush, never commit.

A need takes the nearest supply; a supply goes to the need that has waited longest. A place's reserve serves
that place and the places under it (a gacha's reserve its gacha, a township's reserve every gacha).
The residents never learn each other's phone: the offer to the team carries both.
"""
from sqlalchemy import select

from models import Event, Place, PlaceKind, Request, ShareKind, ShareMatch, SharePost

from ..messaging import outbox, texts
from ..requests.intake import open_request_for
from .delivery import DELIVERY, giver_of, poster_name
from .stock import free_quantity, open_clause, set_reserve, taken


def match_need(session, need: SharePost, now, settings) -> list[ShareMatch]:
    """Fill the need from the nearest haves, gacha first; returns the matches made (none: it stays open)."""
    lineage = {p.id for p in need.place.lineage()}

    def nearest_haves(level):
        """The level's free haves, nearest first; a reserve only from the need's own place or above it."""
        haves = _candidates(session, ShareKind.have, need, level, now, settings)
        return sorted((h for h in haves if not h.reserve or h.place_id in lineage),
                      key=lambda h: (_distance(need, h), h.id))
    return _fill(session, need, map(nearest_haves, _levels(session, need.place)), now)


def match_have(session, have: SharePost, now, settings) -> list[ShareMatch]:
    """Give the have to the needs that waited longest, gacha first; returns the matches made."""
    levels = [_places_under(session, have.place)] if have.reserve else _levels(session, have.place)

    def oldest_needs(level):
        """The level's open needs, the longest waiting first."""
        needs = _candidates(session, ShareKind.need, have, level, now, settings)
        return sorted(needs, key=lambda n: (n.created_at, n.id))
    return _fill(session, have, map(oldest_needs, levels), now)


def _fill(session, post: SharePost, levels, now) -> list[ShareMatch]:
    """Match `post` with the others, level by level (each already in the order to take them), while it has
    any left; a wider level is only searched when the nearer ones did not suffice."""
    matches, left = [], free_quantity(session, post)
    for others in levels:
        held = taken(session, [o.id for o in others], ShareKind.need if post.kind == ShareKind.have else ShareKind.have)
        for other in others:
            if left <= 0:
                return matches
            quantity = min(left, other.quantity - held.get(other.id, 0))
            if quantity > 0:
                have, need = (post, other) if post.kind == ShareKind.have else (other, post)
                matches.append(_deliver(session, have, need, quantity, now))
                left -= quantity
    return matches


def restock(session, place, item: str, level: int, actor: str, now, settings) -> list[ShareMatch]:
    """A leader sets the place's reserve of `item`; needs waiting under the place are met from it at once."""
    reserve = set_reserve(session, place, item, level, actor, now)
    matches = match_have(session, reserve, now, settings)
    tell_needs_found(session, matches, now)
    return matches


def match_waiting(session, where, now, settings) -> list[ShareMatch]:
    """Try every open need (selected by the clause `where`) again, oldest first: after a delivery was cancelled,
    or whenever a leader asks."""
    needs = session.scalars(select(SharePost).where(SharePost.kind == ShareKind.need, open_clause(now, settings),
                                                    SharePost.place_id.is_not(None), where)
                            .order_by(SharePost.created_at, SharePost.id))
    matches = [match for need in list(needs) for match in match_need(session, need, now, settings)]
    tell_needs_found(session, matches, now)
    return matches


def tell_needs_found(session, matches, now) -> None:
    """Text each waiting resident whose need a new have (or a reserve) has met."""
    for match in matches:
        need = match.need
        language = str(need.language)
        outbox.record_sms(session, key=f"share-{match.id}-found", to=need.phone, template="share_found",
                          language=language, now=now, request=match.request, ref=match.request.ref,
                          item=texts.render(f"item_{need.item}", language))


def _levels(session, place: Place | None) -> list[set[int]]:
    """The places searched, nearest first: the sender's own, then the rest of its township."""
    if place is None:
        return []
    township = next((p for p in place.lineage() if p.kind == PlaceKind.township), None)
    wider = _places_under(session, township) - {place.id} if township is not None else set()
    return [{place.id}] + ([wider] if wider else [])


def _places_under(session, place: Place) -> set[int]:
    """The place and the places in it (a township's gachas and communities)."""
    return {place.id} | set(session.scalars(select(Place.id).where(Place.parent_id == place.id)))


def _candidates(session, kind: ShareKind, other: SharePost, place_ids: set[int], now, settings) -> list[SharePost]:
    """Open posts of `kind` for the same item at these places, not the sender's own; locked, so two texts
    arriving at once cannot both take the same stock."""
    query = select(SharePost).where(SharePost.kind == kind, SharePost.item == other.item,
                                    SharePost.place_id.in_(place_ids), open_clause(now, settings),
                                    SharePost.id != other.id)
    if other.phone:
        query = query.where((SharePost.phone != other.phone) | SharePost.phone.is_(None))
    return list(session.scalars(query.order_by(SharePost.id).with_for_update()))


def _distance(a: SharePost, b: SharePost) -> float:
    """A ranking key, not kilometres: squared degrees, longitude shrunk by latitude (good enough at a township's
    scale). A post with no point comes last."""
    if None in (a.lat, a.lon, b.lat, b.lon):
        return float("inf")
    shrink = 0.79  # cos(38°): Inner Mongolia's latitudes
    return (a.lat - b.lat) ** 2 + ((a.lon - b.lon) * shrink) ** 2


def _deliver(session, have: SharePost, need: SharePost, quantity: int, now) -> ShareMatch:
    """The match, and the delivery request the ladder will offer (it carries the need's reference when free)."""
    ref_free = session.scalar(select(Request.id).where(Request.ref == need.ref)) is None
    giver, _, giver_place = giver_of(session, have)
    receiver = poster_name(need)
    item = texts.render(f"item_{need.item}", "zh")
    request = open_request_for(
        session, caller=need.phone, category=DELIVERY, household=need.household, now=now, channel="share",
        place=need.place, ref=need.ref if ref_free else None,
        text=f"{item}×{quantity}：从{giver}（{giver_place}）取，送给{receiver}。原话：{need.text}")
    request.language, request.subcategory = need.language, None
    match = ShareMatch(have=have, need=need, quantity=quantity, request=request, created_at=now)
    session.add(match)
    # "matched": the ledgers count mutual-aid matches (互助匹配) by this kind.
    Event.record(session, request, "matched", now,
                 detail=f"可分享{have.ref}（{giver}，{giver_place}）→ 需要{need.ref}（{receiver}）：{item}×{quantity}")
    session.flush()
    return match
