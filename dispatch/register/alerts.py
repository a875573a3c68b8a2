"""A household overdue twice in a row (a second interval missed as well) goes to the township leader: one SMS
per leader and round naming them, each household told once until it is reached again."""
from sqlalchemy import select

from models import Leader, LeaderRole

from ..messaging import outbox, texts
from ..messaging.names import place_name
from .fitting import fit, separator


def not_told(household, state) -> bool:
    """Whether the township has not yet heard of this overdue stretch (told before the last reaching contact
    counts as another stretch)."""
    told = household.overdue_told_at
    return told is None or (state.reached_at is not None and told < state.reached_at)


def tell_township(session, households, day, now) -> int:
    """Text each township leader the households under their township in `households`; how many leaders."""
    if not households:
        return 0
    told = 0
    for leader in session.scalars(select(Leader).where(Leader.role == LeaderRole.township_leader).order_by(Leader.id)):
        mine = [h for h in households if leader.place in h.place.lineage()]
        if not mine:
            continue
        language = leader.text_language
        place = place_name(leader.place, language)

        def render(shown, mine=mine, language=language, place=place):
            more = len(mine) - shown
            names = separator(language).join(h.head_name for h in mine[:shown])
            names += texts.render("checkin_more", language, count=more) if more else ""
            return texts.render("register_alert", language, place=place, count=len(mine), names=names)

        outbox.record_text(session, key=f"register-alert-{leader.id}-{day.isoformat()}", to=leader.phone,
                           body=fit(render, len(mine)), template="register_alert", now=now)
        for household in mine:
            household.overdue_told_at = now
        told += 1
    return told
