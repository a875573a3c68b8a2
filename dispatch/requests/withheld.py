"""Callers who cannot be called back (a withheld number, a SIP address, a name instead of a number).

Each of their calls and texts is a stranger's, so none is joined to another's request by its number, and each
new request costs the teams' and the leaders' daily SMS budgets. A flood of them must not silence the hotline:
past PER_GACHA_HOUR new requests from such callers in one gacha within an hour (callers of no known place count
as one gacha), or PER_HOUR in all, the next one joins the newest of them still open. It is stored, its words go
on that request's timeline, and the leaders see it; the caller hears that request's reference.
"""
from datetime import timedelta

from sqlalchemy import func, select

from models import OPEN_STATUSES, Event, Place, Request

PER_GACHA_HOUR = 3
PER_HOUR = 10
HOUR = timedelta(hours=1)


def request_to_join(session, place: Place | None, now) -> Request | None:
    """The open request a new one from a caller who cannot be called back joins instead, once a cap is
    reached; None: open a new request."""
    recent = select(Request).where(Request.withheld, Request.created_at > now - HOUR)
    same_gacha = recent.where(Request.place_id == place.id if place is not None else Request.place_id.is_(None))
    if _count(session, same_gacha) >= PER_GACHA_HOUR:
        pool = same_gacha
    elif _count(session, recent) >= PER_HOUR:
        pool = recent
    else:
        return None
    # Locked, so two callers joining at once do not both find it still open and open a new one each.
    return session.scalar(pool.where(Request.status.in_(OPEN_STATUSES))
                          .order_by(Request.created_at.desc(), Request.id.desc()).limit(1).with_for_update())


def join(session, request: Request, caller: str, what: str, now) -> Request:
    """Put a capped caller's call or text on `request`'s timeline (who, and what they said or pressed)."""
    Event.record(session, request, "withheld_joined", now, actor=caller,
                 detail=f"无法回拨的来电/来信（本小时已达上限，并入此求助）：{what}")
    return request


def _count(session, query) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery()))
