"""Texts from leaders: OPEN (or 列表) answers with the open calls in their scope, as on the dashboard."""
from datetime import datetime

from sqlalchemy import select

from models import OPEN_STATUSES, Leader, Request

from ..leaders.scope import scope_for
from ..messaging import texts


def open_calls_text(session, leader: Leader, now: datetime, limit_units: int = 134) -> str:
    """The open calls in the leader's scope (the same as on the dashboard), oldest first, in at most two SMS."""
    language = leader.text_language
    requests = list(session.scalars(
        select(Request).where(Request.status.in_(OPEN_STATUSES), scope_for(session, leader).requests())
        .order_by(Request.created_at, Request.id)))
    if not requests:
        return texts.render("open_none", language)
    lines = []
    for shown, request in enumerate(requests):
        minutes = int((now - request.created_at).total_seconds() // 60)
        age = f"{minutes // 60}h{minutes % 60:02d}" if minutes >= 60 else f"{minutes}m"
        status = texts.render(f"status_{str(request.status)}", language)
        where = request.place.name if request.place else "?"
        line = f"{request.ref} {texts.category_name(request.category, language)} {status} {age} {where}"
        more = texts.render("open_more", language, count=len(requests) - shown)
        if len("\n".join(lines + [line, more])) > limit_units:
            lines.append(more)
            break
        lines.append(line)
    return "\n".join(lines)
