"""Figures a leader shows their committee: requests per day by category, time to acceptance per week
(median and 90th percentile), the share escalated. Pure functions on plain rows, and the queries that feed them.

Days and weeks are local (TIMEZONE); a week starts on Monday. The 90th percentile is the nearest-rank one:
the smallest value that at least 90% of the values do not exceed (on 10 values, the 9th).
"""
import math
import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, time

from sqlalchemy import func, select

from models import Event, Request

from .scope import Scope

CATEGORIES = (1, 2, 3, 4, 5, 9)


def local_day(moment: datetime, zone) -> date:
    """The local calendar day (TIMEZONE) that holds `moment`."""
    return moment.astimezone(zone).date()


def week_of(moment: datetime, zone) -> date:
    """The Monday of the local week holding `moment`."""
    day = local_day(moment, zone)
    return day - timedelta(days=day.weekday())


def percentile(values, q: float) -> float | None:
    """The nearest-rank q-th percentile (0 < q <= 100) of `values`; None for none."""
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def requests_per_day(rows, zone, first: date, last: date) -> list[dict]:
    """rows: (created_at, category). One entry per local day from `first` to `last`, with counts per category."""
    counts = defaultdict(Counter)
    for created_at, category in rows:
        counts[local_day(created_at, zone)][category if category in CATEGORIES else 5] += 1
    days, day = [], first
    while day <= last:
        per = counts.get(day, Counter())
        days.append({"day": day, "counts": {c: per.get(c, 0) for c in CATEGORIES}, "total": sum(per.values())})
        day += timedelta(days=1)
    return days


def acceptance_by_week(rows, zone) -> list[dict]:
    """rows: (created_at, first accepted_at or None). Per week of creation: how many were accepted, and the
    median and 90th-percentile minutes from the call to the first acceptance."""
    waits = defaultdict(list)
    for created_at, accepted_at in rows:
        if accepted_at is not None:
            waits[week_of(created_at, zone)].append((accepted_at - created_at).total_seconds() / 60)
    return [{"week": week, "accepted": len(values), "median_minutes": round(statistics.median(values), 1),
             "p90_minutes": round(percentile(values, 90), 1)} for week, values in sorted(waits.items())]


def escalated_share_by_week(rows, zone) -> list[dict]:
    """rows: (created_at, escalated: bool). Per week of creation: requests, how many escalated, and the share."""
    totals, escalated = Counter(), Counter()
    for created_at, was_escalated in rows:
        week = week_of(created_at, zone)
        totals[week] += 1
        escalated[week] += bool(was_escalated)
    return [{"week": week, "requests": totals[week], "escalated": escalated[week],
             "share": round(escalated[week] / totals[week], 3)} for week in sorted(totals)]


def committee_figures(session, scope: Scope, now: datetime, zone, days: int = 30, weeks: int = 12) -> dict:
    """The three charts for the scope: the last `days` days, and the last `weeks` weeks (this one included)."""
    today = local_day(now, zone)
    first_day = today - timedelta(days=days - 1)
    first_week = week_of(now, zone) - timedelta(weeks=weeks - 1)
    since = datetime.combine(min(first_day, first_week), time(), tzinfo=zone)
    in_scope = (Request.created_at >= since, scope.requests())
    per_day = session.execute(select(Request.created_at, Request.category).where(*in_scope)).all()
    accepted = (select(Event.request_id, func.min(Event.at).label("at")).where(Event.kind == "accepted")
                .group_by(Event.request_id).subquery())
    escalated = select(Event.request_id).where(Event.kind == "escalated").distinct().subquery()
    weekly = session.execute(
        select(Request.created_at, accepted.c.at, escalated.c.request_id.is_not(None))
        .outerjoin(accepted, accepted.c.request_id == Request.id)
        .outerjoin(escalated, escalated.c.request_id == Request.id)
        .where(*in_scope, Request.created_at >= datetime.combine(first_week, time(), tzinfo=zone))
    ).all()
    return {
        "per_day": requests_per_day([r for r in per_day if local_day(r[0], zone) >= first_day], zone,
                                    first_day, today),
        "acceptance": acceptance_by_week([(c, a) for c, a, _ in weekly], zone),
        "escalated": escalated_share_by_week([(c, e) for c, _, e in weekly], zone),
        "total": len(weekly), "since": first_week,
    }
