"""The register as leaders read it (/dashboard/register, and a request's page): who is on it and why, the
paired contact, the risk colour, the last contact and how, the next due day; overdue first, longest first."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import NEEDS, Household, Member, Place, PlaceKind, Risk

from . import rules

COLOURS = ("red", "yellow", "green", "none")  # the colour filter; none: no colour in the roster


def register_rows(session, scope, now, settings, *, place_id=None, colour=None, need=None,
                  overdue_only=False) -> list[dict]:
    """Every household on the register in `scope` (optionally one place and what is under it, one colour,
    one category, only the overdue), overdue first, then by the day each is next due."""
    chosen = [rules.on_register(), scope.located(Household.place_id)]
    if place_id is not None:
        # The place and the places right under it (a township's gachas): the roster has no deeper levels.
        chosen.append((Household.place_id == place_id)
                      | Household.place_id.in_(select(Place.id).where(Place.parent_id == place_id)))
    if colour == "none":
        chosen.append(Household.risk.is_(None))
    elif colour in COLOURS:
        chosen.append(Household.risk == Risk(colour))
    if need in NEEDS:
        chosen.append(Household.needs.contains(need))
    households = list(session.scalars(select(Household).where(*chosen).options(
        selectinload(Household.place), selectinload(Household.phones))))
    state = rules.states(session, households, now, settings)
    members = _members(session, households)
    rows = [_row(h, state[h.id], members.get(h.contact_phone)) for h in households]
    rows = [row for row in rows if row["overdue"] or not overdue_only]
    return sorted(rows, key=lambda r: (not r["overdue"], r["due_at"] is not None, r["due_at"] or now, r["ref"]))


def household_card(session, household: Household | None, now, settings) -> dict | None:
    """One household's register line, for the page of a request it made; None when it is not on the register."""
    if household is None or not household.on_register:
        return None
    state = rules.states(session, [household], now, settings)[household.id]
    return _row(household, state, _members(session, [household]).get(household.contact_phone))


def places_to_filter(session, scope) -> list[Place]:
    """The gachas and communities a leader may filter the register by."""
    return list(session.scalars(select(Place).where(scope.places(), Place.kind != PlaceKind.township)
                                .order_by(Place.name)))


def _members(session, households) -> dict[str, Member]:
    phones = {h.contact_phone for h in households if h.contact_phone}
    if not phones:
        return {}
    return {m.phone: m for m in session.scalars(select(Member).where(Member.phone.in_(phones))
                                                 .options(selectinload(Member.team)))}


def _row(household: Household, state: rules.State, member: Member | None) -> dict:
    last = state.last
    return {
        "id": household.id, "ref": household.ref, "name": household.head_name, "place": household.place.name,
        "phones": [p.phone for p in household.phones], "needs": household.need_list,
        "risk": str(household.risk) if household.risk else None,
        "contact": member.name if member else household.contact_name, "contact_phone": household.contact_phone,
        "contact_team": member.team.name if member else None,
        "last_at": last.at if last else None, "last_channel": str(last.channel) if last else None,
        "last_outcome": str(last.outcome) if last else None, "reached_at": state.reached_at,
        "due_at": state.due_at, "overdue": state.overdue, "twice": state.twice,
    }
