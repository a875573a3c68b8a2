"""The sharing stock: haves and needs posted by text, a place's reserve (储备药物) set by leaders, and how much of
each is still free. Functions flush, never commit."""
from datetime import timedelta

from sqlalchemy import func, select

from models import Language, Request, RequestStatus, ShareKind, ShareMatch, SharePost

from ..requests.refs import new_reference

MAX_RESERVE = 100000


def post_share(session, *, kind: str, item: str, quantity: int, text: str, phone: str, household, member,
               now) -> SharePost:
    """Store a resident's (or member's) have or need, placed where the roster puts the sender."""
    place = household.place if household else (member.team.place if member else None)
    lat = household.lat if household and household.lat is not None else None
    lon = household.lon if household and household.lon is not None else None
    if lat is None and member is not None and household is None:
        lat, lon = member.team.base_lat, member.team.base_lon
    if lat is None and place is not None:
        lat, lon = place.lat, place.lon
    language = household.text_language if household else (member.text_language if member else "zh")
    post = SharePost(ref=new_reference(session), kind=ShareKind(kind), item=item, quantity=quantity, text=text,
                     phone=phone, household=household, member=member, place=place, lat=lat, lon=lon,
                     language=Language(language), created_at=now)
    session.add(post)
    session.flush()
    return post


def open_post_of(session, phone: str, kind: str, item: str, now, settings) -> SharePost | None:
    """The sender's own open have or need of this item that is not yet fully matched, if any: a repeated text
    (a flood, a worried resident) makes no second post that would take stock twice."""
    posts = session.scalars(select(SharePost).where(
        SharePost.phone == phone, SharePost.kind == ShareKind(kind), SharePost.item == item,
        open_clause(now, settings)).order_by(SharePost.id.desc()))
    return next((post for post in posts if free_quantity(session, post) > 0), None)


def taken(session, post_ids, kind: ShareKind) -> dict[int, int]:
    """How much of each post its matches hold (a cancelled delivery holds nothing): post id -> quantity."""
    if not post_ids:
        return {}
    side = ShareMatch.have_id if kind == ShareKind.have else ShareMatch.need_id
    return dict(session.execute(
        select(side, func.sum(ShareMatch.quantity)).join(Request, Request.id == ShareMatch.request_id)
        .where(side.in_(post_ids), Request.status != RequestStatus.cancelled).group_by(side)).all())


def free_quantity(session, post: SharePost) -> int:
    """What the post still offers or lacks."""
    return max(0, post.quantity - taken(session, [post.id], post.kind).get(post.id, 0))


def open_clause(now, settings):
    """A WHERE clause selecting posts still open: not closed, and a reserve or younger than SHARE_OPEN_DAYS."""
    since = now - timedelta(days=settings["SHARE_OPEN_DAYS"])
    return SharePost.closed_at.is_(None) & (SharePost.reserve | (SharePost.created_at >= since))


def set_reserve(session, place, item: str, level: int, actor: str, now) -> SharePost:
    """A place's reserve of `item` now holds `level` (what deliveries already hold stays theirs)."""
    level = max(0, min(int(level), MAX_RESERVE))
    reserve = session.scalar(select(SharePost).where(SharePost.reserve, SharePost.place_id == place.id,
                                                     SharePost.item == item).with_for_update())
    if reserve is None:
        reserve = SharePost(ref=new_reference(session), kind=ShareKind.have, item=item, quantity=0, text="",
                            phone=None, place=place, lat=place.lat, lon=place.lon, reserve=True, created_at=now)
        session.add(reserve)
        session.flush()
    reserve.quantity = level + taken(session, [reserve.id], ShareKind.have).get(reserve.id, 0)
    reserve.text = f"{actor}设为{level}"  # who set the level last, as the dashboard shows it
    session.flush()
    return reserve


def close_post(session, post_id: int, actor: str, now) -> str:
    """A have that is gone or a need that was met elsewhere: 'closed', or 'not_open'."""
    post = session.get(SharePost, post_id, with_for_update=True)
    if post is None or post.closed_at is not None or post.reserve:
        return "not_open"
    post.closed_at, post.closed_by = now, actor
    return "closed"
