"""Who is on the register, when each household is due a contact and when it is overdue (design.md: every
CHECKIN_DAYS, red ones every CHECKIN_DAYS_RED; overdue once past due by CHECKIN_GRACE_DAYS). Only a contact
that reached the household (all well, needs help) counts; a household never reached is due and overdue now."""
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import func, or_, select

from models import Checkin, CheckinItem, Contact, ContactOutcome, Household, Risk

REACHED = (ContactOutcome.well, ContactOutcome.needs_help)


def on_register():
    """A WHERE clause: the household is on the register (any need, or risk red or yellow; design.md)."""
    return (Household.needs != "") | Household.risk.in_((Risk.red, Risk.yellow))


RISKS = (*Risk, None)  # every value Household.risk holds; None: no colour in the roster


def interval(risk, settings) -> timedelta:
    """How often the household must be reached: CHECKIN_DAYS_RED for red ones, else CHECKIN_DAYS."""
    return timedelta(days=settings["CHECKIN_DAYS_RED"] if risk == Risk.red else settings["CHECKIN_DAYS"])


def overdue_after(risk, settings) -> timedelta:
    """How long after the contact that last reached it a household is overdue: its interval and
    CHECKIN_GRACE_DAYS. The one overdue rule: is_overdue reads it in Python, overdue_households builds its SQL
    from it, so the register page and the digest cannot drift apart."""
    return interval(risk, settings) + timedelta(days=settings["CHECKIN_GRACE_DAYS"])


def is_overdue(risk, reached_at, now, settings) -> bool:
    """Never reached, or reached longer than overdue_after ago. Pure."""
    return reached_at is None or now > reached_at + overdue_after(risk, settings)


@dataclass(frozen=True)
class State:
    """Where one household stands: its last contact of any kind, when it is next due (None: now, never
    reached), whether it is due today, overdue, and overdue twice in a row (a second interval missed too)."""

    last: Contact | None
    reached_at: datetime | None
    due_at: datetime | None
    due_today: bool
    overdue: bool
    twice: bool


def state_of(risk, last: Contact | None, reached_at, first_asked, now, settings) -> State:
    """The household's state from its last contact, its last reaching contact and when a round first asked
    for it (the start of a never-reached household's overdue time). Pure."""
    zone = zoneinfo.ZoneInfo(settings["TIMEZONE"])
    due_at = reached_at + interval(risk, settings) if reached_at is not None else None
    # Due on the local day it falls due, so a morning round asks for a household reached last week at noon.
    due_today = due_at is None or due_at.astimezone(zone).date() <= now.astimezone(zone).date()
    overdue = is_overdue(risk, reached_at, now, settings)
    # Twice: overdue again, counted from when it fell due (never reached: from the first round that asked).
    start = due_at if due_at is not None else first_asked
    twice = start is not None and now > start + overdue_after(risk, settings)
    return State(last, reached_at, due_at, due_today, overdue, twice)


# Households asked about in one IN (...): PostgreSQL takes at most 65,535 parameters a statement, and a
# league's register has more households than that.
BATCH = 10_000


def batches(rows):
    """`rows` in slices of at most BATCH, so a look-up for all of them is a few queries, not one each."""
    rows = list(rows)
    return (rows[start:start + BATCH] for start in range(0, len(rows), BATCH))


def states(session, households, now, settings) -> dict[int, State]:
    """Each household's State, by id, in four queries a BATCH of households."""
    found = {}
    for batch in batches(households):
        found.update(_states(session, batch, now, settings))
    return found


def _states(session, households, now, settings) -> dict[int, State]:
    ids = [h.id for h in households]
    last = _latest(session, ids, now, outcomes=None)
    reached = _latest(session, ids, now, outcomes=REACHED)
    listed = dict(session.execute(select(CheckinItem.household_id, func.min(CheckinItem.listed_at))
                                  .where(CheckinItem.household_id.in_(ids)).group_by(CheckinItem.household_id)).all())
    zone = zoneinfo.ZoneInfo(settings["TIMEZONE"])
    for household_id, day in session.execute(select(Checkin.household_id, func.min(Checkin.day))
                                             .where(Checkin.household_id.in_(ids)).group_by(Checkin.household_id)):
        asked = datetime.combine(day, time(), tzinfo=zone)
        listed[household_id] = min(listed.get(household_id, asked), asked)
    return {h.id: state_of(h.risk, last.get(h.id), reached[h.id].at if h.id in reached else None,
                           listed.get(h.id), now, settings) for h in households}


def _latest(session, ids, now, outcomes) -> dict[int, Contact]:
    """Each household's latest contact up to `now` (only those of `outcomes` when given)."""
    wanted = [Contact.household_id.in_(ids), Contact.at <= now]
    if outcomes is not None:
        wanted.append(Contact.outcome.in_(outcomes))
    ranked = (select(Contact.id, func.row_number().over(partition_by=Contact.household_id,
                                                        order_by=(Contact.at.desc(), Contact.id.desc())).label("n"))
              .where(*wanted).subquery())
    latest = session.scalars(select(Contact).join(ranked, ranked.c.id == Contact.id).where(ranked.c.n == 1))
    return {contact.household_id: contact for contact in latest}


def overdue_households(session, place_ids, now, settings) -> list[Household]:
    """Households on the register (place_ids None: everywhere) overdue by is_overdue, in one query: never
    reached, or reached longer than overdue_after ago. Longest overdue first, never reached before all."""
    reached = _reached_at(now)
    query = select(Household).outerjoin(reached, reached.c.household_id == Household.id).where(
        on_register(), _overdue_clause(reached.c.at, now, settings))
    if place_ids is not None:
        query = query.where(Household.place_id.in_(place_ids))
    return list(session.scalars(query.order_by(reached.c.at.nulls_first(), Household.ref)))


def _reached_at(now):
    """A subquery: each household's latest contact that reached it, up to `now` (as states reads it: a contact
    recorded after `now`, as on a fake clock, has not happened yet)."""
    return (select(Contact.household_id, func.max(Contact.at).label("at"))
            .where(Contact.outcome.in_(REACHED), Contact.at <= now).group_by(Contact.household_id).subquery())


def _overdue_clause(reached_at, now, settings):
    """is_overdue in SQL: one cut-off per risk colour, each from overdue_after (now > at + d is at < now - d)."""
    per_risk = [_has_risk(risk) & (reached_at < now - overdue_after(risk, settings)) for risk in RISKS]
    return reached_at.is_(None) | or_(*per_risk)


def _has_risk(risk):
    return Household.risk.is_(None) if risk is None else Household.risk == risk
