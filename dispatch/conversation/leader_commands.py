"""Texts from leaders: OPEN (or 列表) answers with the open calls in their scope, as on the dashboard;
DONE <ref> closes one of them, as the dashboard's close does."""
from datetime import datetime

from sqlalchemy import select

from models import OPEN_STATUSES, Leader, Request

from ..leaders import actions
from ..leaders.scope import request_in_scope, scope_for
from ..messaging import texts
from ..messaging.names import place_name
from ..register.fitting import fit

TWO_SMS = texts.TWO_SMS


def open_calls_text(session, leader: Leader, now: datetime, limit_units: int = TWO_SMS) -> str:
    """The open calls in the leader's scope (the same as on the dashboard), oldest first, in at most two SMS:
    reference, need, status, age and place, in words ("派单中 12分钟 地点不明"), one call a line."""
    language = leader.text_language
    requests = list(session.scalars(
        select(Request).where(Request.status.in_(OPEN_STATUSES), scope_for(session, leader).requests())
        .order_by(Request.created_at, Request.id)))
    if not requests:
        return texts.render("open_none", language)
    lines = []

    def render(shown: int) -> str:
        """The first `shown` calls, one a line, and how many more there are (room always stays to say so)."""
        while len(lines) < shown:  # each call's line is made once, however many lengths are tried
            lines.append(_call_line(requests[len(lines)], now, language))
        rest = len(requests) - shown
        return "\n".join(lines[:shown] + ([texts.render("open_more", language, count=rest)] if rest else []))

    return fit(render, len(requests), limit_units)


def _call_line(request: Request, now: datetime, language: str) -> str:
    """One open call in words: reference, need, status, age and place ("4821 送医 派单中 12分钟 地点不明")."""
    age = texts.age(int((now - request.created_at).total_seconds() // 60), language)
    status = texts.render(f"status_{str(request.status)}", language)
    return f"{request.ref} {texts.category_name(request.category, language)} {status} {age} " \
           f"{place_name(request.place, language)}"


def close_by_text(session, leader: Leader, ref: str, now: datetime, inbound=None) -> str | None:
    """Close the leader's open call `ref` as done (the herder gets the closing SMS); None when no open call
    of theirs has that reference, so the text is not a command."""
    request = request_in_scope(session, scope_for(session, leader), ref)
    # close_request checks that it is open under the row lock: two closing at once, only one is told "done"
    if request is None or actions.close_request(session, request.id, leader, "领导短信报办结", now) != "done":
        return None
    if inbound is not None:
        inbound.request = request
    return texts.render("leader_done_ok", leader.text_language, ref=ref)
