"""Messages that never became requests: stored raw because handling them failed. Leaders see them, so nothing
waits unseen while the sweep tries them again (dispatch/runtime/sweep.py)."""
from datetime import timedelta

from sqlalchemy import select

from models import InboundMessage

from ..requests.intake import household_for
from .scope import Scope

SHOWN_FOR = timedelta(days=30)


def unhandled_messages(session, scope: Scope, now) -> list[dict]:
    """Unhandled messages of the last SHOWN_FOR in the leader's scope, newest first: a sender the roster places
    belongs to that place, any other sender to those who see callers of no known place."""
    rows = session.scalars(select(InboundMessage).where(
        InboundMessage.sender_kind == "unhandled", InboundMessage.received_at > now - SHOWN_FOR)
        .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc()).limit(500))
    shown = []
    for message in rows:
        household = household_for(session, message.from_phone)
        place = household.place if household else None
        if scope.allows_place(place.id if place else None):
            shown.append({"at": message.received_at, "sender": message.from_phone, "body": message.body,
                          "place": place.name if place else None, "household": household.head_name if household else None})
    return shown
