"""The leaders' daily digest by SMS: open calls, escalated ones, those done yesterday, and the households on the
register that are overdue a contact, each leader within their scope, in one or two SMS in their own language.

Gacha secretaries and township leaders get it; admins and market regulators do not (they hold no calls), as
they are not texted on escalations either.
"""
import zoneinfo
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from models import OPEN_STATUSES, Household, Leader, LeaderRole, Request, RequestStatus

from ..leaders.scope import Scope, scope_for
from ..messaging import outbox, texts
from ..register import rules
from ..messaging.names import place_name

RECIPIENTS = (LeaderRole.gacha_secretary, LeaderRole.township_leader)


def overdue_households(session, place_ids, now, settings) -> list[Household]:
    """Households on the register overdue a contact, longest overdue first: the register's rule
    (dispatch/register/rules.py)."""
    return rules.overdue_households(session, place_ids, now, settings)


def digest_counts(session, scope: Scope, now: datetime, zone) -> dict:
    """Open calls and escalated ones now, and requests done on the local day before `now`, in scope."""
    today = datetime.combine(now.astimezone(zone).date(), time(), tzinfo=zone)
    status = dict(session.execute(select(Request.status, func.count()).where(
        Request.status.in_(OPEN_STATUSES), scope.requests()).group_by(Request.status)).all())
    done = session.scalar(select(func.count()).select_from(Request).where(
        Request.status == RequestStatus.done, Request.closed_at >= today - timedelta(days=1),
        Request.closed_at < today, scope.requests()))
    return {"open": sum(status.values()), "escalated": status.get(RequestStatus.escalated, 0), "done": done}


def digest_text(leader: Leader, day: date, counts: dict, overdue: list[str]) -> str:
    """The digest in the leader's language: the counts, then as many overdue households' names as fit."""
    language = leader.text_language
    place = place_name(leader.place, language)
    text = texts.render("digest", language, day=day.strftime("%m-%d"), place=place, open=counts["open"],
                        escalated=counts["escalated"], done=counts["done"], overdue=len(overdue))
    for shown in range(min(len(overdue), texts.TWO_SMS // 2), 0, -1):  # each name takes two units at least
        more = len(overdue) - shown
        names = "、".join(overdue[:shown]) + (texts.render("digest_more", language, count=more) if more else "")
        line = texts.render("digest_overdue", language, names=names)
        if texts.units(f"{text}\n{line}") <= texts.TWO_SMS:
            return f"{text}\n{line}"
    return text


def send_digests(session, now: datetime, settings, key: str) -> int:
    """Record today's digest for every gacha secretary and township leader (once per `key`); how many."""
    zone = zoneinfo.ZoneInfo(settings["TIMEZONE"])
    leaders = list(session.scalars(select(Leader).where(Leader.role.in_(RECIPIENTS)).order_by(Leader.id)))
    for leader in leaders:
        scope = scope_for(session, leader)
        overdue = overdue_households(session, None if scope.everything else scope.place_ids, now, settings)
        body = digest_text(leader, now.astimezone(zone).date(), digest_counts(session, scope, now, zone),
                           [household.head_name for household in overdue])
        outbox.record_text(session, key=f"digest-{leader.id}-{key}", to=leader.phone, body=body, template="digest",
                           now=now)
    return len(leaders)


def send_daily_digest(session, day: date, now: datetime, settings) -> None:
    """The daily task (runtime/daily.py, at DIGEST_HOUR): each leader's digest for the local `day`, once."""
    send_digests(session, now, settings, key=day.isoformat())
