"""What leaders read about sharing: open haves and needs, each place's reserve, the matches and their deliveries.

Plain dicts of plain values within a leader's scope (any object with `located(column)` and `requests()`, as
dispatch/leaders/scope.py's Scope); the dashboard turns them into words.
"""
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from models import Place, PlaceKind, Request, RequestStatus, ShareKind, ShareMatch, SharePost

from .delivery import giver_of, poster_name
from .stock import open_clause, taken

MATCH_LIMIT = 200  # the latest matches on the page


def sharing_view(session, scope, now, settings) -> dict:
    """The sharing page: open posts (needs first, oldest first), reserves, the latest matches, and counts."""
    posts = list(session.scalars(
        select(SharePost).where(open_clause(now, settings), scope.located(SharePost.place_id))
        .options(selectinload(SharePost.place), selectinload(SharePost.household), selectinload(SharePost.member))
        .order_by(SharePost.created_at, SharePost.id)))
    held = {**taken(session, [p.id for p in posts if p.kind == ShareKind.have], ShareKind.have),
            **taken(session, [p.id for p in posts if p.kind == ShareKind.need], ShareKind.need)}
    rows = [_post_row(p, held.get(p.id, 0)) for p in posts]
    matches = list(session.scalars(
        select(ShareMatch).join(Request, Request.id == ShareMatch.request_id).where(scope.requests())
        .options(selectinload(ShareMatch.request), selectinload(ShareMatch.have), selectinload(ShareMatch.need))
        .order_by(ShareMatch.id.desc()).limit(MATCH_LIMIT)))
    counts = dict(session.execute(
        select(Request.status, func.count()).join(ShareMatch, ShareMatch.request_id == Request.id)
        .where(scope.requests()).group_by(Request.status)).all())
    return {
        "needs": [r for r in rows if r["kind"] == "need" and r["free"] > 0],
        "haves": [r for r in rows if r["kind"] == "have" and not r["reserve"] and r["free"] > 0],
        "reserves": [r for r in rows if r["reserve"]],
        "matches": [_match_row(session, m) for m in matches],
        "delivered": counts.get(RequestStatus.done, 0),
        "matched": sum(n for status, n in counts.items() if status != RequestStatus.cancelled),
    }


def reserve_places(session, scope) -> list[Place]:
    """The places in scope that may keep a reserve: townships first, then gachas and communities, by name."""
    return list(session.scalars(select(Place).where(scope.places()).order_by(Place.kind != PlaceKind.township,
                                                                             Place.name, Place.id)))


def post_in_scope(session, scope, post_id: int) -> SharePost | None:
    """The post, or None when it does not exist or lies outside the scope."""
    return session.scalar(select(SharePost).where(SharePost.id == post_id, scope.located(SharePost.place_id)))


def _post_row(post: SharePost, held: int) -> dict:
    return {"id": post.id, "ref": post.ref, "kind": str(post.kind), "item": post.item, "quantity": post.quantity,
            "held": held, "free": max(0, post.quantity - held), "reserve": post.reserve,
            "place": post.place.name if post.place else None, "place_id": post.place_id,
            "who": None if post.reserve else poster_name(post), "phone": post.phone, "text": post.text,
            "created_at": post.created_at}


def _match_row(session, match: ShareMatch) -> dict:
    giver, _, giver_place = giver_of(session, match.have)
    return {"ref": match.request.ref, "status": str(match.request.status), "item": match.need.item,
            "quantity": match.quantity, "giver": giver, "giver_place": giver_place,
            "receiver": poster_name(match.need), "receiver_place": match.need.place.name if match.need.place else None,
            "created_at": match.created_at, "holder": match.request.holder_team.name
            if match.request.holder_team else None}
