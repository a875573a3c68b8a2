"""The figures leaders report upward, per gacha and per week: people served, visits, medicine deliveries, doctor
trips, hazards fixed, mutual-aid matches, escalations, and the median time from a call to its first acceptance.

Each thing that happened is one `Fact` (when, where, which figure, and a value: the resident for people served,
the minutes for acceptance); `summarise` groups facts by week or by gacha, a pure function. Weeks are local
(TIMEZONE) and start on Monday.
"""
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from models import Contact, ContactChannel, ContactOutcome, Event, Household, Place, Request, RequestStatus

from ..leaders.charts import week_of
from .period import in_places

COUNTED = ("served", "visits", "medicine", "doctor", "hazards", "mutual_aid", "escalations")
FIGURES = COUNTED + ("median_minutes",)
DONE_FIGURE = {1: "medicine", 2: "doctor", 4: "hazards"}  # a request done of this category is one of these
# The event that marks a neighbour's surplus medicine matched to a resident in need (the sharing work records it).
MATCH_EVENT = "matched"
UNPLACED = "位置未知"


@dataclass(frozen=True)
class Fact:
    """One thing that counts: when, in which place (id and name), for which figure, with what value."""

    at: datetime
    place_id: int | None
    place: str
    figure: str
    value: object = None


def summarise(facts, group) -> dict:
    """Figures per group (`group(fact)` gives its key): counts, distinct residents served, median minutes."""
    counts = defaultdict(lambda: defaultdict(int))
    served, waits = defaultdict(set), defaultdict(list)
    for fact in facts:
        key = group(fact)
        if fact.figure == "served":
            served[key].add(fact.value)
        elif fact.figure == "acceptance":
            waits[key].append(fact.value)
        else:
            counts[key][fact.figure] += 1
    result = {}
    for key in set(counts) | set(served) | set(waits):
        figures = {name: counts[key][name] for name in COUNTED}
        figures["served"] = len(served[key])
        figures["median_minutes"] = round(statistics.median(waits[key]), 1) if waits[key] else None
        result[key] = figures
    return result


def by_week(facts, zone, first: date, weeks: int) -> list[dict]:
    """One entry per week from the Monday `first`, every week present (a quiet week shows zeros)."""
    summary = summarise(facts, lambda fact: week_of(fact.at, zone))
    empty = dict.fromkeys(COUNTED, 0) | {"median_minutes": None}
    return [{"week": week, **summary.get(week, empty)}
            for week in (first + timedelta(weeks=n) for n in range(weeks))]


def by_place(facts) -> list[dict]:
    """One entry per gacha (by name), with its id for a link to its own weeks."""
    ids = {fact.place: fact.place_id for fact in facts}
    summary = summarise(facts, lambda fact: fact.place)
    return [{"place": name, "place_id": ids[name], **summary[name]}
            for name in sorted(summary, key=lambda name: (name == UNPLACED, name))]


def figure_facts(session, scope, start: datetime, end: datetime) -> list[Fact]:
    """Every fact from `start` to `end` within the scope, read from requests, their events and contacts."""
    rows = []
    for at, place_id, category, household_id, phone in session.execute(
            select(Request.closed_at, Request.place_id, Request.category, Request.household_id, Request.caller_phone)
            .where(Request.status == RequestStatus.done, Request.closed_at >= start, Request.closed_at < end,
                   scope.requests())):
        rows.append((at, place_id, "served", household_id or phone))
        if category in DONE_FIGURE:
            rows.append((at, place_id, DONE_FIGURE[category], None))
    for at, place_id, channel, outcome, household_id in session.execute(
            select(Contact.at, Household.place_id, Contact.channel, Contact.outcome, Contact.household_id)
            .join(Household).where(Contact.at >= start, Contact.at < end, in_places(scope, Household.place_id))):
        if outcome != ContactOutcome.not_reached:
            rows.append((at, place_id, "served", household_id))
        if channel == ContactChannel.visit:
            rows.append((at, place_id, "visits", None))
    for kind, figure in (("escalated", "escalations"), (MATCH_EVENT, "mutual_aid")):
        rows += [(at, place_id, figure, None) for at, place_id in session.execute(
            select(Event.at, Request.place_id).join(Request).where(
                Event.kind == kind, Event.at >= start, Event.at < end, scope.requests()))]
    accepted = (select(Event.request_id, func.min(Event.at).label("at")).where(Event.kind == "accepted")
                .group_by(Event.request_id).subquery())
    for created, place_id, first in session.execute(
            select(Request.created_at, Request.place_id, accepted.c.at)
            .join(accepted, accepted.c.request_id == Request.id)
            .where(Request.created_at >= start, Request.created_at < end, scope.requests())):
        rows.append((created, place_id, "acceptance", (first - created).total_seconds() / 60))
    ids = {row[1] for row in rows} - {None}
    names = dict(session.execute(select(Place.id, Place.name).where(Place.id.in_(ids))).all())
    return [Fact(at, place_id, names.get(place_id, UNPLACED), figure, value) for at, place_id, figure, value in rows]
